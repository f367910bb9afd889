package sync_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	gosync "sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"questbase/hooks/testapp"
	qbsync "questbase/sync"
	"questbase/sync/pgtest"
)

// A run whose connection is killed from another session at any point —
// between collections, just before COMMIT — changes nothing in the mirror
// and keeps the tombstones; the next run converges to exactly SQLite.
func TestConvergesAfterTheBackendIsTerminated(t *testing.T) {
	for _, at := range []string{"locked", "copying:points", "collection:meetups", "collection:users", "commit"} {
		t.Run(at, func(t *testing.T) {
			app, w := newApp(t)
			dsn := pgtest.Database(t)
			admin := pgtest.Connect(t, dsn)
			var armed atomic.Bool
			m, conn := mirrorOf(t, app, qbsync.WithStep(qbsync.Options{DSN: dsn}, func(step string, pid uint32) error {
				if armed.Load() && step == at {
					var ok bool
					if err := admin.QueryRow(context.Background(), `SELECT pg_terminate_backend($1, 5000)`, int32(pid)).Scan(&ok); err != nil || !ok {
						t.Errorf("terminate backend %d: %v %v", pid, ok, err)
					}
				}
				return nil
			}))
			run(t, m, qbsync.RunOptions{})

			meetup, _ := app.FindRecordById("meetups", w.Meetup)
			meetup.Set("title", "Renamed while PostgreSQL failed")
			if err := app.Save(meetup); err != nil {
				t.Fatal(err)
			}
			fb, _ := app.FindRecordById("feedback", w.Feedback)
			if err := app.Delete(fb); err != nil {
				t.Fatal(err)
			}
			save(t, app, "tags", map[string]any{"name": "added meanwhile"})
			// enough new ledger rows that their COPY goes out in several chunks
			if _, err := app.NonconcurrentDB().NewQuery(`WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < 5000)
				INSERT INTO points (id, user, amount, reason, ref, note, tags, created, updated)
				SELECT printf('kill%011d', i), {:user}, i % 50, 'quiz', 'kill' || i, 'bulk row ' || i, '[]',
					strftime('%Y-%m-%d %H:%M:%fZ'), strftime('%Y-%m-%d %H:%M:%fZ') FROM s`).Bind(dbx.Params{"user": w.Student2}).Execute(); err != nil {
				t.Fatal(err)
			}

			armed.Store(true)
			if _, err := m.Run(context.Background(), qbsync.RunOptions{}); err == nil {
				t.Fatal("the run survived its backend's termination")
			}
			armed.Store(false)
			if rows := query(t, conn, `SELECT title FROM questbase.meetups WHERE id = $1`, w.Meetup); rows[0]["title"] == "Renamed while PostgreSQL failed" {
				t.Error("the failed run left part of its work in the mirror")
			}
			if tombstones(t, app) != 1 {
				t.Errorf("the failed run pruned tombstones: %d left", tombstones(t, app))
			}

			run(t, m, qbsync.RunOptions{})
			assertMirrors(t, app, conn, qbsync.DefaultSchema)
		})
	}
}

// A run that commits but stops before removing the tombstones from SQLite
// (a crash, a busy database) leaves them behind; the next run must not
// apply them again — here that would delete a record created again under
// the same id.
func TestTombstonesApplyOnce(t *testing.T) {
	app, _ := newApp(t)
	var stop atomic.Bool
	m, conn := mirrorOf(t, app, qbsync.WithStep(qbsync.Options{}, func(step string, _ uint32) error {
		if stop.Load() && step == "committed" {
			return errors.New("crashed before pruning")
		}
		return nil
	}))
	tag := save(t, app, "tags", map[string]any{"name": "phoenix"})
	run(t, m, qbsync.RunOptions{})
	if err := app.Delete(tag); err != nil {
		t.Fatal(err)
	}
	stop.Store(true)
	if _, err := m.Run(context.Background(), qbsync.RunOptions{}); err == nil {
		t.Fatal("want the simulated crash")
	}
	stop.Store(false)
	if tombstones(t, app) != 1 {
		t.Fatalf("tombstones after the crash: %d", tombstones(t, app))
	}
	save(t, app, "tags", map[string]any{"id": tag.Id, "name": "phoenix again"})
	run(t, m, qbsync.RunOptions{})
	assertMirrors(t, app, conn, qbsync.DefaultSchema)
	if tombstones(t, app) != 0 {
		t.Errorf("%d tombstones left", tombstones(t, app))
	}
}

