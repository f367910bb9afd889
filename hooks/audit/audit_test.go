package audit_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks/access"
	"questbase/hooks/audit"
	"questbase/hooks/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

type row struct {
	Actor, ActorKind, ActorName, Module, Action, Collection, Record string
	Changes                                                         map[string]struct{ Old, New any }
}

// entries returns the audit rows of one record, oldest first.
func entries(t testing.TB, app core.App, recordID string) []row {
	t.Helper()
	var recs []*core.Record
	err := app.RecordQuery(audit.Collection).AndWhere(dbx.HashExp{"record": recordID}).OrderBy("created ASC", "rowid ASC").All(&recs)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]row, len(recs))
	for i, r := range recs {
		out[i] = row{
			Actor: r.GetString("actor"), ActorKind: r.GetString("actor_kind"), ActorName: r.GetString("actor_name"),
			Module: r.GetString("module"), Action: r.GetString("action"), Collection: r.GetString("collection"), Record: r.GetString("record"),
		}
		if err := json.Unmarshal([]byte(r.GetString("changes")), &out[i].Changes); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func last(t testing.TB, app core.App, recordID string) row {
	t.Helper()
	rows := entries(t, app, recordID)
	if len(rows) == 0 {
		t.Fatalf("no audit rows for %s", recordID)
	}
	return rows[len(rows)-1]
}

// Changes made through the REST API name the caller, the module, the
// action and each changed field with its old and new value.
func TestRESTChangesAreLogged(t *testing.T) {
	w := testapp.Fixtures(t)
	staff := w.Staff[access.MeetupsManage]
	factory := testapp.Factory(testapp.Options{})

	(&tests.ApiScenario{
		Name: "update by a staff user", Method: http.MethodPatch,
		URL:  "/api/collections/meetups/records/" + w.Meetup,
		Body: strings.NewReader(`{"title":"Renamed","capacity":80}`), Headers: w.Auth(staff),
		ExpectedStatus: 200, ExpectedContent: []string{`"title":"Renamed"`},
		// the audit row is a direct insert: no record events of its own
		ExpectedEvents: map[string]int{"OnRecordUpdateRequest": 1, "OnRecordUpdate": 1, "OnRecordAfterUpdateSuccess": 1, "OnRecordCreate": 0},
		TestAppFactory: factory,
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			r := last(t, app, w.Meetup)
			if r.ActorKind != audit.KindUser || r.Actor != staff || r.ActorName != "Staff meetups.manage" {
				t.Errorf("actor: %+v", r)
			}
			if r.Module != "meetups" || r.Action != "update" || r.Collection != "meetups" {
				t.Errorf("entry: %+v", r)
			}
			if len(r.Changes) != 2 || r.Changes["title"].Old != "ML meetup" || r.Changes["title"].New != "Renamed" ||
				r.Changes["capacity"].Old != 50.0 || r.Changes["capacity"].New != 80.0 {
				t.Errorf("changes: %+v", r.Changes)
			}
		},
	}).Test(t)

	(&tests.ApiScenario{
		Name: "delete by a superuser", Method: http.MethodDelete,
		URL:     "/api/collections/feedback/records/" + w.Feedback,
		Headers: w.Auth(w.Superuser), ExpectedStatus: 204,
		ExpectedEvents: map[string]int{"OnRecordDeleteRequest": 1, "OnRecordDelete": 1, "OnRecordCreate": 0},
		TestAppFactory: factory,
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			r := last(t, app, w.Feedback)
			if r.ActorKind != audit.KindSuperuser || r.Actor != w.Superuser || r.ActorName != "root@questbase.test" || r.Action != "delete" || r.Module != "feedback" {
				t.Errorf("entry: %+v", r)
			}
			if r.Changes["rating"].Old != 5.0 || r.Changes["comment"].Old != "great" || r.Changes["rating"].New != nil {
				t.Errorf("a delete keeps the last values: %+v", r.Changes)
			}
		},
	}).Test(t)

	(&tests.ApiScenario{
		Name: "create by a student", Method: http.MethodPost,
		URL:  "/api/collections/claims/records",
		Body: strings.NewReader(`{"user":"` + w.Student2 + `","title":"Olympiad"}`), Headers: w.Auth(w.Student2),
		ExpectedStatus: 200, ExpectedContent: []string{`"title":"Olympiad"`},
		ExpectedEvents: map[string]int{"OnRecordCreateRequest": 1, "OnRecordCreate": 1, "OnRecordAfterCreateSuccess": 1},
		TestAppFactory: factory,
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
			var c struct{ ID string }
			json.NewDecoder(res.Body).Decode(&c)
			r := last(t, app, c.ID)
			if r.ActorKind != audit.KindUser || r.Actor != w.Student2 || r.Action != "create" || r.Module != "claims" {
				t.Errorf("entry: %+v", r)
			}
			if r.Changes["title"].New != "Olympiad" || r.Changes["status"].New != "pending" || r.Changes["user"].New != w.Student2 {
				t.Errorf("a create lists the values it set: %+v", r.Changes)
			}
			if _, ok := r.Changes["points"]; ok {
				t.Errorf("empty fields are left out of a create: %+v", r.Changes)
			}
		},
	}).Test(t)
}

