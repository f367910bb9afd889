package sync_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"questbase/hooks/testapp"
	qbsync "questbase/sync"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// newApp is a test app with the fixture world, questbase's hooks and the
// mirror's tombstone hook (as main binds them), with no mirror job.
func newApp(t *testing.T) (*tests.TestApp, *testapp.World) {
	t.Helper()
	app, w := testapp.New(t)
	if err := qbsync.Register(app, testapp.TestConfig()); err != nil {
		t.Fatal(err)
	}
	return app, w
}

func save(t *testing.T, app core.App, collection string, data map[string]any) *core.Record {
	t.Helper()
	c, err := app.FindCollectionByNameOrId(collection)
	if err != nil {
		t.Fatal(err)
	}
	rec := core.NewRecord(c)
	for k, v := range data {
		rec.Set(k, v)
	}
	if err := app.Save(rec); err != nil {
		t.Fatalf("save %s: %v", collection, err)
	}
	return rec
}

func file(t *testing.T, name string) *filesystem.File {
	t.Helper()
	f, err := filesystem.NewFileFromBytes(testapp.PNG(8, 8), name)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

// enrich adds values of every kind the fixture lacks: files (public,
// protected, several), fractional numbers, JSON, multi-value selects,
// empty dates, text that needs quoting.
func enrich(t *testing.T, app core.App, w *testapp.World) {
	t.Helper()
	m, err := app.FindRecordById("meetups", w.Meetup)
	if err != nil {
		t.Fatal(err)
	}
	m.Set("banner", file(t, "ml banner.png"))
	m.Set("agenda", []map[string]any{{"at": "18:00", "title": "Доклад «Go» \"quoted\" \\ tab\t", "n": 1.5}})
	m.Set("description", "<p>line 1\nline 2 'single' \"double\" 😀</p>")
	if err := app.Save(m); err != nil {
		t.Fatal(err)
	}
	cl, err := app.FindRecordById("claims", w.Claim)
	if err != nil {
		t.Fatal(err)
	}
	cl.Set("attachments", []*filesystem.File{file(t, "a.png"), file(t, "b.png")})
	if err := app.Save(cl); err != nil {
		t.Fatal(err)
	}
	save(t, app, "courses", map[string]any{"title": "Fractions", "completion_share": 0.75, "starts_on": "2026-02-03 10:00:00.000Z"})
	save(t, app, "verification_archive", map[string]any{"user": w.Student, "photo": file(t, "id.png"), "status": "rejected", "note": "blurry"})
}

// A full mirror holds every mirrored collection row for row and column
// for column as SQLite does, without secrets, and its file URLs serve
// the files.
func TestFullMirrorEqualsSource(t *testing.T) {
	app, w := newApp(t)
	enrich(t, app, w)
	m, conn := mirrorOf(t, app, qbsync.Options{})

	rep := run(t, m, qbsync.RunOptions{Full: true})
	if rep.Upserted == 0 {
		t.Fatalf("nothing mirrored: %+v", rep)
	}
	assertMirrors(t, app, conn, qbsync.DefaultSchema)

	// a public file's mirrored URL serves it; a protected one needs a token
	h := testapp.Handler(t, app)
	rows := query(t, conn, `SELECT banner_url FROM questbase.meetups WHERE id = $1`, w.Meetup)
	if code := get(h, rows[0]["banner_url"].(string), ""); code != http.StatusOK {
		t.Errorf("public file URL %s: %d", rows[0]["banner_url"], code)
	}
	rows = query(t, conn, `SELECT attachments_urls FROM questbase.claims WHERE id = $1`, w.Claim)
	urls := rows[0]["attachments_urls"].([]string)
	if len(urls) != 2 {
		t.Fatalf("claim attachments: %v", urls)
	}
	if code := get(h, urls[1], ""); code == http.StatusOK {
		t.Errorf("protected file served without a token")
	}
	su, err := app.FindRecordById(core.CollectionNameSuperusers, w.Superuser)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := su.NewFileToken()
	if err != nil {
		t.Fatal(err)
	}
	if code := get(h, urls[1], tok); code != http.StatusOK {
		t.Errorf("protected file URL with a token: %d", code)
	}

	// a second run finds nothing new
	rep = run(t, m, qbsync.RunOptions{})
	if rep.Upserted != 0 || rep.Deleted != 0 {
		t.Errorf("an idle run wrote %d rows and deleted %d", rep.Upserted, rep.Deleted)
	}
}

func get(h http.Handler, url, token string) int {
	path := strings.TrimPrefix(url, baseURL)
	if token != "" {
		path += "?token=" + token
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec.Code
}

// `--full` rebuilds every table from scratch: whatever happened to the
// mirror (rows removed or added behind its back), it ends up equal to
// SQLite again, with its views.
func TestFullRunRebuilds(t *testing.T) {
	app, w := newApp(t)
	m, conn := mirrorOf(t, app, qbsync.Options{})
	run(t, m, qbsync.RunOptions{})
	for _, q := range []string{
		`DELETE FROM questbase.users WHERE id = '` + w.Student + `'`,
		`INSERT INTO questbase.tags (id, name) VALUES ('ghost', 'ghost')`,
		`UPDATE questbase.meetups SET title = 'tampered'`,
	} {
		if _, err := conn.Exec(context.Background(), q); err != nil {
			t.Fatal(err)
		}
	}
	rep := run(t, m, qbsync.RunOptions{Full: true})
	if rep.Mode != "full" {
		t.Errorf("mode %q", rep.Mode)
	}
	assertMirrors(t, app, conn, qbsync.DefaultSchema)
	if rows := query(t, conn, `SELECT count(*) AS n FROM questbase.report_meetup_funnel`); rows[0]["n"] != 2.0 {
		t.Errorf("funnel rows after the rebuild: %v", rows[0]["n"])
	}
}
