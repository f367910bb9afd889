package courses_test

import (
	"net/http"
	"strings"
	"testing"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
)

func mark(h http.Handler, token, session, user, status string) (int, []byte) {
	return testapp.Do(h, http.MethodPost, recordsURL+"attendance/records", token, map[string]any{"session": session, "user": user, "status": status})
}

// A host's marks pay the session's points through the ledger and the
// points follow the mark: late pays like present, a correction to absent
// or excused takes them back, present again pays again, deleting the mark
// takes them back; the total is never more than one session's points.
func TestAttendancePoints(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	c, ss := course(t, app, w.Host, 4, map[string]any{"completion_share": 1})
	testapp.Save(t, app, "enrollments", map[string]any{"course": c.Id, "user": w.Student2})
	host := w.Token(w.Host)
	start := testapp.Find(t, app, "users", w.Student2).GetInt("points")

	status, body := mark(h, host, ss[0].Id, w.Student2, "present")
	if status != 200 {
		t.Fatalf("mark: %d %s", status, body)
	}
	id := string(body[strings.Index(string(body), `"id":"`)+6:][:15])
	if m := testapp.Find(t, app, "attendance", id); m.GetString("marked_by") != w.Host || m.GetString("method") != "manual" {
		t.Errorf("mark %v", m.FieldsData())
	}
	url := recordsURL + "attendance/records/" + id
	steps := []struct {
		status    string
		total     int
		ledgerRow bool // a row was written
	}{
		{"late", 5, false},
		{"absent", 0, true},
		{"excused", 0, false},
		{"present", 5, true},
		{"present", 5, false},
	}
	rows := 1
	for _, s := range steps {
		if status, body := testapp.Do(h, http.MethodPatch, url, host, map[string]any{"status": s.status}); status != 200 {
			t.Fatalf("mark %s: %d %s", s.status, status, body)
		}
		if s.ledgerRow {
			rows++
		}
		total, n := ledger(t, app, w.Student2, "session", ss[0].Id)
		if total != s.total || n != rows {
			t.Errorf("after %s: ledger total %d in %d rows, want %d in %d", s.status, total, n, s.total, rows)
		}
		if got := testapp.Find(t, app, "users", w.Student2).GetInt("points"); got != start+s.total {
			t.Errorf("after %s: balance %d, want %d", s.status, got, start+s.total)
		}
	}
	if status, _ := testapp.Do(h, http.MethodDelete, url, host, nil); status != 204 {
		t.Fatalf("delete mark: %d", status)
	}
	if total, _ := ledger(t, app, w.Student2, "session", ss[0].Id); total != 0 {
		t.Errorf("after deleting the mark: %d", total)
	}
	if got := len(notices(t, app, w.Student2, "points")); got != 4 {
		t.Errorf("%d points notices, want 4 (+5 −5 +5 −5)", got)
	}

	// a mark cannot move to another person or session
	status, body = mark(h, host, ss[1].Id, w.Student2, "present")
	if status != 200 {
		t.Fatal(status, string(body))
	}
	id = string(body[strings.Index(string(body), `"id":"`)+6:][:15])
	if status, _ := testapp.Do(h, http.MethodPatch, recordsURL+"attendance/records/"+id, host, map[string]any{"session": ss[2].Id}); status != 404 {
		t.Errorf("moving a mark to another session: %d", status)
	}
}

// Absent and excused marks are for enrolled people; a person marked
// present or late without an enrollment (a guest) is enrolled on the spot,
// even beyond the capacity; a cancelled session takes no attendance.
func TestMarksAndEnrollment(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	c, ss := course(t, app, w.Host, 2, map[string]any{"capacity": 1})
	testapp.Save(t, app, "enrollments", map[string]any{"course": c.Id, "user": w.Student})
	host := w.Token(w.Host)
	if status, body := mark(h, host, ss[0].Id, w.Student2, "absent"); status != 400 || !strings.Contains(string(body), "not_enrolled") {
		t.Errorf("absent, not enrolled: %d %s", status, body)
	}
	if status, body := mark(h, host, ss[0].Id, w.Student2, "late"); status != 200 {
		t.Fatalf("a guest marked late: %d %s", status, body)
	}
	enr, err := app.FindFirstRecordByFilter("enrollments", "course = {:c} && user = {:u}", map[string]any{"c": c.Id, "u": w.Student2})
	if err != nil || enr.GetString("status") != "enrolled" {
		t.Fatalf("guest enrollment: %v %v", err, enr)
	}
	ss[1].Set("cancelled", true)
	if err := app.Save(ss[1]); err != nil {
		t.Fatal(err)
	}
	if status, body := mark(h, host, ss[1].Id, w.Student, "present"); status != 400 || !strings.Contains(string(body), "session_cancelled") {
		t.Errorf("present at a cancelled session: %d %s", status, body)
	}
	if status, _ := mark(h, host, ss[1].Id, w.Student, "excused"); status != 200 {
		t.Errorf("excused at a cancelled session: %d", status)
	}
}