// Two runs never overlap: in one process the second is refused at once;
// across processes the advisory lock refuses it, or (`sync --once`) makes
// it wait for the first to finish.
func TestRunsNeverOverlap(t *testing.T) {
	app, _ := newApp(t)
	dsn := pgtest.Database(t)
	reached, release := make(chan struct{}), make(chan struct{})
	var once gosync.Once
	first, conn := mirrorOf(t, app, qbsync.WithStep(qbsync.Options{DSN: dsn}, func(step string, _ uint32) error {
		if step == "locked" {
			once.Do(func() { close(reached); <-release })
		}
		return nil
	}))
	other, _ := mirrorOf(t, app, qbsync.Options{DSN: dsn})

	firstDone := make(chan error, 1)
	go func() { _, err := first.Run(context.Background(), qbsync.RunOptions{}); firstDone <- err }()
	<-reached

	if _, err := first.Run(context.Background(), qbsync.RunOptions{}); !errors.Is(err, qbsync.ErrBusy) {
		t.Errorf("second run in the same process: %v, want ErrBusy", err)
	}
	if _, err := other.Run(context.Background(), qbsync.RunOptions{}); !errors.Is(err, qbsync.ErrBusy) {
		t.Errorf("second run in another process: %v, want ErrBusy", err)
	}
	waited := make(chan error, 1)
	go func() { _, err := other.Run(context.Background(), qbsync.RunOptions{Wait: true}); waited <- err }()
	select {
	case err := <-waited:
		t.Fatalf("a waiting run finished while the first held the lock: %v", err)
	case <-time.After(1500 * time.Millisecond):
	}
	close(release)
	if err := <-firstDone; err != nil {
		t.Fatal(err)
	}
	if err := <-waited; err != nil {
		t.Fatalf("the waiting run: %v", err)
	}
	if rows := query(t, conn, `SELECT count(*) AS n FROM questbase._sync_runs`); rows[0]["n"] != 2.0 {
		t.Errorf("%v runs recorded, want 2", rows[0]["n"])
	}
	assertMirrors(t, app, conn, qbsync.DefaultSchema)
}

// proxy forwards TCP connections to PostgreSQL; down cuts every
// connection and refuses new ones, as a server that went away.
type proxy struct {
	t      *testing.T
	addr   string
	target string
	mu     gosync.Mutex
	ln     net.Listener
	conns  []net.Conn
}

func newProxy(t *testing.T, target string) *proxy {
	p := &proxy{t: t, target: target}
	p.up()
	p.addr = p.ln.Addr().String()
	t.Cleanup(p.down)
	return p
}

func (p *proxy) up() {
	addr := p.addr
	if addr == "" {
		addr = "127.0.0.1:0"
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		p.t.Fatal(err)
	}
	p.mu.Lock()
	p.ln = ln
	p.mu.Unlock()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			s, err := net.Dial("tcp", p.target)
			if err != nil {
				c.Close()
				continue
			}
			p.mu.Lock()
			p.conns = append(p.conns, c, s)
			p.mu.Unlock()
			go func() { io.Copy(s, c); s.Close() }()
			go func() { io.Copy(c, s); c.Close() }()
		}
	}()
}

func (p *proxy) down() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.ln != nil {
		p.ln.Close()
		p.ln = nil
	}
	for _, c := range p.conns {
		c.Close()
	}
	p.conns = nil
}

