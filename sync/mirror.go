package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// ErrBusy means another run holds the mirror (in this process or, through
// PostgreSQL's advisory lock, in another one such as `sync --once`).
var ErrBusy = errors.New("sync: another mirror run is in progress")

// Mirror copies the app's collections into one PostgreSQL schema.
type Mirror struct {
	app     core.App
	opts    Options
	pool    *pgxpool.Pool
	running atomic.Bool
}

// New prepares a mirror; it connects lazily, on the first run.
func New(app core.App, opts Options) (*Mirror, error) {
	opts, err := opts.withDefaults()
	if err != nil {
		return nil, err
	}
	cfg, err := pgxpool.ParseConfig(opts.DSN)
	if err != nil {
		return nil, fmt.Errorf("sync: QB_POSTGRES_DSN: %w", err)
	}
	cfg.MaxConns = 3 // a run, a status request, one spare
	cfg.MinConns = 0
	// An unreachable server must fail fast, not hang a run or a status page.
	if cfg.ConnConfig.ConnectTimeout == 0 || cfg.ConnConfig.ConnectTimeout > 10*time.Second {
		cfg.ConnConfig.ConnectTimeout = 5 * time.Second
	}
	if cfg.ConnConfig.RuntimeParams["application_name"] == "" {
		cfg.ConnConfig.RuntimeParams["application_name"] = "questbase-sync"
	}
	pool, err := pgxpool.NewWithConfig(context.Background(), cfg)
	if err != nil {
		return nil, fmt.Errorf("sync: %w", err)
	}
	return &Mirror{app: app, opts: opts, pool: pool}, nil
}

// Close releases the mirror's connections.
func (m *Mirror) Close() { m.pool.Close() }

// Schema is the PostgreSQL schema the mirror writes into.
func (m *Mirror) Schema() string { return m.opts.Schema }

// RunOptions choose what a run does.
type RunOptions struct {
	// Full rebuilds every table from scratch instead of copying changes.
	Full bool
	// Wait waits for a run held by another process instead of returning
	// ErrBusy.
	Wait bool
}

// Report says what one run did.
type Report struct {
	Mode     string    `json:"mode"` // "incremental" or "full"
	Started  time.Time `json:"started"`
	Finished time.Time `json:"finished"`
	// Snapshot is when the run read SQLite: the mirror holds everything
	// committed before it.
	Snapshot    time.Time          `json:"snapshot"`
	Upserted    int64              `json:"upserted"`
	Deleted     int64              `json:"deleted"`
	Collections []CollectionReport `json:"collections"`
	ViewsError  string             `json:"views_error,omitempty"`
}

// CollectionReport is one collection's share of a run.
type CollectionReport struct {
	Collection string     `json:"collection"`
	Action     string     `json:"action"` // incremental, copied, altered, dropped
	Read       int64      `json:"read"`
	Upserted   int64      `json:"upserted"`
	Deleted    int64      `json:"deleted"`
	Watermark  *time.Time `json:"watermark,omitempty"`
}

// run holds one run's connections and decisions.
type run struct {
	m      *Mirror
	ctx    context.Context
	tx     pgx.Tx
	stx    *sql.Tx
	pid    uint32
	schema string
	st     *state
	rep    *Report
	stage  int
}

func (r *run) step(name string) error {
	if r.m.opts.step == nil {
		return nil
	}
	return r.m.opts.step(name, r.pid)
}

