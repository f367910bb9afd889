package sync_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	qbsync "questbase/sync"
)

func tombstones(t *testing.T, app core.App) int {
	t.Helper()
	var n int
	if err := app.DB().NewQuery("SELECT COUNT(*) FROM _sync_deletions").Row(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// Updates, deletes (also cascaded ones) and a record deleted and created
// again with the same id reach the mirror on the next run; applied
// tombstones are removed from SQLite.
func TestUpdatesAndDeletesReachTheMirror(t *testing.T) {
	app, w := newApp(t)
	m, conn := mirrorOf(t, app, qbsync.Options{})
	run(t, m, qbsync.RunOptions{})

	meetup, err := app.FindRecordById("meetups", w.Meetup)
	if err != nil {
		t.Fatal(err)
	}
	meetup.Set("title", "ML meetup, moved")
	meetup.Set("capacity", 80)
	if err := app.Save(meetup); err != nil {
		t.Fatal(err)
	}
	fb, err := app.FindRecordById("feedback", w.Feedback)
	if err != nil {
		t.Fatal(err)
	}
	if err := app.Delete(fb); err != nil {
		t.Fatal(err)
	}
	// a user whose registrations, check-ins and ledger rows cascade away
	u := save(t, app, "users", map[string]any{"first_name": "Gone", "password": "a-long-password", "passwordConfirm": "a-long-password"})
	reg := save(t, app, "registrations", map[string]any{"meetup": w.Meetup, "user": u.Id})
	save(t, app, "points", map[string]any{"user": u.Id, "amount": 3, "reason": "quiz", "ref": "q-gone"})
	// deleted and created again under the same id
	tag := save(t, app, "tags", map[string]any{"name": "phoenix"})
	run(t, m, qbsync.RunOptions{})
	if err := app.Delete(tag); err != nil {
		t.Fatal(err)
	}
	again := save(t, app, "tags", map[string]any{"id": tag.Id, "name": "phoenix"})
	if err := app.Delete(u); err != nil {
		t.Fatal(err)
	}
	if tombstones(t, app) < 4 {
		t.Fatalf("deletes left %d tombstones, want the feedback, tag, user and cascaded rows", tombstones(t, app))
	}

	rep := run(t, m, qbsync.RunOptions{})
	if rep.Deleted < 4 {
		t.Errorf("run deleted %d rows, want at least 4", rep.Deleted)
	}
	assertMirrors(t, app, conn, qbsync.DefaultSchema)
	if rows := query(t, conn, `SELECT title, capacity FROM questbase.meetups WHERE id = $1`, w.Meetup); rows[0]["title"] != "ML meetup, moved" || rows[0]["capacity"] != 80.0 {
		t.Errorf("updated meetup in the mirror: %v", rows)
	}
	if rows := query(t, conn, `SELECT id FROM questbase.registrations WHERE id = $1`, reg.Id); len(rows) != 0 {
		t.Error("a cascaded delete is still in the mirror")
	}
	if rows := query(t, conn, `SELECT id FROM questbase.tags WHERE id = $1`, again.Id); len(rows) != 1 {
		t.Error("a record created again under a deleted id is missing")
	}
	if n := tombstones(t, app); n != 0 {
		t.Errorf("%d applied tombstones left in SQLite", n)
	}

	// a delete that rolls back leaves no tombstone and nothing to apply
	err = app.RunInTransaction(func(tx core.App) error {
		rec, err := tx.FindRecordById("checkins", w.Checkin)
		if err != nil {
			return err
		}
		if err := tx.Delete(rec); err != nil {
			return err
		}
		return errors.New("changed my mind")
	})
	if err == nil || tombstones(t, app) != 0 {
		t.Fatalf("rolled-back delete: err %v, %d tombstones", err, tombstones(t, app))
	}
	if rep := run(t, m, qbsync.RunOptions{}); rep.Upserted != 0 || rep.Deleted != 0 {
		t.Errorf("an idle run after a rollback wrote %d rows and deleted %d", rep.Upserted, rep.Deleted)
	}
}

// PocketBase stamps `updated` before the write commits, so a row can
// become visible with a timestamp at or below the watermark of a run that
// already finished. Such rows — equal to the watermark, or a little older —
// are still mirrored by the next run.
func TestRowsCommittedBehindTheWatermark(t *testing.T) {
	app, w := newApp(t)
	m, conn := mirrorOf(t, app, qbsync.Options{})
	// later than every fixture row, so that it becomes the watermark
	at := types.NowDateTime().Add(time.Second)
	stamp := at.String()
	exec := func(q string, params dbx.Params) {
		t.Helper()
		if _, err := app.NonconcurrentDB().NewQuery(q).Bind(params).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	// the newest row of the first run sets the watermark to stamp
	exec(`UPDATE tags SET name = 'ml-renamed', updated = {:at} WHERE id = {:id}`, dbx.Params{"at": stamp, "id": w.TagML})
	rep := run(t, m, qbsync.RunOptions{})
	for _, c := range rep.Collections {
		if c.Collection == "tags" && (c.Watermark == nil || c.Watermark.Format(types.DefaultDateLayout) != stamp) {
			t.Fatalf("tags watermark %v, want %s", c.Watermark, stamp)
		}
	}
	// late commits: one with the very same stamp, one older
	older := at.Add(-20 * time.Second).String()
	exec(`INSERT INTO tags (id, name, description, created, updated) VALUES ('sametimestamp1', 'same', '', {:at}, {:at})`, dbx.Params{"at": stamp})
	exec(`UPDATE tags SET description = 'late', updated = {:at} WHERE id = {:id}`, dbx.Params{"at": older, "id": w.TagWeb})

	run(t, m, qbsync.RunOptions{})
	assertMirrors(t, app, conn, qbsync.DefaultSchema)
	rows := query(t, conn, `SELECT id, description FROM questbase.tags WHERE id IN ('sametimestamp1', $1) ORDER BY id`, w.TagWeb)
	if len(rows) != 2 {
		t.Fatalf("rows committed behind the watermark are missing: %v", rows)
	}
}

// Once the overlap has passed, an idle run re-reads only the rows stamped
// at the watermarks, not the last minute of history before them.
func TestIdleRunReadsLittle(t *testing.T) {
	app, _ := newApp(t)
	// history that ended two hours ago, a row every second before that
	cols, err := app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if !qbsync.Mirrored(c) || c.Fields.GetByName("updated") == nil {
			continue
		}
		if _, err := app.NonconcurrentDB().NewQuery(`UPDATE "` + c.Name + `" SET updated =
			strftime('%Y-%m-%d %H:%M:%fZ', 'now', '-2 hours', '-' || (rowid % 120) || ' seconds')`).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	m, _ := mirrorOf(t, app, qbsync.Options{})
	first := run(t, m, qbsync.RunOptions{})
	rep := run(t, m, qbsync.RunOptions{})
	var read, colls int64
	for _, c := range rep.Collections {
		if c.Collection != "audit_log" { // its watermark is created, which is recent here
			read += c.Read
			colls++
		}
	}
	// the rows stamped at each watermark: about one per collection
	if rep.Upserted != 0 || read > 2*colls {
		t.Errorf("idle run read %d rows and wrote %d (first run wrote %d)", read, rep.Upserted, first.Upserted)
	}
}
