package checkin_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
)

// An organizer checks in a person who did not register by choosing them:
// a registration is made on the spot (a seat even at a full meetup), the
// points are paid, and the audit log says "walk_in". Someone registered but
// chosen by name is a "manual" check-in; a cancelled registration is
// renewed; choosing them again answers "already".
func TestWalkIn(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	full := testapp.Save(t, app, "meetups", map[string]any{"title": "Full", "starts_at": time.Now().Add(time.Hour), "status": "published", "capacity": 1, "points": 7, "tags": []string{w.TagML}})
	testapp.Save(t, app, "registrations", map[string]any{"meetup": full.Id, "user": w.Student})
	tok := w.Token(w.Staff[access.CheckinScan])

	status, res, raw := scan(t, h, tok, map[string]any{"user": w.Student2, "meetup": full.Id})
	if status != 200 || res.Result != "checked_in" || res.Method != "walk_in" || res.Points != 7 || res.User.Name != "Борис Петров" {
		t.Fatalf("walk-in: %d %s", status, raw)
	}
	reg := testapp.Find(t, app, "registrations", res.Registration)
	if reg.GetString("status") != "registered" || reg.GetString("source") != "walk_in" || reg.GetString("user") != w.Student2 {
		t.Errorf("walk-in registration %v", reg.FieldsData())
	}
	var seated int
	app.DB().NewQuery("SELECT count(*) FROM registrations WHERE meetup = {:m} AND status = 'registered'").Bind(dbx.Params{"m": full.Id}).Row(&seated)
	if seated != 2 {
		t.Errorf("%d seated at a meetup of one seat plus a walk-in", seated)
	}
	var actions []string
	app.DB().NewQuery("SELECT module || '/' || action FROM audit_log WHERE record IN ({:c}, {:r}) ORDER BY collection").
		Bind(dbx.Params{"c": res.Checkin, "r": res.Registration}).Column(&actions)
	if strings.Join(actions, " ") != "checkin/walk_in checkin/walk_in" {
		t.Errorf("audit %v", actions)
	}
	if got := ledgerRows(t, app, w.Student2, "checkin"); len(got) != 1 || got[0] != 7 {
		t.Errorf("ledger %v", got)
	}
	if status, again, _ := scan(t, h, tok, map[string]any{"user": w.Student2, "meetup": full.Id}); status != 200 || again.Result != "already" || again.Method != "walk_in" {
		t.Errorf("second walk-in: %d %+v", status, again)
	}

	// registered, chosen by name
	if status, res, raw := scan(t, h, tok, map[string]any{"user": w.Student, "meetup": full.Id}); status != 200 || res.Method != "manual" {
		t.Errorf("registered person chosen by name: %d %s", status, raw)
	}
	// a cancelled registration comes back
	left := testapp.Save(t, app, "registrations", map[string]any{"meetup": w.Meetup, "user": w.Student2})
	left.Set("status", "cancelled")
	if err := app.Save(left); err != nil {
		t.Fatal(err)
	}
	if status, res, raw := scan(t, h, tok, map[string]any{"user": w.Student2, "meetup": w.Meetup}); status != 200 || res.Registration != left.Id || res.Method != "walk_in" {
		t.Errorf("walk-in with a cancelled registration: %d %s", status, raw)
	}
	if got := testapp.Find(t, app, "registrations", left.Id).GetString("status"); got != "registered" {
		t.Errorf("renewed registration is %s", got)
	}

	before := countRows(t, app)
	for name, body := range map[string]map[string]any{
		"unknown user":   {"user": "nosuchuser00000", "meetup": w.Meetup},
		"no meetup":      {"user": w.Host},
		"a session":      {"user": w.Host, "meetup": w.Meetup, "session": w.Session},
		"a draft meetup": {"user": w.Host, "meetup": w.DraftMeetup},
		"oneself":        {"user": w.Staff[access.CheckinScan], "meetup": w.Meetup},
	} {
		status, _, raw := scan(t, h, tok, body)
		if status != 400 && !(name == "oneself" && status == 403) {
			t.Errorf("%s: %d %s", name, status, raw)
		}
	}
	if status, _, _ := scan(t, h, w.Token(w.Scoped[access.CheckinScan]), map[string]any{"user": w.Host, "meetup": w.Meetup}); status != 403 {
		t.Errorf("a Web scanner's walk-in at the ML meetup: %d", status)
	}
	if after := countRows(t, app); after != before {
		t.Errorf("refused walk-ins wrote rows: %+v → %+v", before, after)
	}
}