// Run mirrors everything that changed since the last run (or, with Full,
// everything) in one PostgreSQL transaction: rows, deletions, watermarks
// and views commit together or not at all, so a run cut off at any point
// leaves the previous state, and the next run converges.
func (m *Mirror) Run(ctx context.Context, ro RunOptions) (*Report, error) {
	if !m.running.CompareAndSwap(false, true) {
		return nil, ErrBusy
	}
	defer m.running.Store(false)

	rep := &Report{Mode: "incremental", Started: time.Now().UTC()}
	if ro.Full {
		rep.Mode = "full"
	}
	conn, err := m.pool.Acquire(ctx)
	if err != nil {
		return rep, fmt.Errorf("connect to PostgreSQL: %w", err)
	}
	defer conn.Release()

	tx, err := conn.Begin(ctx)
	if err != nil {
		return rep, fmt.Errorf("begin: %w", err)
	}
	defer tx.Rollback(context.WithoutCancel(ctx))

	r := &run{m: m, ctx: ctx, tx: tx, pid: conn.Conn().PgConn().PID(), schema: m.opts.Schema, rep: rep}
	if err := r.lock(ro.Wait); err != nil {
		return rep, err
	}
	if err := r.step("locked"); err != nil {
		return rep, err
	}
	if err := ensureState(ctx, tx, r.schema); err != nil {
		return rep, err
	}
	if r.st, err = loadState(ctx, tx, r.schema); err != nil {
		return rep, err
	}

	db, ok := m.app.ConcurrentDB().(*dbx.DB)
	if !ok {
		return rep, errors.New("sync: the app's database is not a *dbx.DB")
	}
	// One read transaction: every collection and the tombstones come from
	// the same SQLite snapshot (WAL readers do not block the app's writes).
	stx, err := db.DB().BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return rep, fmt.Errorf("read SQLite: %w", err)
	}
	defer stx.Rollback()
	r.stx = stx

	applied, known := r.st.deletionsApplied()
	rep.Snapshot = time.Now().UTC()
	tombs, lastSeq, err := readTombstones(ctx, stx, applied)
	if err != nil {
		return rep, err
	}
	if !known {
		// first run: every table is copied whole, older deletions are moot
		tombs = nil
	}
	base := m.opts.BaseURL
	if base == "" {
		base = m.app.Settings().Meta.AppURL
	}
	ps, err := plans(m.app, base)
	if err != nil {
		return rep, err
	}

	if err := r.mirror(ps, tombs, ro.Full); err != nil {
		return rep, err
	}
	if err := saveMeta(ctx, tx, r.schema, metaDeletions, fmt.Sprint(lastSeq)); err != nil {
		return rep, err
	}
	if err := saveRun(ctx, tx, r.schema, rep); err != nil {
		return rep, err
	}
	if err := r.step("commit"); err != nil {
		return rep, err
	}
	if err := tx.Commit(ctx); err != nil {
		return rep, fmt.Errorf("commit: %w", err)
	}
	stx.Rollback()
	rep.Finished = time.Now().UTC()

	if lastSeq > 0 {
		if err := pruneTombstones(context.WithoutCancel(ctx), m.app, lastSeq); err != nil {
			slog.Warn("reporting mirror: "+err.Error()+" (they are skipped next time)", slog.Int64("through", lastSeq))
		}
	}
	if rep.ViewsError != "" {
		return rep, fmt.Errorf("sync: rows mirrored, but reporting views failed: %s", rep.ViewsError)
	}
	return rep, nil
}

// lockKey scopes the advisory lock to the target schema.
const lockSQL = `SELECT pg_try_advisory_xact_lock(hashtextextended('questbase-sync:' || $1, 0))`

// lock takes the transaction-scoped advisory lock that keeps runs apart
// across processes; it is released by commit, rollback or a lost
// connection.
func (r *run) lock(wait bool) error {
	for {
		var ok bool
		if err := r.tx.QueryRow(r.ctx, lockSQL, r.schema).Scan(&ok); err != nil {
			return fmt.Errorf("lock: %w", err)
		}
		if ok {
			return nil
		}
		if !wait {
			return ErrBusy
		}
		select {
		case <-r.ctx.Done():
			return fmt.Errorf("waiting for the running mirror: %w", r.ctx.Err())
		case <-time.After(500 * time.Millisecond):
		}
	}
}

type action int

const (
	actIncremental action = iota
	actCreate             // no table yet: create, copy, index
	actReplace            // rebuild beside the old table, swap at the end
	actAlter              // shape changed: alter the table, re-copy every row
)

