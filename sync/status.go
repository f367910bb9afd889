package sync

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
)

// statusTimeout bounds the status page's PostgreSQL queries: an
// unreachable server shows as an error, not as a hanging page.
const statusTimeout = 3 * time.Second

// Status is the answer of GET /api/sync/status.
type Status struct {
	Enabled  bool   `json:"enabled"`
	Message  string `json:"message,omitempty"`
	Schema   string `json:"schema,omitempty"`
	Interval string `json:"interval,omitempty"`
	Running  bool   `json:"running"`

	// LastRun is the last successful run, by this service or by
	// `questbase sync` (read from PostgreSQL when it answers).
	LastRun *RunStatus `json:"last_run,omitempty"`
	// LagSeconds is how old the mirror's data is: now minus the snapshot
	// time of the last successful run.
	LagSeconds  *float64   `json:"lag_seconds,omitempty"`
	LastAttempt *time.Time `json:"last_attempt,omitempty"`
	LastError   string     `json:"last_error,omitempty"`
	LastErrorAt *time.Time `json:"last_error_at,omitempty"`
	Failures    int        `json:"consecutive_failures"`
	NextRun     *time.Time `json:"next_run,omitempty"`

	// Postgres is "ok" or why the server could not be read.
	Postgres    string             `json:"postgres,omitempty"`
	Collections []CollectionStatus `json:"collections,omitempty"`
}

// RunStatus summarises one run.
type RunStatus struct {
	Mode       string    `json:"mode"`
	Started    time.Time `json:"started"`
	Finished   time.Time `json:"finished"`
	Snapshot   time.Time `json:"snapshot"`
	Upserted   int64     `json:"upserted"`
	Deleted    int64     `json:"deleted"`
	ViewsError string    `json:"views_error,omitempty"`
}

// CollectionStatus compares one collection with its mirror table.
type CollectionStatus struct {
	Collection string     `json:"collection"`
	Table      string     `json:"table"`
	SourceRows int64      `json:"source_rows"`
	MirrorRows *int64     `json:"mirror_rows"`
	Watermark  *time.Time `json:"watermark"`
	SyncedAt   *time.Time `json:"synced_at"`
}

// Status reports the job; a nil job is a disabled mirror.
func (j *Job) Status(ctx context.Context) Status {
	if j == nil {
		return Status{Message: "the reporting mirror is off (set QB_POSTGRES_DSN)"}
	}
	s := Status{Enabled: true, Schema: j.m.Schema(), Interval: j.interval.String(), Running: j.m.running.Load()}
	j.mu.Lock()
	if !j.attempt.IsZero() {
		t := j.attempt
		s.LastAttempt = &t
	}
	if j.lastErr != "" {
		t := j.errAt
		s.LastError, s.LastErrorAt = j.lastErr, &t
	}
	s.Failures = j.failures
	if !j.next.IsZero() && j.cancel != nil {
		t := j.next.UTC()
		s.NextRun = &t
	}
	if j.last != nil {
		s.LastRun = runStatusOf(j.last)
	}
	j.mu.Unlock()

	counts := sourceCounts(j.m.app)
	ctx, cancel := context.WithTimeout(ctx, statusTimeout)
	defer cancel()
	if err := j.m.fillStatus(ctx, &s, counts); err != nil {
		s.Postgres = "unavailable: " + err.Error()
		for _, c := range counts {
			s.Collections = append(s.Collections, CollectionStatus{Collection: c.name, Table: j.m.Schema() + "." + c.name, SourceRows: c.rows})
		}
	} else {
		s.Postgres = "ok"
	}
	if s.LastRun != nil {
		lag := time.Since(s.LastRun.Snapshot).Seconds()
		s.LagSeconds = &lag
	}
	return s
}

func runStatusOf(r *Report) *RunStatus {
	return &RunStatus{Mode: r.Mode, Started: r.Started, Finished: r.Finished, Snapshot: r.Snapshot,
		Upserted: r.Upserted, Deleted: r.Deleted, ViewsError: r.ViewsError}
}

type sourceCount struct {
	name string
	rows int64
}

// sourceCounts counts the rows of every mirrored collection in SQLite.
func sourceCounts(app core.App) []sourceCount {
	ps, err := plans(app, "")
	if err != nil {
		return nil
	}
	out := make([]sourceCount, 0, len(ps))
	for _, p := range ps {
		var n int64
		app.ConcurrentDB().NewQuery(`SELECT COUNT(*) FROM "` + p.Collection + `"`).Row(&n)
		out = append(out, sourceCount{p.Collection, n})
	}
	return out
}

// fillStatus reads the last run, the watermarks and the table sizes.
func (m *Mirror) fillStatus(ctx context.Context, s *Status, counts []sourceCount) error {
	conn, err := m.pool.Acquire(ctx)
	if err != nil {
		return err
	}
	defer conn.Release()
	schema := m.Schema()
	var exists bool
	if err := conn.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, ident(schema, runsTable)).Scan(&exists); err != nil {
		return err
	}
	if !exists {
		for _, c := range counts {
			s.Collections = append(s.Collections, CollectionStatus{Collection: c.name, Table: schema + "." + c.name, SourceRows: c.rows})
		}
		return nil
	}
	var r RunStatus
	var viewsErr *string
	err = conn.QueryRow(ctx, fmt.Sprintf(`SELECT mode, started_at, finished_at, snapshot_at, upserted, deleted, views_error
		FROM %s ORDER BY id DESC LIMIT 1`, ident(schema, runsTable))).
		Scan(&r.Mode, &r.Started, &r.Finished, &r.Snapshot, &r.Upserted, &r.Deleted, &viewsErr)
	switch {
	case err == pgx.ErrNoRows:
	case err != nil:
		return err
	default:
		if viewsErr != nil {
			r.ViewsError = *viewsErr
		}
		r.Started, r.Finished, r.Snapshot = r.Started.UTC(), r.Finished.UTC(), r.Snapshot.UTC()
		if s.LastRun == nil || r.Snapshot.After(s.LastRun.Snapshot) {
			s.LastRun = &r
		}
	}

	states := map[string]collState{}
	rows, err := conn.Query(ctx, fmt.Sprintf(`SELECT collection, collection_id, signature, watermark, synced_at FROM %s`, ident(schema, stateTable)))
	if err != nil {
		return err
	}
	for rows.Next() {
		var name string
		var c collState
		if err := rows.Scan(&name, &c.CollectionID, &c.Signature, &c.Watermark, &c.SyncedAt); err != nil {
			rows.Close()
			return err
		}
		states[name] = c
	}
	if err := rows.Err(); err != nil {
		return err
	}
	for _, c := range counts {
		cs := CollectionStatus{Collection: c.name, Table: schema + "." + c.name, SourceRows: c.rows}
		if st, ok := states[c.name]; ok {
			if st.Watermark != nil {
				w := st.Watermark.UTC()
				cs.Watermark = &w
			}
			at := st.SyncedAt.UTC()
			cs.SyncedAt = &at
			var n int64
			if err := conn.QueryRow(ctx, "SELECT count(*) FROM "+ident(schema, c.name)).Scan(&n); err == nil {
				cs.MirrorRows = &n
			}
		}
		s.Collections = append(s.Collections, cs)
	}
	return nil
}

// statusRoute answers GET /api/sync/status (superusers only).
func statusRoute(se *core.ServeEvent, j *Job) {
	se.Router.GET("/api/sync/status", func(e *core.RequestEvent) error {
		return e.JSON(http.StatusOK, j.Status(e.Request.Context()))
	}).Bind(apis.RequireSuperuserAuth())
}