// A check-in made through the REST API (or the dashboard) follows the same
// rules: a seat behind it, the points once; undoing it takes the points
// back, and checking in again pays them again, never twice over.
func TestCheckinRecordsFollowTheRules(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	before := balance(t, app, w.Student2)
	status, raw := testapp.Do(h, http.MethodPost, "/api/collections/checkins/records", w.Token(w.Staff[access.CheckinScan]), map[string]any{"meetup": w.Meetup, "user": w.Student2})
	if status != 200 {
		t.Fatalf("REST check-in: %d %s", status, raw)
	}
	var rec struct{ ID, Registration, ScannedBy string }
	decode(t, raw, &rec)
	var row struct {
		ID, Status, Source string
	}
	app.DB().NewQuery("SELECT id, status, source FROM registrations WHERE meetup = {:m} AND user = {:u}").Bind(dbx.Params{"m": w.Meetup, "u": w.Student2}).One(&row)
	if row.Status != "registered" || row.Source != "walk_in" {
		t.Errorf("registration %+v", row)
	}
	if got := balance(t, app, w.Student2); got != before+10 {
		t.Fatalf("balance %d, want %d", got, before+10)
	}
	// a check-in for a meetup that is not open, or someone else's registration
	for name, body := range map[string]map[string]any{
		"draft":                  {"meetup": w.DraftMeetup, "user": w.Host},
		"another's registration": {"meetup": w.Meetup, "user": w.Host, "registration": w.Registration},
	} {
		if status, raw := testapp.Do(h, http.MethodPost, "/api/collections/checkins/records", w.Token(w.Staff[access.CheckinScan]), body); status != 400 {
			t.Errorf("%s: %d %s", name, status, raw)
		}
	}

	// a manager undoes it
	manager := w.Token(w.Staff[access.MeetupsManage])
	var id string
	app.DB().NewQuery("SELECT id FROM checkins WHERE meetup = {:m} AND user = {:u}").Bind(dbx.Params{"m": w.Meetup, "u": w.Student2}).Row(&id)
	if status, raw := testapp.Do(h, http.MethodDelete, "/api/collections/checkins/records/"+id, manager, nil); status != 204 {
		t.Fatalf("undo: %d %s", status, raw)
	}
	if got := balance(t, app, w.Student2); got != before {
		t.Errorf("balance after undo %d, want %d", got, before)
	}
	if status, _, raw := scan(t, h, w.Token(w.Staff[access.CheckinScan]), map[string]any{"user": w.Student2, "meetup": w.Meetup}); status != 200 {
		t.Fatalf("check in again: %d %s", status, raw)
	}
	if got := balance(t, app, w.Student2); got != before+10 {
		t.Errorf("balance after checking in again %d, want %d", got, before+10)
	}
	if got := ledgerRows(t, app, w.Student2, "checkin"); len(got) != 3 || got[0]+got[1]+got[2] != 10 {
		t.Errorf("ledger %v, want +10 −10 +10", got)
	}
}

// Organizers find the person for a walk-in by name, group or Telegram
// username, registered people first; scoped scanners too, for their
// meetups only.
func TestPeopleSearch(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	web := testapp.Save(t, app, "meetups", map[string]any{"title": "Web", "starts_at": time.Now().Add(time.Hour), "status": "published", "tags": []string{w.TagWeb}})
	testapp.Save(t, app, "registrations", map[string]any{"meetup": web.Id, "user": w.Student2})
	status, raw := testapp.Do(h, http.MethodGet, "/api/checkin/people?meetup="+web.Id+"&q=%D0%BF%D0%B5%D1%82%D1%80", w.Token(w.Scoped[access.CheckinScan]), nil)
	if status != 200 || !strings.Contains(string(raw), `"id":"`+w.Student2+`"`) || !strings.Contains(string(raw), `"registration":"registered"`) {
		t.Errorf("search by surname: %d %s", status, raw)
	}
	if status, raw := testapp.Do(h, http.MethodGet, "/api/checkin/people?meetup="+web.Id+"&q=%D0%98%D0%A2-2", w.Token(w.Scoped[access.CheckinScan]), nil); status != 200 || strings.Count(string(raw), `"id"`) != 2 {
		t.Errorf("search by group: %d %s", status, raw)
	}
	for name, c := range map[string]struct {
		url, who string
		want     int
	}{
		"ML meetup for a Web scanner": {"/api/checkin/people?meetup=" + w.Meetup + "&q=an", w.Scoped[access.CheckinScan], 403},
		"a student":                   {"/api/checkin/people?meetup=" + web.Id + "&q=an", w.Student, 403},
		"one letter":                  {"/api/checkin/people?meetup=" + web.Id + "&q=a", w.Staff[access.CheckinScan], 400},
		"no meetup":                   {"/api/checkin/people?q=anna", w.Staff[access.CheckinScan], 400},
	} {
		if status, raw := testapp.Do(h, http.MethodGet, c.url, w.Token(c.who), nil); status != c.want {
			t.Errorf("%s: %d %s", name, status, raw)
		}
	}
}
