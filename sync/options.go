package sync

import (
	"fmt"
	"regexp"
	"time"

	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/config"
)

// DefaultSchema is the PostgreSQL schema the mirror writes into.
const DefaultSchema = "questbase"

// DefaultOverlap bounds how late a row can commit after PocketBase
// stamped its `updated`: each run re-reads the rows stamped from the
// previous run's snapshot time minus the overlap (or from the watermark,
// if that is earlier).
//
// PocketBase stamps `updated` in Go before the row is committed, so a save
// that waited for the single writer connection can commit after a later
// save that a run already mirrored. Re-reading that window (and upserting
// only rows that differ) catches such rows; a minute is far longer than
// any write transaction here.
const DefaultOverlap = time.Minute

// Options configure a Mirror.
type Options struct {
	// DSN is the PostgreSQL connection string (QB_POSTGRES_DSN).
	DSN string
	// Schema is the target schema, DefaultSchema when empty.
	Schema string
	// BaseURL prefixes mirrored file URLs; when empty, the app's
	// Settings().Meta.AppURL at the time of the run.
	BaseURL string
	// Overlap is the re-read window behind the watermark (DefaultOverlap
	// when zero).
	Overlap time.Duration

	// step, when set, is called between the phases of a run with the
	// backend pid of the run's connection (tests stop the run there).
	step func(name string, pid uint32) error
}

// OptionsFrom returns the mirror options of a configuration.
func OptionsFrom(cfg config.Config) Options {
	return Options{DSN: cfg.PostgresDSN, Schema: cfg.SyncSchema, BaseURL: cfg.PublicURL}
}

var identRe = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,62}$`)

func (o Options) withDefaults() (Options, error) {
	if o.Schema == "" {
		o.Schema = DefaultSchema
	}
	if !identRe.MatchString(o.Schema) {
		return o, fmt.Errorf("sync: schema %q is not a plain PostgreSQL identifier", o.Schema)
	}
	if o.Overlap <= 0 {
		o.Overlap = DefaultOverlap
	}
	if o.DSN == "" {
		return o, fmt.Errorf("sync: no PostgreSQL DSN (set QB_POSTGRES_DSN)")
	}
	if _, err := pgxpool.ParseConfig(o.DSN); err != nil {
		return o, fmt.Errorf("sync: QB_POSTGRES_DSN: %w", err)
	}
	return o, nil
}

// notMirrored are business collections the mirror leaves out: generated
// secrets. PocketBase's own collections (_superusers, _mfas, _otps,
// _authOrigins, _externalAuths) are system collections and never mirrored.
var notMirrored = map[string]bool{
	"app_state": true,
}

// notMirroredFields are fields left out of otherwise mirrored collections:
// archived verification photos (student ID cards: the mirror keeps the
// review metadata only) and notification bodies (message texts, bulky,
// no reporting value; delivery status and counts stay).
var notMirroredFields = map[string]map[string]bool{
	"verification_archive": {"photo": true},
	"outbox":               {"payload": true},
}

// Mirrored reports whether the mirror copies the collection: every base or
// auth collection that is not a PocketBase system collection, a view or a
// store of secrets.
func Mirrored(c *core.Collection) bool {
	if c == nil || c.IsView() || notMirrored[c.Name] {
		return false
	}
	return !c.System
}
