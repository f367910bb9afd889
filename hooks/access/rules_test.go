package access_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	a "questbase/hooks/access"
	"questbase/hooks/testapp"
)

// Points, level, verification status and roles are the service's and the
// admins' to set. A student editing their profile, by JSON or by a form,
// must not touch them, nor sneak them in beside an allowed change.
func TestStudentCannotChangeOwnStanding(t *testing.T) {
	t.Parallel()
	w := testapp.Fixtures(t)
	cases := []struct {
		name   string
		json   map[string]any
		form   map[string]string // sent as multipart/form-data instead
		status int
	}{
		{name: "points", json: map[string]any{"points": 9999}, status: 404},
		{name: "points as text", json: map[string]any{"points": "9999"}, status: 404},
		{name: "points increment", json: map[string]any{"points+": 100}, status: 404},
		{name: "level", json: map[string]any{"level": 9}, status: 404},
		{name: "verification status", json: map[string]any{"verification_status": "approved"}, status: 404},
		{name: "roles", json: map[string]any{"roles": []string{w.StaffRole}}, status: 404},
		{name: "roles append", json: map[string]any{"roles+": w.StaffRole}, status: 404},
		{name: "name and points", json: map[string]any{"first_name": "Хакер", "points": 9999}, status: 404},
		{name: "form points", form: map[string]string{"points": "9999"}, status: 404},
		{name: "form level", form: map[string]string{"level": "9"}, status: 404},
		{name: "form verification status", form: map[string]string{"verification_status": "approved"}, status: 404},
		{name: "form roles", form: map[string]string{"roles": w.StaffRole}, status: 404},
		{name: "form roles append", form: map[string]string{"roles+": w.StaffRole}, status: 404},
		{name: "form name and level", form: map[string]string{"first_name": "Хакер", "level": "9"}, status: 404},
		{name: "form json payload", form: map[string]string{"@jsonPayload": `{"points": 9999, "verification_status": "approved"}`}, status: 404},
		{name: "name", json: map[string]any{"first_name": "Анна-Мария"}, status: 200},
		{name: "form name", form: map[string]string{"first_name": "Анна-Мария"}, status: 200},
	}
	for _, tc := range cases {
		s := scenario(http.MethodPatch, recordsURL("users")+"/"+w.Student, tc.json, w.Auth(w.Student), tc.status)
		s.Name = tc.name
		if tc.form != nil {
			body, contentType := testapp.Multipart(tc.form)
			s.Body = body
			s.Headers = map[string]string{"Authorization": w.Token(w.Student), "Content-Type": contentType}
		}
		var before *core.Record
		s.BeforeTestFunc = func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
			before = testapp.Find(t, app, "users", w.Student)
		}
		s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) {
			after := testapp.Find(t, app, "users", w.Student)
			for _, f := range []string{"points", "level", "verification_status", "roles"} {
				if !same(after.Get(f), before.Get(f)) {
					t.Errorf("%s changed from %v to %v", f, before.Get(f), after.Get(f))
				}
			}
			renamed := after.GetString("first_name") != before.GetString("first_name")
			if renamed != (tc.status == http.StatusOK) {
				t.Errorf("first_name is %q (was %q)", after.GetString("first_name"), before.GetString("first_name"))
			}
		}
		s.Test(t)
	}
}

// check is one request of a focused test and its expected status.
type check struct {
	name, method, url, token string
	body                     any
	status                   int
}

func runChecks(t *testing.T, h http.Handler, checks []check) {
	t.Helper()
	for _, c := range checks {
		if status, body := testapp.Do(h, c.method, c.url, c.token, c.body); status != c.status {
			t.Errorf("%s: got %d, want %d (%.300s)", c.name, status, c.status, body)
		}
	}
}

