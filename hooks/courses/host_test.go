package courses_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"questbase/hooks/access"
	"questbase/hooks/courses"
	"questbase/hooks/testapp"
)

// Reminders are a list of {before_minutes, text}: whole minutes from 5 to
// 30 days, each offset once, at most 10, text up to 1000 characters, no
// other keys. A bad list is a 400 naming the field and changes nothing;
// a good one is stored as sent (trimmed).
func TestReminderSettings(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	url := recordsURL + "courses/records/" + w.Course
	host := w.Token(w.Host)
	bad := map[string]any{
		"not a list":       map[string]any{"before_minutes": 60},
		"a string item":    []any{"1h"},
		"minutes as text":  []any{map[string]any{"before_minutes": "60"}},
		"no minutes":       []any{map[string]any{"text": "soon"}},
		"fraction":         []any{map[string]any{"before_minutes": 1.5}},
		"too soon":         []any{map[string]any{"before_minutes": 1}},
		"too far":          []any{map[string]any{"before_minutes": 60 * 24 * 31}},
		"negative":         []any{map[string]any{"before_minutes": -60}},
		"twice the offset": []any{map[string]any{"before_minutes": 60}, map[string]any{"before_minutes": 60, "text": "again"}},
		"unknown key":      []any{map[string]any{"before_minutes": 60, "channel": "sms"}},
		"text not string":  []any{map[string]any{"before_minutes": 60, "text": 5}},
		"text too long":    []any{map[string]any{"before_minutes": 60, "text": strings.Repeat("я", 1001)}},
		"eleven": func() []any {
			var l []any
			for i := range 11 {
				l = append(l, map[string]any{"before_minutes": 10 + i})
			}
			return l
		}(),
	}
	for name, v := range bad {
		status, body := testapp.Do(h, http.MethodPatch, url, host, map[string]any{"reminders": v})
		if status != 400 || !strings.Contains(string(body), `"reminders"`) {
			t.Errorf("%s: %d %s", name, status, body)
		}
	}
	if got := testapp.Find(t, app, "courses", w.Course).GetString("reminders"); got != "null" && got != "" {
		t.Errorf("refused reminders stored: %s", got)
	}
	good := []any{map[string]any{"before_minutes": 1440, "text": "  Завтра занятие  "}, map[string]any{"before_minutes": 60}}
	if status, body := testapp.Do(h, http.MethodPatch, url, host, map[string]any{"reminders": good}); status != 200 {
		t.Fatalf("good reminders: %d %s", status, body)
	}
	var stored []courses.Reminder
	json.Unmarshal([]byte(testapp.Find(t, app, "courses", w.Course).GetString("reminders")), &stored)
	if len(stored) != 2 || stored[0] != (courses.Reminder{BeforeMinutes: 1440, Text: "Завтра занятие"}) || stored[1] != (courses.Reminder{BeforeMinutes: 60}) {
		t.Errorf("stored %+v", stored)
	}
	if status, _ := testapp.Do(h, http.MethodPatch, url, host, map[string]any{"reminders": nil}); status != 200 {
		t.Errorf("clearing reminders: %d", status)
	}
}