// The course completes when the share of its schedule (sessions not
// cancelled) attended reaches completion_share: completed_at is set, the
// completion points are paid once and the student is told once. It stays
// completed when a mark is corrected later; a host can take it back by
// hand, and the points go with it. Cancelling a session or lowering the
// share completes whoever then meets the rule.
func TestCompletion(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	c, ss := course(t, app, w.Host, 4, map[string]any{"completion_share": 0.6})
	ss[3].Set("cancelled", true) // 3 sessions count: 0.6 × 3 = 1.8, so 2 attended
	if err := app.Save(ss[3]); err != nil {
		t.Fatal(err)
	}
	enr := testapp.Save(t, app, "enrollments", map[string]any{"course": c.Id, "user": w.Student2})
	host := w.Token(w.Host)
	status := func() string { return testapp.Find(t, app, "enrollments", enr.Id).GetString("status") }

	mark(h, host, ss[0].Id, w.Student2, "present")
	if status() != "enrolled" {
		t.Fatalf("1 of 3: %s", status())
	}
	_, body := mark(h, host, ss[1].Id, w.Student2, "late")
	second := string(body[strings.Index(string(body), `"id":"`)+6:][:15])
	got := testapp.Find(t, app, "enrollments", enr.Id)
	if got.GetString("status") != "completed" || got.GetDateTime("completed_at").IsZero() || got.GetString("completed_by") != "" {
		t.Fatalf("2 of 3: %v", got.FieldsData())
	}
	mark(h, host, ss[2].Id, w.Student2, "present")
	if total, rows := ledger(t, app, w.Student2, "course_completion", enr.Id); total != 50 || rows != 1 {
		t.Errorf("completion ledger %d in %d rows, want 50 in 1", total, rows)
	}
	if n := len(notices(t, app, w.Student2, "course_completed")); n != 1 {
		t.Errorf("%d completion notices, want 1", n)
	}
	// corrections do not take completion back
	testapp.Do(h, http.MethodPatch, recordsURL+"attendance/records/"+second, host, map[string]any{"status": "absent"})
	testapp.Do(h, http.MethodDelete, recordsURL+"attendance/records/"+second, host, nil)
	if status() != "completed" {
		t.Errorf("after a correction: %s", status())
	}
	// with the third mark corrected too, 1 of 3 is short of the rule, and
	// the host takes the completion back
	var thirdID string
	app.DB().NewQuery("SELECT id FROM attendance WHERE session = {:s} AND user = {:u}").Bind(map[string]any{"s": ss[2].Id, "u": w.Student2}).Row(&thirdID)
	testapp.Do(h, http.MethodPatch, recordsURL+"attendance/records/"+thirdID, host, map[string]any{"status": "absent"})
	if st, body := testapp.Do(h, http.MethodPatch, recordsURL+"enrollments/records/"+enr.Id, host, map[string]any{"status": "enrolled"}); st != 200 {
		t.Fatalf("un-complete: %d %s", st, body)
	}
	if status() != "enrolled" || !testapp.Find(t, app, "enrollments", enr.Id).GetDateTime("completed_at").IsZero() {
		t.Errorf("after un-completing: %s", status())
	}
	if total, _ := ledger(t, app, w.Student2, "course_completion", enr.Id); total != 0 {
		t.Errorf("completion points after un-completing: %d", total)
	}
	// 1 of 3 attended; cancelling two sessions leaves 1 of 1
	for _, s := range ss[1:3] {
		s.Set("cancelled", true)
		if err := app.Save(s); err != nil {
			t.Fatal(err)
		}
	}
	if status() != "completed" {
		t.Errorf("1 of 1 after cancellations: %s", status())
	}
	if total, rows := ledger(t, app, w.Student2, "course_completion", enr.Id); total != 50 || rows != 3 {
		t.Errorf("completion ledger %d in %d rows, want 50 in 3 (+50 −50 +50)", total, rows)
	}
	if n := len(notices(t, app, w.Student2, "course_completed")); n != 2 {
		t.Errorf("%d completion notices, want 2", n)
	}

	// lowering the share completes too
	c2, ss2 := course(t, app, w.Host, 3, map[string]any{"completion_share": 1})
	e2 := testapp.Save(t, app, "enrollments", map[string]any{"course": c2.Id, "user": w.Student2})
	mark(h, host, ss2[0].Id, w.Student2, "present")
	mark(h, host, ss2[1].Id, w.Student2, "present")
	if testapp.Find(t, app, "enrollments", e2.Id).GetString("status") != "enrolled" {
		t.Fatal("2 of 3 with share 1")
	}
	mgr := w.Token(w.Staff[access.CoursesManage])
	if st, body := testapp.Do(h, http.MethodPatch, recordsURL+"courses/records/"+c2.Id, mgr, map[string]any{"completion_share": 0.5}); st != 200 {
		t.Fatalf("lower the share: %d %s", st, body)
	}
	if got := testapp.Find(t, app, "enrollments", e2.Id).GetString("status"); got != "completed" {
		t.Errorf("after lowering the share: %s", got)
	}
}