// Go code names its actor through the context: the bot, cron jobs and
// the system each appear as themselves.
func TestGoSavesNameTheirActor(t *testing.T) {
	app, w := testapp.New(t)
	student, _ := app.FindRecordById("users", w.Student)
	m, _ := app.FindRecordById("meetups", w.Meetup)

	m.Set("location", "Room 101")
	if err := app.SaveWithContext(audit.WithActor(context.Background(), audit.Bot(student)), m); err != nil {
		t.Fatal(err)
	}
	if r := last(t, app, m.Id); r.ActorKind != audit.KindBot || r.Actor != w.Student || r.ActorName != "Анна Иванова" {
		t.Errorf("bot actor: %+v", r)
	}

	m.Set("location", "Room 102")
	if err := app.SaveWithContext(audit.WithActor(context.Background(), audit.Cron("reminders")), m); err != nil {
		t.Fatal(err)
	}
	if r := last(t, app, m.Id); r.ActorKind != audit.KindCron || r.ActorName != "reminders" || r.Actor != "" {
		t.Errorf("cron actor: %+v", r)
	}

	m.Set("location", "Room 103")
	if err := app.Save(m); err != nil {
		t.Fatal(err)
	}
	if r := last(t, app, m.Id); r.ActorKind != audit.KindSystem {
		t.Errorf("system actor: %+v", r)
	}

	// saving without a change is not an event
	before := len(entries(t, app, m.Id))
	if err := app.Save(m); err != nil {
		t.Fatal(err)
	}
	if after := len(entries(t, app, m.Id)); after != before {
		t.Errorf("a no-op save was logged: %d → %d rows", before, after)
	}
}

// Records a hook saves because of another save are attributed to whoever
// caused the first one, and commit or roll back with it.
func TestNestedSavesInheritActorAndTransaction(t *testing.T) {
	app, w := testapp.New(t)
	// a stand-in domain rule: every new tag also gets a claim logged as its consequence
	app.OnRecordCreate("tags").BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		col, _ := e.App.FindCollectionByNameOrId("claims")
		c := core.NewRecord(col)
		c.Set("user", w.Student)
		c.Set("title", "because of "+e.Record.GetString("name"))
		if err := e.App.Save(c); err != nil {
			return err
		}
		if e.Record.GetString("name") == "fails-after" {
			return errors.New("domain rule refused")
		}
		return nil
	})
	su, _ := app.FindRecordById(core.CollectionNameSuperusers, w.Superuser)
	ctx := audit.WithActor(context.Background(), audit.FromAuth(su))

	tags, _ := app.FindCollectionByNameOrId("tags")
	tag := core.NewRecord(tags)
	tag.Set("name", "go")
	if err := app.SaveWithContext(ctx, tag); err != nil {
		t.Fatal(err)
	}
	claim, err := app.FindFirstRecordByData("claims", "title", "because of go")
	if err != nil {
		t.Fatal(err)
	}
	if r := last(t, app, claim.Id); r.ActorKind != audit.KindSuperuser || r.Actor != w.Superuser {
		t.Errorf("nested save not attributed to the caller: %+v", r)
	}

	// A change that rolls back leaves neither the records nor their audit rows.
	auditBefore, _ := app.CountRecords(audit.Collection)
	failing := core.NewRecord(tags)
	failing.Set("name", "fails-after")
	if err := app.SaveWithContext(ctx, failing); err == nil {
		t.Fatal("want the save to fail")
	}
	auditAfter, _ := app.CountRecords(audit.Collection)
	if auditAfter != auditBefore {
		t.Errorf("rolled-back change left %d audit rows", auditAfter-auditBefore)
	}
	if _, err := app.FindFirstRecordByData("claims", "title", "because of fails-after"); err == nil {
		t.Error("rolled-back nested record persisted")
	}
	if _, err := app.FindFirstRecordByData("tags", "name", "fails-after"); err == nil {
		t.Error("rolled-back record persisted")
	}
}

// Secrets never reach the log; hidden fields show only that they changed.
func TestSecretsAreNotLogged(t *testing.T) {
	app, w := testapp.New(t)
	u, _ := app.FindRecordById("users", w.Host)
	u.SetPassword("a-brand-new-password")
	u.Set("study_group", "ИТ-31")
	if err := app.Save(u); err != nil {
		t.Fatal(err)
	}
	r := last(t, app, u.Id)
	for _, f := range []string{"password", "tokenKey"} {
		if _, ok := r.Changes[f]; ok {
			t.Errorf("%s is in the audit log", f)
		}
	}
	if r.Changes["study_group"].New != "ИТ-31" {
		t.Errorf("changes: %+v", r.Changes)
	}

	raffle, _ := app.FindRecordById("raffles", w.Raffle)
	raffle.Set("seed", "the-secret-seed")
	if err := app.Save(raffle); err != nil {
		t.Fatal(err)
	}
	r = last(t, app, raffle.Id)
	if r.Changes["seed"].New != "***" {
		t.Errorf("hidden seed must be masked, got %+v", r.Changes["seed"])
	}
	var raw string
	app.DB().NewQuery("SELECT changes FROM audit_log WHERE record = {:id}").Bind(dbx.Params{"id": raffle.Id}).Row(&raw)
	if strings.Contains(raw, "the-secret-seed") {
		t.Error("hidden value leaked into the log")
	}
}