// mirror does the work of a run inside the open transactions.
func (r *run) mirror(ps []plan, tombs []tombstone, full bool) error {
	acts := make([]action, len(ps))
	byName := map[string]bool{}
	viewsDirty := r.st.Meta[metaViews] != viewsSignature(r.schema)
	for _, v := range reportViews {
		if !r.st.Views[v.Name] {
			viewsDirty = true
		}
	}
	for i, p := range ps {
		byName[p.Collection] = true
		cs, known := r.st.Collections[p.Collection]
		_, exists := r.st.Tables[p.Collection]
		switch {
		case !exists:
			acts[i] = actCreate
		case full || !known || cs.CollectionID != p.CollectionID:
			acts[i] = actReplace
		case cs.Signature != p.signature():
			acts[i] = actAlter
		}
		if acts[i] == actReplace || acts[i] == actAlter {
			viewsDirty = true
		}
	}
	var gone []string
	for name := range r.st.Collections {
		if !byName[name] {
			gone = append(gone, name)
			viewsDirty = true
		}
	}

	// Views read the tables: drop them before any table changes shape.
	if viewsDirty {
		if err := dropViews(r.ctx, r.tx, r.schema); err != nil {
			return err
		}
	}
	for _, name := range gone {
		if _, err := r.tx.Exec(r.ctx, "DROP TABLE IF EXISTS "+ident(r.schema, name)); err != nil {
			return fmt.Errorf("drop the table of removed collection %s: %w", name, err)
		}
		if err := dropCollState(r.ctx, r.tx, r.schema, name); err != nil {
			return err
		}
		r.rep.Collections = append(r.rep.Collections, CollectionReport{Collection: name, Action: "dropped"})
	}

	deleted := map[string][]string{}
	for _, t := range tombs {
		deleted[t.CollectionID] = append(deleted[t.CollectionID], t.Record)
	}
	for i := range ps {
		cr, err := r.collection(&ps[i], acts[i], deleted[ps[i].CollectionID])
		if err != nil {
			return fmt.Errorf("%s: %w", ps[i].Collection, err)
		}
		r.rep.Collections = append(r.rep.Collections, cr)
		r.rep.Upserted += cr.Upserted
		r.rep.Deleted += cr.Deleted
		if err := r.step("collection:" + ps[i].Collection); err != nil {
			return err
		}
	}
	for i, p := range ps {
		if acts[i] == actReplace {
			if err := r.swap(p.Collection); err != nil {
				return err
			}
		}
	}

	if viewsDirty {
		if err := createViews(r.ctx, r.tx, r.schema); err != nil {
			r.rep.ViewsError = err.Error()
			return nil // keep the rows; the next run retries the views
		}
		return saveMeta(r.ctx, r.tx, r.schema, metaViews, viewsSignature(r.schema))
	}
	return nil
}

// collection mirrors one collection and saves its watermark.
func (r *run) collection(p *plan, act action, deleted []string) (CollectionReport, error) {
	cr := CollectionReport{Collection: p.Collection}
	prev := r.st.Collections[p.Collection]
	var lower *time.Time // read rows whose watermark column is at or after it
	switch act {
	case actCreate, actReplace:
		cr.Action = "copied"
		table := p.Collection
		if act == actReplace {
			table = loadTable(p.Collection)
		}
		if err := r.create(p, table); err != nil {
			return cr, err
		}
		n, wm, err := r.copyInto(p, table, nil)
		if err != nil {
			return cr, err
		}
		cr.Read, cr.Upserted = n, n
		if _, err := r.tx.Exec(r.ctx, fmt.Sprintf("ALTER TABLE %s ADD CONSTRAINT %s PRIMARY KEY (id)",
			ident(r.schema, table), ident(table+"_pkey"))); err != nil {
			return cr, fmt.Errorf("index: %w", err)
		}
		return cr, r.saveState(p, &cr, wm, nil)
	case actAlter:
		cr.Action = "altered"
		if err := r.alter(p); err != nil {
			return cr, err
		}
	default:
		cr.Action = "incremental"
		if prev.Watermark != nil && p.Watermark != "" {
			l := prev.Watermark.Add(-r.m.opts.Overlap)
			lower = &l
		}
	}

	if len(deleted) > 0 {
		tag, err := r.tx.Exec(r.ctx, fmt.Sprintf("DELETE FROM %s WHERE id = ANY($1)", ident(r.schema, p.Collection)), deleted)
		if err != nil {
			return cr, fmt.Errorf("apply deletions: %w", err)
		}
		cr.Deleted = tag.RowsAffected()
	}
	n, upserted, wm, err := r.upsert(p, lower)
	if err != nil {
		return cr, err
	}
	cr.Read, cr.Upserted = n, upserted
	return cr, r.saveState(p, &cr, wm, prev.Watermark)
}