// Hosts edit their course's info, schedule, reminders, marks and
// enrollments, and nothing of another course; the course's rules, points,
// status, hosts and tags are the managers'.
func TestHostsEditOnlyTheirCourses(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	host := w.Token(w.Host)
	other, otherSessions := course(t, app, w.Staff[access.CoursesManage], 1, map[string]any{"tags": []string{w.TagML}})
	otherEnr := testapp.Save(t, app, "enrollments", map[string]any{"course": other.Id, "user": w.Student2})
	soon := time.Now().Add(48 * time.Hour).UTC().Format(time.RFC3339)
	mine := recordsURL + "courses/records/" + w.Course
	theirs := recordsURL + "courses/records/" + other.Id
	checks := []struct {
		name, method, url string
		body              map[string]any
		want              int
	}{
		{"edit own course info", http.MethodPatch, mine, map[string]any{"title": "Go, spring", "description": "<p>Hi</p>", "starts_on": soon}, 200},
		{"set own reminders", http.MethodPatch, mine, map[string]any{"reminders": []any{map[string]any{"before_minutes": 60}}}, 200},
		{"raise own points", http.MethodPatch, mine, map[string]any{"points_per_session": 100}, 404},
		{"change own completion rule", http.MethodPatch, mine, map[string]any{"completion_share": 0.1}, 404},
		{"publish or archive own course", http.MethodPatch, mine, map[string]any{"status": "archived"}, 404},
		{"add a host", http.MethodPatch, mine, map[string]any{"hosts": []string{w.Host, w.Student}}, 404},
		{"edit another course", http.MethodPatch, theirs, map[string]any{"title": "Mine"}, 404},
		{"add a session to own course", http.MethodPost, recordsURL + "course_sessions/records", map[string]any{"course": w.Course, "title": "Extra", "starts_at": soon}, 200},
		{"add a session to another course", http.MethodPost, recordsURL + "course_sessions/records", map[string]any{"course": other.Id, "starts_at": soon}, 400},
		{"move own session to another course", http.MethodPatch, recordsURL + "course_sessions/records/" + w.Session, map[string]any{"course": other.Id}, 404},
		{"edit another course's session", http.MethodPatch, recordsURL + "course_sessions/records/" + otherSessions[0].Id, map[string]any{"title": "x"}, 404},
		{"delete another course's session", http.MethodDelete, recordsURL + "course_sessions/records/" + otherSessions[0].Id, nil, 404},
		{"mark at another course", http.MethodPost, recordsURL + "attendance/records", map[string]any{"session": otherSessions[0].Id, "user": w.Student2, "status": "present"}, 400},
		{"complete at another course", http.MethodPatch, recordsURL + "enrollments/records/" + otherEnr.Id, map[string]any{"status": "completed"}, 404},
		{"message another course", http.MethodPost, "/api/courses/" + other.Id + "/message", map[string]any{"text": "hi"}, 403},
		{"stats of another course", http.MethodGet, "/api/courses/" + other.Id + "/stats", nil, 403},
	}
	for _, c := range checks {
		if status, body := testapp.Do(h, c.method, c.url, host, c.body); status != c.want {
			t.Errorf("%s: %d %s, want %d", c.name, status, body, c.want)
		}
	}
	got := testapp.Find(t, app, "courses", w.Course)
	if got.GetInt("points_per_session") != 5 || got.GetString("status") != "published" || len(got.GetStringSlice("hosts")) != 1 {
		t.Errorf("own course after refused edits: %v", got.FieldsData())
	}
	if testapp.Find(t, app, "courses", other.Id).GetString("title") != "Course" || testapp.Find(t, app, "enrollments", otherEnr.Id).GetString("status") != "enrolled" {
		t.Error("another course changed")
	}
}