// A permission and its scope must come from one and the same role: holding
// meetups.manage for Web and checkin.scan everywhere is no licence to edit
// an ML meetup.
func TestGrantChecksStayWithOneRole(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	webOrganizer := mustSave(t, app, "roles", map[string]any{"name": "web organizer", "permissions": []string{a.MeetupsManage}, "scope_tags": []string{w.TagWeb}})
	door := mustSave(t, app, "roles", map[string]any{"name": "door", "permissions": []string{a.CheckinScan}})
	u := mustSave(t, app, "users", map[string]any{"email": "mixed@questbase.test", "password": testapp.Password, "roles": []string{webOrganizer.Id, door.Id}})
	web := mustSave(t, app, "meetups", map[string]any{"title": "Web meetup", "starts_at": soon, "tags": []string{w.TagWeb}, "status": "published"})
	tok, err := u.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	h := serve(t, app)
	ml := recordsURL("meetups") + "/" + w.Meetup
	runChecks(t, h, []check{
		{"edit the ML meetup", http.MethodPatch, ml, tok, map[string]any{"title": "Mine now"}, 404},
		{"move the ML meetup to Web", http.MethodPatch, ml, tok, map[string]any{"tags": []string{w.TagWeb}}, 404},
		{"delete the ML meetup", http.MethodDelete, ml, tok, nil, 404},
		{"create an ML meetup", http.MethodPost, recordsURL("meetups"), tok, map[string]any{"title": "ML night", "starts_at": soon, "tags": []string{w.TagML}}, 400},
		// the Web grant itself works
		{"edit the Web meetup", http.MethodPatch, recordsURL("meetups") + "/" + web.Id, tok, map[string]any{"title": "Web meetup (moved)"}, 200},
		{"create a Web meetup", http.MethodPost, recordsURL("meetups"), tok, map[string]any{"title": "Web night", "starts_at": soon, "tags": []string{w.TagWeb}}, 200},
	})
	if got := testapp.Find(t, app, "meetups", w.Meetup); got.GetString("title") != "ML meetup" || !same(got.Get("tags"), []string{w.TagML}) {
		t.Errorf("the ML meetup changed: %q %v", got.GetString("title"), got.Get("tags"))
	}
}

// Scoped staff do their job on meetups and courses carrying their tag (the
// matrix shows them refused on the ML fixtures).
func TestScopedStaffActOnTheirTag(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	web := []string{w.TagWeb}
	meetup := mustSave(t, app, "meetups", map[string]any{"title": "Web meetup", "starts_at": soon, "tags": web, "status": "published"})
	course := mustSave(t, app, "courses", map[string]any{"title": "Web course", "tags": web, "status": "published"})
	mustSave(t, app, "registrations", map[string]any{"meetup": meetup.Id, "user": w.Student2})
	feedback := mustSave(t, app, "feedback", map[string]any{"meetup": meetup.Id, "user": w.Student2, "rating": 5})
	cast := mustSave(t, app, "broadcasts", map[string]any{"title": "Web news", "audience": "meetup_registered", "audience_meetup": meetup.Id})
	h := serve(t, app)
	as := func(perm string) string { return w.Token(w.Scoped[perm]) }

	runChecks(t, h, []check{
		{"edit the Web meetup", http.MethodPatch, recordsURL("meetups") + "/" + meetup.Id, as(a.MeetupsManage), map[string]any{"location": "Room 1"}, 200},
		{"check in at the Web meetup", http.MethodPost, recordsURL("checkins"), as(a.CheckinScan), map[string]any{"meetup": meetup.Id, "user": w.Student2}, 200},
		{"edit the Web course", http.MethodPatch, recordsURL("courses") + "/" + course.Id, as(a.CoursesManage), map[string]any{"capacity": 30}, 200},
		{"set up a raffle at the Web meetup", http.MethodPost, recordsURL("raffles"), as(a.RafflesRun), map[string]any{"meetup": meetup.Id, "title": "Stickers"}, 200},
		{"message the Web meetup", http.MethodPost, recordsURL("broadcasts"), as(a.BroadcastsSend), map[string]any{"title": "Hi", "audience": "meetup_registered", "audience_meetup": meetup.Id}, 200},
		{"message the ML meetup", http.MethodPost, recordsURL("broadcasts"), as(a.BroadcastsSend), map[string]any{"title": "Hi", "audience": "meetup_registered", "audience_meetup": w.Meetup}, 400},
		{"message everyone", http.MethodPost, recordsURL("broadcasts"), as(a.BroadcastsSend), map[string]any{"title": "Hi", "audience": "everyone"}, 400},
		{"widen a Web broadcast to everyone", http.MethodPatch, recordsURL("broadcasts") + "/" + cast.Id, as(a.BroadcastsSend), map[string]any{"audience": "everyone"}, 404},
		{"reword a Web broadcast", http.MethodPatch, recordsURL("broadcasts") + "/" + cast.Id, as(a.BroadcastsSend), map[string]any{"text": "See you"}, 200},
	})

	// stats.view for Web reads the Web meetup's feedback, not the ML one's
	status, body := testapp.Do(h, http.MethodGet, recordsURL("feedback"), as(a.StatsView), nil)
	if p := parseList(t, body); status != 200 || !p.has(feedback.Id) || p.has(w.Feedback) {
		t.Errorf("feedback for a Web stats viewer: %d %.300s", status, body)
	}
	// scanners see people through the check-in route; a scoped one lists nobody else
	status, body = testapp.Do(h, http.MethodGet, recordsURL("users"), as(a.CheckinScan), nil)
	if p := parseList(t, body); status != 200 || p.TotalItems != 1 || !p.has(w.Scoped[a.CheckinScan]) {
		t.Errorf("users for a Web scanner: %d %.300s", status, body)
	}
}

