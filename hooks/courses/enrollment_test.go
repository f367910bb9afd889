package courses_test

import (
	"net/http"
	"strings"
	"testing"

	"questbase/hooks/access"
	"questbase/hooks/audit"
	"questbase/hooks/testapp"
)

func enroll(h http.Handler, token, course, user string) (int, []byte) {
	return testapp.Do(h, http.MethodPost, recordsURL+"enrollments/records", token, map[string]any{"course": course, "user": user})
}

// Students enroll themselves in a published course while it has room (its
// enrolled and completed people count); one enrollment each; leaving frees
// the place and enrolling again takes one by the same rule. Staff may
// enroll beyond the capacity. A refusal stores nothing.
func TestEnrollment(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	c, _ := course(t, app, w.Host, 2, map[string]any{"capacity": 2})
	draft, _ := course(t, app, w.Host, 0, map[string]any{"status": "draft"})
	a, ta := student(t, app, "A")
	b, tb := student(t, app, "B")
	cc, tc := student(t, app, "C")

	var ids = map[string]string{}
	for _, s := range []struct{ id, tok string }{{a, ta}, {b, tb}} {
		status, body := enroll(h, s.tok, c.Id, s.id)
		if status != 200 || !strings.Contains(string(body), `"status":"enrolled"`) {
			t.Fatalf("enroll: %d %s", status, body)
		}
		ids[s.id] = string(body[strings.Index(string(body), `"id":"`)+6:][:15])
	}
	if status, body := enroll(h, tc, c.Id, cc); status != 400 || !strings.Contains(string(body), "course_full") {
		t.Errorf("a full course: %d %s", status, body)
	}
	if status, body := enroll(h, ta, c.Id, a); status != 400 || !strings.Contains(string(body), "validation_not_unique") {
		t.Errorf("enrolling twice: %d %s", status, body)
	}
	if status, _ := enroll(h, tc, draft.Id, cc); status != 400 {
		t.Errorf("a draft course: %d", status)
	}
	if status, _ := testapp.Do(h, http.MethodPatch, recordsURL+"enrollments/records/"+ids[a], ta, map[string]any{"status": "completed"}); status != 404 {
		t.Errorf("completing oneself: %d", status)
	}
	// leaving frees the place
	if status, body := testapp.Do(h, http.MethodPatch, recordsURL+"enrollments/records/"+ids[a], ta, map[string]any{"status": "cancelled"}); status != 200 {
		t.Fatalf("leave: %d %s", status, body)
	}
	if status, body := enroll(h, tc, c.Id, cc); status != 200 {
		t.Fatalf("C takes the freed place: %d %s", status, body)
	}
	if status, body := testapp.Do(h, http.MethodPatch, recordsURL+"enrollments/records/"+ids[a], ta, map[string]any{"status": "enrolled"}); status != 400 || !strings.Contains(string(body), "course_full") {
		t.Errorf("coming back to a full course: %d %s", status, body)
	}
	// staff may go beyond the capacity
	if status, body := enroll(h, w.Token(w.Staff[access.CoursesManage]), c.Id, w.Student2); status != 200 {
		t.Errorf("a manager enrolls beyond the capacity: %d %s", status, body)
	}
	var n int
	app.DB().NewQuery("SELECT count(*) FROM enrollments WHERE course = {:c}").Bind(map[string]any{"c": c.Id}).Row(&n)
	if n != 4 {
		t.Errorf("%d enrollments stored, want 4 (A cancelled, B, C, Student2)", n)
	}
	// from Go as the student (the bot): no completing oneself either
	enr := testapp.Find(t, app, "enrollments", ids[b])
	enr.Set("status", "completed")
	u := testapp.Find(t, app, "users", b)
	if err := app.SaveWithContext(audit.WithActor(ctx, audit.Bot(u)), enr); err == nil {
		t.Error("the bot completed a student's own enrollment")
	}
}
