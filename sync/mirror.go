package sync

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	gosync "sync"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/dbutils"
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
	snap   *snapshot
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
	defer func() {
		// bounded: a server that stopped answering must not hold the run
		rctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		tx.Rollback(rctx)
	}()

	r := &run{m: m, ctx: ctx, tx: tx, pid: conn.Conn().PgConn().PID(), schema: m.opts.Schema, rep: rep}
	if err := r.lock(ro.Wait); err != nil {
		return rep, err
	}
	// A mirror commit lost in a server crash is redone by the next run
	// (the watermark commits with the rows), so it need not wait for the
	// WAL flush; primary keys built after a bulk copy sort in memory.
	if _, err := tx.Exec(ctx, `SET LOCAL synchronous_commit = off; SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
		return rep, fmt.Errorf("session settings: %w", err)
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

	base := m.opts.BaseURL
	if base == "" {
		base = m.app.Settings().Meta.AppURL
	}
	ps, err := plans(m.app, base)
	if err != nil {
		return rep, err
	}
	warnUnindexed(m.app, ps)
	d, err := r.decide(ps, ro.Full)
	if err != nil {
		return rep, err
	}

	// Whole-table copies read big tables with several goroutines, on
	// transactions that share one snapshot.
	readers := 1
	if d.copies {
		readers = maxReaders()
	}
	if r.snap, err = openSnapshot(ctx, m.app, readers); err != nil {
		return rep, err
	}
	defer r.snap.close()
	rep.Snapshot = time.Now().UTC()

	applied, known := r.st.deletionsApplied()
	tombs, lastSeq, err := readTombstones(ctx, r.snap.main(), applied)
	if err != nil {
		return rep, err
	}
	if !known {
		// first run: every table is copied whole, older deletions are moot
		tombs = nil
	}
	if err := r.mirror(ps, d, tombs); err != nil {
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
	r.snap.close()
	rep.Finished = time.Now().UTC()
	if err := r.step("committed"); err != nil {
		return rep, err
	}

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

// lockSQL scopes the advisory lock to the target schema.
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

// decisions are what a run will do, known before it reads SQLite.
type decisions struct {
	acts       []action // per plan
	gone       []string // mirrored collections that no longer exist
	viewsDirty bool     // views must be dropped and created again
	copies     bool     // some table is copied whole
}

func (r *run) decide(ps []plan, full bool) (decisions, error) {
	d := decisions{acts: make([]action, len(ps))}
	d.viewsDirty = r.st.Meta[metaViews] != viewsSignature(r.schema)
	for _, v := range reportViews {
		if !r.st.Views[v.Name] {
			d.viewsDirty = true
		}
	}
	byName := map[string]bool{}
	for i, p := range ps {
		byName[p.Collection] = true
		cs, known := r.st.Collections[p.Collection]
		_, exists := r.st.Tables[p.Collection]
		if exists && !r.st.Owned[p.Collection] {
			return d, fmt.Errorf("sync: table %s.%s was not created by the mirror; rename or drop it, or choose another schema (QB_SYNC_SCHEMA)",
				r.schema, p.Collection)
		}
		switch {
		case !exists:
			d.acts[i] = actCreate
		case full || !known || cs.CollectionID != p.CollectionID:
			d.acts[i] = actReplace
		case cs.Signature != p.signature():
			d.acts[i] = actAlter
		}
		if d.acts[i] == actReplace || d.acts[i] == actAlter {
			d.viewsDirty = true
		}
		if d.acts[i] != actIncremental {
			d.copies = true
		}
	}
	for name := range r.st.Collections {
		if !byName[name] {
			d.gone = append(d.gone, name)
			d.viewsDirty = true
		}
	}
	return d, nil
}

// mirror does the work of a run inside the open transactions.
func (r *run) mirror(ps []plan, d decisions, tombs []tombstone) error {
	// Views read the tables: drop them before any table changes shape.
	if d.viewsDirty {
		if err := dropViews(r.ctx, r.tx, r.schema); err != nil {
			return err
		}
	}
	for _, name := range d.gone {
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
		cr, err := r.collection(&ps[i], d.acts[i], deleted[ps[i].CollectionID])
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
		if d.acts[i] == actReplace {
			if err := r.swap(p.Collection); err != nil {
				return err
			}
		}
	}

	if d.viewsDirty {
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
		n, wm, err := r.copyInto(p, table)
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
			// Rows stamped before the previous snapshot minus the overlap
			// had committed by then and were read; later ones may have
			// committed since, even with stamps below the watermark. So
			// re-read from the watermark (rows sharing its stamp) or from
			// that point, whichever is earlier: an idle app re-reads
			// next to nothing, a busy one its last overlap's worth.
			l := *prev.Watermark
			if since := prev.SyncedAt.Add(-r.m.opts.Overlap); since.Before(l) {
				l = since
			}
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
		sql += ident(c.Name) + " " + c.ddlType()
		if c.Name == "id" {
			sql += " NOT NULL"
		}
	}
	sql += ")"
	if _, err := r.tx.Exec(r.ctx, sql); err != nil {
		return fmt.Errorf("create table: %w", err)
	}
	comment := fmt.Sprintf("COMMENT ON TABLE %s IS '%s%s (mirrored by questbase sync; do not edit)'",
		ident(r.schema, table), ownedComment, p.Collection)
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
		if _, err := r.tx.Exec(r.ctx, fmt.Sprintf("ALTER TABLE %s ADD COLUMN %s %s", table, ident(c.Name), c.ddlType())); err != nil {
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
	q := r.selectQuery(p, lower)
	var any int
	err := q.conn.QueryRowContext(r.ctx, "SELECT EXISTS ("+q.sql+")", q.args...).Scan(&any)
	if err != nil {
		return 0, 0, "", fmt.Errorf("read %s: %w", p.Collection, err)
	}
	if any == 0 { // nothing changed: no staging table
		return 0, 0, "", nil
	}
	r.stage++
	stage := fmt.Sprintf("_sync_stage_%d", r.stage)
	if _, err := r.tx.Exec(r.ctx, fmt.Sprintf("CREATE TEMP TABLE %s (LIKE %s) ON COMMIT DROP", ident(stage), ident(r.schema, p.Collection))); err != nil {
		return 0, 0, "", fmt.Errorf("staging table: %w", err)
	}
	n, wm, err := r.copyRows(p, pgx.Identifier{stage}, []query{q})
	if err != nil {
		return 0, 0, "", err
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
	return n, tag.RowsAffected(), wm, nil
}

// splitAbove is the table size (by rowid span) from which a whole-table
// copy is read by several goroutines.
const splitAbove = 100_000

// copyInto copies every row straight into a new table; a big table is
// read in rowid ranges, one per snapshot connection.
func (r *run) copyInto(p *plan, table string) (int64, string, error) {
	all := r.selectQuery(p, nil)
	queries := []query{all}
	if len(r.snap.conns) > 1 {
		var lo, hi sql.NullInt64
		if err := all.conn.QueryRowContext(r.ctx, `SELECT MIN(rowid), MAX(rowid) FROM "`+p.Collection+`"`).Scan(&lo, &hi); err != nil {
			return 0, "", fmt.Errorf("read %s: %w", p.Collection, err)
		}
		if lo.Valid && hi.Int64-lo.Int64 >= splitAbove {
			queries = queries[:0]
			k := int64(len(r.snap.conns))
			step := (hi.Int64 - lo.Int64 + k) / k
			for i, c := range r.snap.conns {
				from := lo.Int64 + int64(i)*step
				queries = append(queries, query{conn: c, sql: all.sql + ` WHERE rowid BETWEEN ? AND ?`, args: []any{from, from + step - 1}})
			}
		}
	}
	return r.copyRows(p, pgx.Identifier{r.schema, table}, queries)
}

// selectQuery reads the collection's rows in the snapshot: those whose
// watermark column is at or after lower, or all of them.
func (r *run) selectQuery(p *plan, lower *time.Time) query {
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
	return query{conn: r.snap.main(), sql: q, args: args}
}

var warned gosync.Map

// warnUnindexed logs, once per collection and process, a mirrored
// collection whose watermark column has no index: every run then scans it.
func warnUnindexed(app core.App, ps []plan) {
	for _, p := range ps {
		if p.Watermark == "" {
			continue
		}
		c, err := app.FindCachedCollectionByNameOrId(p.Collection)
		if err != nil || leadingIndex(c, p.Watermark) {
			continue
		}
		if _, done := warned.LoadOrStore(p.Collection, true); !done {
			slog.Warn("reporting mirror: collection has no index on its watermark column; each run scans it whole (add one in a migration)",
				slog.String("collection", p.Collection), slog.String("column", p.Watermark))
		}
	}
}

func leadingIndex(c *core.Collection, column string) bool {
	for _, idx := range c.Indexes {
		parsed := dbutils.ParseIndex(idx)
		if len(parsed.Columns) > 0 && strings.EqualFold(parsed.Columns[0].Name, column) {
			return true
		}
	}
	return false
}