// PocketBase compares a guest's empty id as equal to a missing value, so
// "the caller is among the hosts" must not hold for a guest on a course
// without hosts; and no one but a reviewer or the owner reads other
// people's records.
func TestOutsidersSeeOnlyPublicData(t *testing.T) {
	t.Parallel()
	app, f := newApp(t)
	hostless := mustSave(t, app, "courses", map[string]any{"title": "Self-study", "status": "published"})
	session := mustSave(t, app, "course_sessions", map[string]any{"course": hostless.Id, "title": "Week 1", "starts_at": soon})
	enrollment := mustSave(t, app, "enrollments", map[string]any{"course": hostless.Id, "user": f.Student2})
	mustSave(t, app, "attendance", map[string]any{"session": session.Id, "user": f.Student2, "status": "present"})
	h := serve(t, app)

	cols, err := app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	for _, who := range []string{"", f.Student2} {
		name := "student2"
		if who == "" {
			name = "guest"
		}
		for _, c := range cols {
			if c.System {
				continue
			}
			status, body := testapp.Do(h, http.MethodGet, recordsURL(c.Name)+"?perPage=500", token(f.World, who), nil)
			if status == http.StatusForbidden {
				continue
			}
			if status != http.StatusOK {
				t.Errorf("%s lists %s: %d %.200s", name, c.Name, status, body)
				continue
			}
			for _, it := range parseList(t, body).Items {
				if !fitsOutsider(t, app, c.Name, it, who) {
					t.Errorf("%s sees %s %v", name, c.Name, it["id"])
				}
			}
		}
	}

	runChecks(t, h, []check{
		{"guest edits a course without hosts", http.MethodPatch, recordsURL("courses") + "/" + hostless.Id, "", map[string]any{"title": "Mine"}, 404},
		{"guest adds a session to it", http.MethodPost, recordsURL("course_sessions"), "", map[string]any{"course": hostless.Id, "starts_at": soon}, 400},
		{"guest completes an enrollment in it", http.MethodPatch, recordsURL("enrollments") + "/" + enrollment.Id, "", map[string]any{"status": "completed"}, 404},
	})
}