// A host marks an enrollment completed by hand: completed_by names them,
// the completion points are paid; students cannot complete themselves.
func TestHostCompletesByHand(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	url := recordsURL + "enrollments/records/" + w.Enrollment
	if st, _ := testapp.Do(h, http.MethodPatch, url, w.Token(w.Student), map[string]any{"status": "completed"}); st != 404 {
		t.Errorf("the student completes: %d", st)
	}
	if st, body := testapp.Do(h, http.MethodPatch, url, w.Token(w.Host), map[string]any{"status": "completed"}); st != 200 {
		t.Fatalf("the host completes: %d %s", st, body)
	}
	got := testapp.Find(t, app, "enrollments", w.Enrollment)
	if got.GetString("completed_by") != w.Host || got.GetDateTime("completed_at").IsZero() {
		t.Errorf("enrollment %v", got.FieldsData())
	}
	if total, _ := ledger(t, app, w.Student, "course_completion", w.Enrollment); total != 50 {
		t.Errorf("completion points %d", total)
	}
	var action string
	app.DB().NewQuery("SELECT action FROM audit_log WHERE record = {:r} ORDER BY created DESC LIMIT 1").Bind(map[string]any{"r": w.Enrollment}).Row(&action)
	if action != "complete" {
		t.Errorf("audit action %q", action)
	}
	// saving it again pays nothing more
	if st, _ := testapp.Do(h, http.MethodPatch, url, w.Token(w.Host), map[string]any{"status": "completed", "completed_at": ""}); st != 200 {
		t.Errorf("saving again: %d", st)
	}
	if total, rows := ledger(t, app, w.Student, "course_completion", w.Enrollment); total != 50 || rows != 1 {
		t.Errorf("completion points %d in %d rows", total, rows)
	}
	if got := testapp.Find(t, app, "enrollments", w.Enrollment); got.GetDateTime("completed_at").IsZero() {
		t.Error("completed_at cleared by a client")
	}
}

// A student who met the rule, left and enrolls again is completed on the
// spot, by the rule, in their own save.
func TestReenrollingCompletes(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	c, ss := course(t, app, w.Host, 2, map[string]any{"completion_share": 0.5})
	sid, tok := student(t, app, "Returner")
	status, body := enroll(h, tok, c.Id, sid)
	if status != 200 {
		t.Fatalf("enroll: %d %s", status, body)
	}
	id := string(body[strings.Index(string(body), `"id":"`)+6:][:15])
	url := recordsURL + "enrollments/records/" + id
	if st, body := testapp.Do(h, http.MethodPatch, url, tok, map[string]any{"status": "cancelled"}); st != 200 {
		t.Fatalf("leave: %d %s", st, body)
	}
	// marked present while away (a guest at the door): enrolled on the spot, and 1/2 meets the rule
	mark(h, w.Token(w.Host), ss[0].Id, sid, "present")
	if got := testapp.Find(t, app, "enrollments", id).GetString("status"); got != "completed" {
		t.Fatalf("after the mark: %s", got)
	}
	testapp.Do(h, http.MethodPatch, url, w.Token(w.Host), map[string]any{"status": "cancelled"})
	if st, body := testapp.Do(h, http.MethodPatch, url, tok, map[string]any{"status": "enrolled"}); st != 200 {
		t.Fatalf("enroll again: %d %s", st, body)
	}
	if got := testapp.Find(t, app, "enrollments", id).GetString("status"); got != "completed" {
		t.Errorf("after enrolling again: %s", got)
	}
	if total, _ := ledger(t, app, sid, "course_completion", id); total != 50 {
		t.Errorf("completion points %d, want 50", total)
	}
}