func (r *run) saveState(p *plan, cr *CollectionReport, seen string, prev *time.Time) error {
	wm := prev
	if t, ok := toTime(seen).(time.Time); ok && (wm == nil || t.After(*wm)) {
		wm = &t
	}
	cr.Watermark = wm
	return saveCollState(r.ctx, r.tx, r.schema, p.Collection, collState{
		CollectionID: p.CollectionID, Signature: p.signature(), Watermark: wm, SyncedAt: r.rep.Snapshot,
	})
}

func loadTable(name string) string { return name + "__load" }

// create makes an empty table of the plan's shape, without its primary
// key: an index built after the copy costs less than one kept up during it.
func (r *run) create(p *plan, table string) error {
	if _, err := r.tx.Exec(r.ctx, "DROP TABLE IF EXISTS "+ident(r.schema, table)); err != nil {
		return fmt.Errorf("create table: %w", err)
	}
	sql := "CREATE TABLE " + ident(r.schema, table) + " ("
	for i, c := range p.Columns {
		if i > 0 {
			sql += ", "
		}
		sql += ident(c.Name) + " " + c.pgType()
		if c.Name == "id" {
			sql += " NOT NULL"
		}
	}
	sql += ")"
	if _, err := r.tx.Exec(r.ctx, sql); err != nil {
		return fmt.Errorf("create table: %w", err)
	}
	comment := fmt.Sprintf("COMMENT ON TABLE %s IS 'questbase collection %s (mirrored by questbase sync; do not edit)'",
		ident(r.schema, table), p.Collection)
	if _, err := r.tx.Exec(r.ctx, comment); err != nil {
		return fmt.Errorf("create table: %w", err)
	}
	return nil
}

// swap puts a rebuilt table in place of the old one.
func (r *run) swap(name string) error {
	load := loadTable(name)
	stmts := []string{
		"DROP TABLE " + ident(r.schema, name),
		fmt.Sprintf("ALTER TABLE %s RENAME TO %s", ident(r.schema, load), ident(name)),
		fmt.Sprintf("ALTER TABLE %s RENAME CONSTRAINT %s TO %s", ident(r.schema, name), ident(load+"_pkey"), ident(name+"_pkey")),
	}
	for _, s := range stmts {
		if _, err := r.tx.Exec(r.ctx, s); err != nil {
			return fmt.Errorf("replace the table of %s: %w", name, err)
		}
	}
	return nil
}

// pgTypeNames are the PostgreSQL catalog's names of the column types.
var pgTypeNames = map[string]string{
	"text": "text", "bigint": "bigint", "numeric": "numeric", "boolean": "boolean",
	"timestamptz": "timestamp with time zone", "jsonb": "jsonb", "text[]": "text[]",
}

// alter brings an existing table to the plan's shape: new fields become
// new columns, removed fields' columns are dropped (the mirror shows what
// the app holds), and a field whose type changed is dropped and re-added.
func (r *run) alter(p *plan) error {
	have := r.st.Tables[p.Collection]
	want := map[string]string{}
	for _, c := range p.Columns {
		want[c.Name] = pgTypeNames[c.pgType()]
	}
	table := ident(r.schema, p.Collection)
	for col, typ := range have {
		if w, ok := want[col]; !ok || w != typ {
			if _, err := r.tx.Exec(r.ctx, fmt.Sprintf("ALTER TABLE %s DROP COLUMN %s", table, ident(col))); err != nil {
				return fmt.Errorf("drop column %s: %w", col, err)
			}
			delete(have, col)
		}
	}
	for _, c := range p.Columns {
		if _, ok := have[c.Name]; ok {
			continue
		}
		if _, err := r.tx.Exec(r.ctx, fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", table, ident(c.Name), c.pgType())); err != nil {
			return fmt.Errorf("add column %s: %w", c.Name, err)
		}
		have[c.Name] = pgTypeNames[c.pgType()]
	}
	return nil
}

