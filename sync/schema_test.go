package sync_test

import (
	"context"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	qbsync "questbase/sync"
)

// A migration-like change of the schema reaches the mirror on the next
// run: added fields become columns (existing rows carry SQLite's values),
// removed fields' columns go, a field that became multi-valued becomes an
// array, a new collection becomes a table and a removed one's table goes.
// The reporting views survive.
func TestSchemaChangesReachTheMirror(t *testing.T) {
	app, w := newApp(t)
	m, conn := mirrorOf(t, app, qbsync.Options{})

	doomed := core.NewBaseCollection("doomed")
	doomed.Fields.Add(&core.TextField{Name: "name"}, &core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true})
	if err := app.Save(doomed); err != nil {
		t.Fatal(err)
	}
	save(t, app, "doomed", map[string]any{"name": "soon gone"})
	run(t, m, qbsync.RunOptions{})

	meetups, err := app.FindCollectionByNameOrId("meetups")
	if err != nil {
		t.Fatal(err)
	}
	meetups.Fields.Add(
		&core.TextField{Name: "room"},
		&core.NumberField{Name: "rating_boost"},
		&core.BoolField{Name: "online"},
	)
	meetups.Fields.RemoveByName("location")
	meetups.Fields.GetByName("created_by").(*core.RelationField).MaxSelect = 3
	if err := app.Save(meetups); err != nil {
		t.Fatal(err)
	}
	m1, err := app.FindRecordById("meetups", w.Meetup)
	if err != nil {
		t.Fatal(err)
	}
	m1.Set("room", "A-101")
	m1.Set("online", true)
	m1.Set("created_by", []string{w.Host, w.Student})
	if err := app.Save(m1); err != nil {
		t.Fatal(err)
	}

	sponsors := core.NewBaseCollection("sponsors")
	sponsors.Fields.Add(
		&core.TextField{Name: "name"},
		&core.NumberField{Name: "amount", OnlyInt: true},
		&core.AutodateField{Name: "created", OnCreate: true},
		&core.AutodateField{Name: "updated", OnCreate: true, OnUpdate: true},
	)
	if err := app.Save(sponsors); err != nil {
		t.Fatal(err)
	}
	save(t, app, "sponsors", map[string]any{"name": "Acme", "amount": 1000})
	if err := app.Delete(doomed); err != nil {
		t.Fatal(err)
	}

	rep := run(t, m, qbsync.RunOptions{})
	actions := map[string]string{}
	for _, c := range rep.Collections {
		actions[c.Collection] = c.Action
	}
	if actions["meetups"] != "altered" || actions["sponsors"] != "copied" || actions["doomed"] != "dropped" {
		t.Errorf("run actions: %v", actions)
	}
	assertMirrors(t, app, conn, qbsync.DefaultSchema)
	cols := tables(t, conn, qbsync.DefaultSchema)
	if _, ok := cols["doomed"]; ok {
		t.Error("the table of a removed collection is still there")
	}
	if rows := query(t, conn, `SELECT room, online, rating_boost, created_by FROM questbase.meetups WHERE id = $1`, w.Meetup); len(rows) != 1 ||
		rows[0]["room"] != "A-101" || rows[0]["online"] != true || rows[0]["rating_boost"] != 0.0 || len(rows[0]["created_by"].([]string)) != 2 {
		t.Errorf("new columns of the meetup: %v", rows)
	}
	if rows := query(t, conn, `SELECT count(*) AS n FROM questbase.report_meetup_funnel`); rows[0]["n"] == 0.0 {
		t.Error("the funnel view is empty after the schema change")
	}
}

// The mirror never drops or fills a table it did not create: a table of
// someone else's under a collection's name stops the run with a message.
func TestForeignTableIsLeftAlone(t *testing.T) {
	app, _ := newApp(t)
	m, conn := mirrorOf(t, app, qbsync.Options{})
	if _, err := conn.Exec(context.Background(), `CREATE SCHEMA questbase; CREATE TABLE questbase.tags (mine int); INSERT INTO questbase.tags VALUES (42)`); err != nil {
		t.Fatal(err)
	}
	_, err := m.Run(context.Background(), qbsync.RunOptions{Full: true})
	if err == nil || !strings.Contains(err.Error(), "questbase.tags was not created by the mirror") {
		t.Fatalf("run over a foreign table: %v", err)
	}
	if rows := query(t, conn, `SELECT mine FROM questbase.tags`); len(rows) != 1 || rows[0]["mine"] != 42.0 {
		t.Errorf("the foreign table changed: %v", rows)
	}
}