// through returns dsn with its host and port replaced by the proxy's.
func (p *proxy) through(dsn string) string {
	u, err := url.Parse(dsn)
	if err != nil {
		p.t.Fatal(err)
	}
	u.Host = p.addr
	q := u.Query()
	q.Set("connect_timeout", "2")
	u.RawQuery = q.Encode()
	return u.String()
}

func status(t *testing.T, h http.Handler, token string) qbsync.Status {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, "/api/sync/status", nil)
	req.Header.Set("Authorization", token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		t.Fatalf("status: %d %s", rec.Code, rec.Body)
	}
	var s qbsync.Status
	if err := json.Unmarshal(rec.Body.Bytes(), &s); err != nil {
		t.Fatal(err)
	}
	return s
}

func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(45 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting for %s", what)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// With the scheduled job running, PostgreSQL going away mid-life neither
// breaks nor slows the app: requests and saves go on, the status page
// names the error, the job backs off; when the server is back the job
// catches up with nothing lost or duplicated.
func TestPostgresOutage(t *testing.T) {
	dsn := pgtest.Database(t)
	u, _ := url.Parse(dsn)
	px := newProxy(t, u.Host)
	cfg := testapp.TestConfig()
	cfg.PostgresDSN = px.through(dsn)
	cfg.SyncInterval = time.Second
	cfg.PublicURL = baseURL
	app, w := testapp.NewWith(t, testapp.Options{Config: &cfg})
	if err := qbsync.Register(app, cfg); err != nil {
		t.Fatal(err)
	}
	h := testapp.Handler(t, app) // starts the job, as serve does
	su := w.Token(w.Superuser)

	waitFor(t, "the first run", func() bool { s := status(t, h, su); return s.LastRun != nil && s.Failures == 0 })

	px.down()
	before := status(t, h, su).LastRun.Snapshot
	for i := range 5 {
		start := time.Now()
		req := httptest.NewRequest(http.MethodGet, "/api/collections/levels/records", nil)
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("the app stopped serving: %d", rec.Code)
		}
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("request %d took %s while PostgreSQL is down", i, d)
		}
		save(t, app, "tags", map[string]any{"name": "outage " + string(rune('a'+i))})
	}
	fb, _ := app.FindRecordById("feedback", w.Feedback)
	if err := app.Delete(fb); err != nil {
		t.Fatal(err)
	}
	var down qbsync.Status
	waitFor(t, "the job to report the outage", func() bool {
		down = status(t, h, su)
		return down.Failures >= 1 && down.LastError != ""
	})
	if !strings.HasPrefix(down.Postgres, "unavailable") || down.NextRun == nil || down.LastRun == nil || !down.LastRun.Snapshot.Equal(before) {
		t.Errorf("status during the outage: %+v", down)
	}
	if len(down.Collections) == 0 || down.Collections[0].SourceRows == 0 {
		t.Errorf("status lists no collections during the outage: %+v", down.Collections)
	}

	px.up()
	waitFor(t, "the job to catch up", func() bool {
		s := status(t, h, su)
		return s.Failures == 0 && s.LastRun != nil && s.LastRun.Snapshot.After(down.LastErrorAt.Add(-time.Second)) && s.Postgres == "ok"
	})
	conn := pgtest.Connect(t, dsn)
	if _, err := conn.Exec(context.Background(), "SET TIME ZONE 'UTC'"); err != nil {
		t.Fatal(err)
	}
	assertMirrors(t, app, conn, qbsync.DefaultSchema)
	final := status(t, h, su)
	for _, c := range final.Collections {
		if c.MirrorRows == nil || *c.MirrorRows != c.SourceRows || c.SyncedAt == nil {
			t.Errorf("status of %s after catching up: %+v", c.Collection, c)
		}
	}
	if final.LagSeconds == nil || *final.LagSeconds < 0 {
		t.Errorf("lag: %v", final.LagSeconds)
	}
}