// upsert copies the rows changed since lower (all rows when nil) into a
// staging table and merges them into the mirror table; rows that did not
// change are left alone. It returns rows read, rows written and the
// highest watermark value read.
func (r *run) upsert(p *plan, lower *time.Time) (int64, int64, string, error) {
	src, err := r.read(p, lower)
	if err != nil {
		return 0, 0, "", err
	}
	defer src.close()
	if !src.peek() {
		return 0, 0, "", src.Err()
	}
	r.stage++
	stage := fmt.Sprintf("_sync_stage_%d", r.stage)
	if _, err := r.tx.Exec(r.ctx, fmt.Sprintf("CREATE TEMP TABLE %s (LIKE %s) ON COMMIT DROP", ident(stage), ident(r.schema, p.Collection))); err != nil {
		return 0, 0, "", fmt.Errorf("staging table: %w", err)
	}
	if _, err := r.tx.CopyFrom(r.ctx, pgx.Identifier{stage}, p.columnNames(), src); err != nil {
		return 0, 0, "", fmt.Errorf("copy: %w", err)
	}
	cols, set, old, neu := "", "", "", ""
	for i, c := range p.Columns {
		q := ident(c.Name)
		if i > 0 {
			cols += ", "
			old += ", "
			neu += ", "
		}
		cols += q
		old += "t." + q
		neu += "EXCLUDED." + q
		if c.Name != "id" {
			if set != "" {
				set += ", "
			}
			set += q + " = EXCLUDED." + q
		}
	}
	merge := fmt.Sprintf(`INSERT INTO %s AS t (%s) SELECT %s FROM %s ON CONFLICT (id) DO UPDATE SET %s WHERE (%s) IS DISTINCT FROM (%s)`,
		ident(r.schema, p.Collection), cols, cols, ident(stage), set, old, neu)
	if set == "" {
		merge = fmt.Sprintf(`INSERT INTO %s (id) SELECT id FROM %s ON CONFLICT (id) DO NOTHING`, ident(r.schema, p.Collection), ident(stage))
	}
	tag, err := r.tx.Exec(r.ctx, merge)
	if err != nil {
		return 0, 0, "", fmt.Errorf("merge: %w", err)
	}
	if _, err := r.tx.Exec(r.ctx, "DROP TABLE "+ident(stage)); err != nil {
		return 0, 0, "", fmt.Errorf("staging table: %w", err)
	}
	return src.n, tag.RowsAffected(), src.maxWM, nil
}

// copyInto copies rows straight into a new table.
func (r *run) copyInto(p *plan, table string, lower *time.Time) (int64, string, error) {
	src, err := r.read(p, lower)
	if err != nil {
		return 0, "", err
	}
	defer src.close()
	if _, err := r.tx.CopyFrom(r.ctx, pgx.Identifier{r.schema, table}, p.columnNames(), src); err != nil {
		return 0, "", fmt.Errorf("copy: %w", err)
	}
	return src.n, src.maxWM, nil
}

func (p *plan) columnNames() []string {
	out := make([]string, len(p.Columns))
	for i, c := range p.Columns {
		out[i] = c.Name
	}
	return out
}

// read queries the collection's rows in the SQLite snapshot: those whose
// watermark column is at or after lower, or all of them.
func (r *run) read(p *plan, lower *time.Time) (*rowSource, error) {
	q := "SELECT "
	for i, c := range p.Source {
		if i > 0 {
			q += ", "
		}
		q += `"` + c + `"`
	}
	q += ` FROM "` + p.Collection + `"`
	var args []any
	if lower != nil && p.Watermark != "" {
		q += ` WHERE "` + p.Watermark + `" >= ?`
		args = append(args, lower.UTC().Format(types.DefaultDateLayout))
	}
	rows, err := r.stx.QueryContext(r.ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", p.Collection, err)
	}
	return newRowSource(rows, p), nil
}