// Bookkeeping collections are not audited; the log cannot be edited or
// deleted through the API (not even by a superuser) nor from Go.
func TestLogIsAppendOnly(t *testing.T) {
	w := testapp.Fixtures(t)
	app, _ := testapp.New(t)
	entry, err := app.FindFirstRecordByFilter(audit.Collection, "record = {:id}", dbx.Params{"id": w.Meetup})
	if err != nil {
		t.Fatal(err)
	}
	if n := len(entries(t, app, w.Outbox)); n != 0 {
		t.Errorf("outbox rows are delivery bookkeeping, not audited: %d rows", n)
	}

	entry.Set("action", "forged")
	if err := app.Save(entry); !errors.Is(err, audit.ErrAppendOnly) {
		t.Errorf("update from Go: %v", err)
	}
	fresh, _ := app.FindRecordById(audit.Collection, entry.Id)
	if err := app.Delete(fresh); !errors.Is(err, audit.ErrAppendOnly) {
		t.Errorf("delete from Go: %v", err)
	}

	factory := testapp.Factory(testapp.Options{})
	for _, sc := range []tests.ApiScenario{
		{Name: "superuser update", Method: http.MethodPatch, URL: "/api/collections/audit_log/records/" + entry.Id, Body: strings.NewReader(`{"action":"forged"}`)},
		{Name: "superuser delete", Method: http.MethodDelete, URL: "/api/collections/audit_log/records/" + entry.Id},
		{Name: "superuser create", Method: http.MethodPost, URL: "/api/collections/audit_log/records", Body: strings.NewReader(`{"actor_kind":"system","module":"x","action":"forged"}`)},
	} {
		sc.Headers = w.Auth(w.Superuser)
		sc.ExpectedStatus = 403
		sc.ExpectedContent = []string{"append-only"}
		sc.ExpectedEvents = map[string]int{"OnModelUpdate": 0, "OnModelDelete": 0, "OnModelCreate": 0}
		sc.TestAppFactory = factory
		sc.AfterTestFunc = func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			got, err := app.FindRecordById(audit.Collection, entry.Id)
			if err != nil || got.GetString("action") != "create" {
				t.Fatalf("log row changed: %v", err)
			}
		}
		sc.Test(t)
	}
}

// Holders of audit.view read the log and filter it by module, actor,
// record and date; others cannot.
func TestLogIsReadableAndFilterable(t *testing.T) {
	w := testapp.Fixtures(t)
	factory := testapp.Factory(testapp.Options{})
	viewer := w.Auth(w.Staff[access.AuditView])
	q := func(filter string) string {
		return "/api/collections/audit_log/records?perPage=500&filter=" + url.QueryEscape(filter)
	}
	for _, sc := range []tests.ApiScenario{
		{Name: "by module", URL: q(`module="claims"`), Headers: viewer, ExpectedStatus: 200,
			ExpectedContent: []string{`"record":"` + w.Claim + `"`, `"totalItems":1`}},
		{Name: "by record", URL: q(`record="` + w.Meetup + `"`), Headers: viewer, ExpectedStatus: 200,
			ExpectedContent: []string{`"collection":"meetups"`, `"totalItems":1`}},
		{Name: "by actor", URL: q(`actor="` + w.Superuser + `"`), Headers: viewer, ExpectedStatus: 200,
			ExpectedContent: []string{`"totalItems":0`}},
		{Name: "by date", URL: q(`created>="2000-01-01" && created<"2001-01-01"`), Headers: viewer, ExpectedStatus: 200,
			ExpectedContent: []string{`"totalItems":0`}},
		{Name: "recent by date", URL: q(`created>@yesterday && module="checkin"`), Headers: viewer, ExpectedStatus: 200,
			ExpectedContent: []string{`"record":"` + w.Checkin + `"`}},
		{Name: "a student sees nothing", URL: q(`module="claims"`), Headers: w.Auth(w.Student), ExpectedStatus: 200,
			ExpectedContent: []string{`"totalItems":0`}},
		{Name: "other staff see nothing", URL: q(`module="claims"`), Headers: w.Auth(w.Staff[access.UsersManage]), ExpectedStatus: 200,
			ExpectedContent: []string{`"totalItems":0`}},
	} {
		sc.Method = http.MethodGet
		sc.TestAppFactory = factory
		sc.Test(t)
	}
}