// fitsOutsider reports whether a guest (me == "") or a student who owns
// nothing but their own account and enrollment may see the listed item.
func fitsOutsider(t testing.TB, app core.App, collection string, item map[string]any, me string) bool {
	signedIn := me != ""
	switch collection {
	case "tags", "levels", "achievements":
		return true
	case "meetups", "courses":
		return item["status"] != "draft"
	case "course_sessions":
		return testapp.Find(t, app, "courses", item["course"].(string)).GetString("status") != "draft"
	case "public_profiles", "awards":
		return signedIn
	case "raffles":
		return signedIn && (item["status"] == "committed" || item["status"] == "drawn")
	case "users":
		return item["id"] == me
	}
	return signedIn && item["user"] == me
}

// A student may cancel their registration, not promote it past the
// waitlist: seats are the service's to give.
func TestStudentOnlyCancelsRegistration(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	// a full meetup: one seat, taken by Student2 once the student is moved
	// to the back of the waitlist (a free seat would go straight back to
	// the first waiting)
	meetup := testapp.Find(t, app, "meetups", w.Meetup)
	meetup.Set("capacity", 1)
	if err := app.Save(meetup); err != nil {
		t.Fatal(err)
	}
	mustSave(t, app, "registrations", map[string]any{"meetup": w.Meetup, "user": w.Student2})
	reg := testapp.Find(t, app, "registrations", w.Registration)
	reg.Set("status", "waitlisted")
	if err := app.Save(reg); err != nil {
		t.Fatal(err)
	}
	h := serve(t, app)
	url := recordsURL("registrations") + "/" + w.Registration
	tok := w.Token(w.Student)
	runChecks(t, h, []check{
		{"take a seat", http.MethodPatch, url, tok, map[string]any{"status": "registered"}, 404},
		{"mark as promoted", http.MethodPatch, url, tok, map[string]any{"promoted_at": soon}, 404},
		{"move to another meetup", http.MethodPatch, url, tok, map[string]any{"meetup": w.DraftMeetup}, 404},
	})
	if got := testapp.Find(t, app, "registrations", w.Registration).GetString("status"); got != "waitlisted" {
		t.Fatalf("status after refused changes: %s", got)
	}
	runChecks(t, h, []check{{"cancel", http.MethodPatch, url, tok, map[string]any{"status": "cancelled"}, 200}})
	if got := testapp.Find(t, app, "registrations", w.Registration).GetString("status"); got != "cancelled" {
		t.Errorf("status after cancelling: %s", got)
	}
}

// Staff who give points to others cannot give them to themselves.
func TestStaffCannotRewardThemselves(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	reviewer := w.Staff[a.ClaimsReview]
	claim := mustSave(t, app, "claims", map[string]any{"user": reviewer, "title": "My own hackathon"})
	h := serve(t, app)
	awards, ledger := count(t, app, "awards"), count(t, app, "points")
	awarder, manager := w.Staff[a.AchievementsAward], w.Staff[a.UsersManage]
	runChecks(t, h, []check{
		{"award oneself", http.MethodPost, recordsURL("awards"), w.Token(awarder), map[string]any{"user": awarder, "achievement": w.Achievement}, 400},
		{"correct one's own points", http.MethodPost, recordsURL("points"), w.Token(manager), map[string]any{"user": manager, "amount": 100, "reason": "correction", "ref": "self", "note": "bonus"}, 400},
		{"approve one's own claim", http.MethodPatch, recordsURL("claims") + "/" + claim.Id, w.Token(reviewer), map[string]any{"status": "approved", "points": 100}, 404},
	})
	if got := count(t, app, "awards"); got != awards {
		t.Errorf("awards: %d, want %d as before", got, awards)
	}
	if got := count(t, app, "points"); got != ledger {
		t.Errorf("ledger rows: %d, want %d as before", got, ledger)
	}
	if got := testapp.Find(t, app, "claims", claim.Id).GetString("status"); got != "pending" {
		t.Errorf("own claim is %s", got)
	}
}