// A host messages all participants: one outbox row per enrolled or
// completed person (not who left), a retry with the same id reaches nobody
// twice; an empty or too long text is a 400 naming it; students and staff
// of other tags cannot.
func TestHostMessage(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	a, _ := student(t, app, "A")
	b, _ := student(t, app, "B")
	testapp.Save(t, app, "enrollments", map[string]any{"course": w.Course, "user": a})
	left := testapp.Save(t, app, "enrollments", map[string]any{"course": w.Course, "user": b})
	left.Set("status", "cancelled")
	if err := app.Save(left); err != nil {
		t.Fatal(err)
	}
	url := "/api/courses/" + w.Course + "/message"
	status, body := testapp.Do(h, http.MethodPost, url, w.Token(w.Host), map[string]any{"text": " Room 404 today ", "id": "msg-1"})
	if status != 200 || strings.TrimSpace(string(body)) != `{"id":"msg-1","recipients":2,"queued":2}` {
		t.Fatalf("message: %d %s", status, body)
	}
	var rows []struct {
		User    string `db:"user"`
		Payload string `db:"payload"`
	}
	app.DB().Select("user", "payload").From("outbox").Where(dbx.HashExp{"kind": "course_message"}).All(&rows)
	if len(rows) != 2 {
		t.Fatalf("%d outbox rows", len(rows))
	}
	for _, r := range rows {
		if r.User == b || !strings.Contains(r.Payload, `"text":"Room 404 today"`) || !strings.Contains(r.Payload, `"from":"Вера Хостова"`) {
			t.Errorf("row %+v", r)
		}
	}
	if status, body := testapp.Do(h, http.MethodPost, url, w.Token(w.Host), map[string]any{"text": "Room 404 today", "id": "msg-1"}); status != 200 || !strings.Contains(string(body), `"queued":0`) {
		t.Errorf("retry: %d %s", status, body)
	}
	var audits int
	app.DB().NewQuery("SELECT count(*) FROM audit_log WHERE module = 'courses' AND action = 'message'").Row(&audits)
	if audits != 1 {
		t.Errorf("%d audit rows, want 1", audits)
	}
	if status, body := testapp.Do(h, http.MethodPost, url, w.Token(w.Staff[access.CoursesManage]), map[string]any{"text": "From the office"}); status != 200 || !strings.Contains(string(body), `"queued":2`) {
		t.Errorf("a manager: %d %s", status, body)
	}
	for name, c := range map[string]struct {
		who  string
		body any
		want int
	}{
		"empty":         {w.Host, map[string]any{"text": "  "}, 400},
		"too long":      {w.Host, map[string]any{"text": strings.Repeat("a", 4097)}, 400},
		"number":        {w.Host, map[string]any{"text": 5}, 400},
		"bad id":        {w.Host, map[string]any{"text": "x", "id": "a b"}, 400},
		"a student":     {w.Student, map[string]any{"text": "spam"}, 403},
		"a Web manager": {w.Scoped[access.CoursesManage], map[string]any{"text": "spam"}, 403},
		"a guest":       {"", map[string]any{"text": "spam"}, 401},
	} {
		tok := ""
		if c.who != "" {
			tok = w.Token(c.who)
		}
		if status, body := testapp.Do(h, http.MethodPost, url, tok, c.body); status != c.want {
			t.Errorf("%s: %d %s, want %d", name, status, body, c.want)
		}
	}
	var n int
	app.DB().NewQuery("SELECT count(*) FROM outbox WHERE kind = 'course_message'").Row(&n)
	if n != 4 {
		t.Errorf("%d message rows, want 4", n)
	}
}

// Host stats: enrollment counts, marks per session, each participant's
// attendance; for hosts, managers and stats viewers.
func TestHostStats(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	testapp.Save(t, app, "enrollments", map[string]any{"course": w.Course, "user": w.Student2})
	testapp.Save(t, app, "attendance", map[string]any{"session": w.Session, "user": w.Student2, "status": "late"})
	url := "/api/courses/" + w.Course + "/stats"
	for _, who := range []string{w.Host, w.Staff[access.CoursesManage], w.Staff[access.StatsView], w.Superuser} {
		status, body := testapp.Do(h, http.MethodGet, url, w.Token(who), nil)
		if status != 200 {
			t.Fatalf("%s: %d %s", who, status, body)
		}
		var st courses.Stats
		json.Unmarshal(body, &st)
		if st.Enrolled != 2 || st.Completed != 0 || len(st.Sessions) != 2 || len(st.Participants) != 2 {
			t.Fatalf("stats %+v", st)
		}
		s := st.Sessions[0]
		if s.ID != w.Session || s.Present != 1 || s.Late != 1 || s.Unmarked != 0 || st.Sessions[1].Unmarked != 2 {
			t.Errorf("sessions %+v", st.Sessions)
		}
		for _, p := range st.Participants {
			if p.Attended != 1 || p.Status != "enrolled" {
				t.Errorf("participant %+v", p)
			}
		}
	}
	for who, want := range map[string]int{w.Student: 403, w.Scoped[access.CoursesManage]: 403, w.Staff[access.MeetupsManage]: 403} {
		if status, _ := testapp.Do(h, http.MethodGet, url, w.Token(who), nil); status != want {
			t.Errorf("%s: %d, want %d", who, status, want)
		}
	}
}
