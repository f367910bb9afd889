package checkin_test

import (
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
	"questbase/hooks/tickets"
)

// A course host scans a participant's enrollment ticket at a session: the
// attendance is marked present (by QR), the session's points are paid
// once, the answer is the same card; scanning again answers "already".
// Other courses' tickets, cancelled sessions and enrollments, and people
// who neither host the course nor scan for its tags are refused.
func TestSessionCheckIn(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	c := code(t, app, tickets.Enrollment, w.Enrollment)
	before := balance(t, app, w.Student)

	status, res, raw := scan(t, h, w.Token(w.Host), map[string]any{"code": c, "session": w.Session2})
	if status != 200 || res.Result != "checked_in" || res.Points != 5 || res.Session.ID != w.Session2 || res.Session.Course != w.Course || res.User.ID != w.Student || res.By != "Вера Хостова" {
		t.Fatalf("host scan: %d %s", status, raw)
	}
	mark := testapp.Find(t, app, "attendance", res.Attendance)
	if mark.GetString("status") != "present" || mark.GetString("method") != "qr" || mark.GetString("marked_by") != w.Host {
		t.Errorf("mark %v", mark.FieldsData())
	}
	if res.User.PhotoURL != "" {
		t.Error("a host got the verification photo")
	}
	// both sessions attended, 2/2 ≥ 0.75: the course is completed too
	if got := balance(t, app, w.Student); got != before+5+50 {
		t.Errorf("balance %d, want %d (the session and the completion)", got, before+55)
	}
	if got := testapp.Find(t, app, "enrollments", w.Enrollment).GetString("status"); got != "completed" {
		t.Errorf("enrollment %s, want completed", got)
	}
	var action string
	app.DB().NewQuery("SELECT module || '/' || action FROM audit_log WHERE record = {:id}").Bind(dbx.Params{"id": res.Attendance}).Row(&action)
	if action != "checkin/scan" {
		t.Errorf("audit %q", action)
	}
	// the fixture session was marked by hand before: already
	status, again, raw := scan(t, h, w.Token(w.Staff[access.CheckinScan]), map[string]any{"code": c, "session": w.Session})
	if status != 200 || again.Result != "already" || again.By != "Вера Хостова" || again.Points != 0 {
		t.Errorf("the marked session: %d %s", status, raw)
	}
	rows := countRows(t, app)
	if status, again, _ := scan(t, h, w.Token(w.Staff[access.CoursesManage]), map[string]any{"code": c, "session": w.Session2}); status != 200 || again.Result != "already" {
		t.Errorf("second scan: %d %+v", status, again)
	}
	if got := countRows(t, app); got != rows {
		t.Errorf("a second scan wrote rows: %+v → %+v", rows, got)
	}

	other := testapp.Save(t, app, "courses", map[string]any{"title": "Other", "status": "published", "hosts": []string{w.Host}, "tags": []string{w.TagML}})
	otherSession := testapp.Save(t, app, "course_sessions", map[string]any{"course": other.Id, "starts_at": time.Now()})
	off := testapp.Save(t, app, "course_sessions", map[string]any{"course": w.Course, "starts_at": time.Now(), "cancelled": true})
	e2 := testapp.Save(t, app, "enrollments", map[string]any{"course": w.Course, "user": w.Student2})
	e2.Set("status", "cancelled")
	if err := app.Save(e2); err != nil {
		t.Fatal(err)
	}
	for name, cs := range map[string]struct {
		body          map[string]any
		field, reason string
	}{
		"another course's session": {map[string]any{"code": c, "session": otherSession.Id}, "code", "wrong_course"},
		"a cancelled session":      {map[string]any{"code": c, "session": off.Id}, "session", "session_cancelled"},
		"a cancelled enrollment":   {map[string]any{"code": code(t, app, tickets.Enrollment, e2.Id), "session": w.Session2}, "code", "cancelled"},
		"no session":               {map[string]any{"code": c}, "session", "validation_required"},
		"unknown session":          {map[string]any{"code": c, "session": "nosuchsession00"}, "session", "not_found"},
		"meetup and session":       {map[string]any{"code": c, "session": w.Session2, "meetup": w.Meetup}, "session", "validation_conflict"},
	} {
		status, _, raw := scan(t, h, w.Token(w.Host), cs.body)
		if status != 400 || refusal(t, raw).Reason != cs.reason {
			t.Errorf("%s: %d %s, want %s", name, status, raw, cs.reason)
		}
	}
	for who, want := range map[string]int{w.Student2: 403, w.Scoped[access.CheckinScan]: 403, w.Staff[access.MeetupsManage]: 403} {
		if status, _, raw := scan(t, h, w.Token(who), map[string]any{"code": c, "session": otherSession.Id}); status != want {
			t.Errorf("%s: %d %s", who, status, raw)
		}
	}
	if got := countRows(t, app); got.Attendance != rows.Attendance || got.Ledger != rows.Ledger {
		t.Errorf("refused scans wrote rows: %+v → %+v", rows, got)
	}
}
