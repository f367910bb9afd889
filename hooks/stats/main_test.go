package stats_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks/access"
	"questbase/hooks/audit"
	"questbase/hooks/points"
	"questbase/hooks/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

var ctx = context.Background()

func award(t testing.TB, app core.App, e points.Entry) {
	t.Helper()
	if _, err := points.Award(ctx, app, e); err != nil {
		t.Fatal(err)
	}
}

// get sends a GET as token ("" for a guest) and decodes a 200 answer into out.
func get(t testing.TB, h http.Handler, url, token string, out any) (int, []byte) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, url, nil)
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code == http.StatusOK && out != nil {
		if err := json.Unmarshal(rec.Body.Bytes(), out); err != nil {
			t.Fatalf("GET %s: decode: %v\n%s", url, err, rec.Body.Bytes())
		}
	}
	return rec.Code, rec.Body.Bytes()
}

func mustGet(t testing.TB, h http.Handler, url, token string, out any) {
	t.Helper()
	if code, body := get(t, h, url, token, out); code != http.StatusOK {
		t.Fatalf("GET %s: %d %s", url, code, body)
	}
}

// rate is n/d, or nil for d = 0, as the API reports rates.
func rate(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	r := float64(n) / float64(d)
	return &r
}

func sameRate(a, b *float64) bool {
	if a == nil || b == nil {
		return a == nil && b == nil
	}
	return math.Abs(*a-*b) < 1e-4
}

func fmtRate(r *float64) string {
	if r == nil {
		return "null"
	}
	return fmt.Sprintf("%.4f", *r)
}

// fixture is the fixture world plus meetups, courses and claims with
// known numbers across months and tags.
type fixture struct {
	*testapp.World
	app      *tests.TestApp
	h        http.Handler
	super    string // the superuser's token
	students []string

	TagDesign string
	meetup    map[string]string // id by title
	course    map[string]string
	claim     map[string]string
	Host2     string
	Reviewer2 string
}

// token is an auth token for a fixture user, world or added.
func (f *fixture) token(t testing.TB, id string) string {
	t.Helper()
	u, err := f.app.FindRecordById("users", id)
	if err != nil {
		t.Fatal(err)
	}
	tok, err := u.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func (f *fixture) tag(name string) string {
	switch name {
	case "ml":
		return f.TagML
	case "web":
		return f.TagWeb
	case "design":
		return f.TagDesign
	}
	panic("unknown tag " + name)
}

func (f *fixture) tags(names ...string) []string {
	ids := []string{}
	for _, n := range names {
		ids = append(ids, f.tag(n))
	}
	return ids
}

// meetupSpec describes a fixture meetup: students[0:reg] registered, the
// next wait waitlisted, the next canc cancelled; the first checkins of the
// registered checked in (hooks/checkin pays them: the ledger row names the
// meetup); ratings from the first registered; quiz attempts from the
// first quiz registered.
type meetupSpec struct {
	title, at, status string
	tags              []string
	points            int
	reg, wait, canc   int
	checkins          int
	ratings           []int
	quiz              int
}

var meetupSpecs = []meetupSpec{
	{title: "Go basics", at: "2030-01-10 18:00:00.000Z", tags: []string{"web"}, status: "published", points: 10, reg: 4, wait: 1, canc: 1, checkins: 3, ratings: []int{5, 4}, quiz: 2},
	{title: "ML 101", at: "2030-01-20 18:00:00.000Z", tags: []string{"ml"}, status: "published", points: 10, reg: 5, wait: 1, canc: 1, checkins: 4, ratings: []int{5, 4, 3}},
	{title: "ML for web", at: "2030-02-05 17:00:00.000Z", tags: []string{"ml", "web"}, status: "published", points: 15, reg: 6, canc: 2, checkins: 6, ratings: []int{4}, quiz: 3},
	{title: "Design review", at: "2030-03-12 16:00:00.000Z", tags: []string{"design"}, status: "finished", points: 10, reg: 3, checkins: 3},
	{title: "Open talk", at: "2030-03-30 15:00:00.000Z", status: "finished", points: 5, reg: 3, checkins: 3, ratings: []int{2}},
	{title: "Cancelled party", at: "2030-04-02 19:00:00.000Z", tags: []string{"web"}, status: "cancelled", points: 10, canc: 4},
}

// newFixture builds an app with the fixture world and the stats fixtures,
// every record saved through app.Save so that the hooks run.
func newFixture(t testing.TB) *fixture {
	t.Helper()
	app, w := testapp.New(t)
	f := &fixture{World: w, app: app, super: w.Token(w.Superuser),
		meetup: map[string]string{}, course: map[string]string{}, claim: map[string]string{}}
	f.TagDesign = testapp.Save(t, app, "tags", map[string]any{"name": "design"}).Id
	for i := range 10 {
		f.students = append(f.students, testapp.Save(t, app, "users", map[string]any{
			"first_name": fmt.Sprintf("Student%d", i), "telegram_id": 5000 + i,
		}).Id)
	}
	f.seedMeetups(t)
	f.seedCourses(t)
	f.seedClaims(t)
	f.h = testapp.Handler(t, app)
	return f
}

func (f *fixture) seedMeetups(t testing.TB) {
	app := f.app
	for _, s := range meetupSpecs {
		// published while people register, then the spec's status; the
		// capacity makes the hooks waitlist the late ones
		m := testapp.Save(t, app, "meetups", map[string]any{
			"title": s.title, "starts_at": s.at, "tags": f.tags(s.tags...), "points": s.points, "status": "published", "capacity": s.reg,
		})
		f.meetup[s.title] = m.Id
		var registered, cancelled []*core.Record
		next := 0
		join := func() *core.Record {
			r := testapp.Save(t, app, "registrations", map[string]any{"meetup": m.Id, "user": f.students[next]})
			next++
			return r
		}
		for range s.reg {
			registered = append(registered, join())
		}
		// the ones who cancel joined the waitlist first: their going
		// frees no seat and promotes nobody
		for range s.canc {
			cancelled = append(cancelled, join())
		}
		for _, r := range cancelled {
			r.Set("status", "cancelled")
			if err := app.Save(r); err != nil {
				t.Fatal(err)
			}
		}
		for range s.wait {
			join()
		}
		for _, r := range registered[:s.checkins] {
			testapp.Save(t, app, "checkins", map[string]any{
				"meetup": m.Id, "user": r.GetString("user"), "registration": r.Id, "scanned_by": f.Staff[access.CheckinScan],
			})
		}
		for i, rating := range s.ratings {
			testapp.Save(t, app, "feedback", map[string]any{"meetup": m.Id, "user": registered[i].GetString("user"), "rating": rating})
		}
		if s.quiz > 0 {
			q := testapp.Save(t, app, "quizzes", map[string]any{"meetup": m.Id, "title": s.title + " quiz"})
			q2 := testapp.Save(t, app, "quizzes", map[string]any{"meetup": m.Id, "title": s.title + " bonus quiz"})
			for i := range s.quiz {
				testapp.Save(t, app, "quiz_attempts", map[string]any{"quiz": q.Id, "user": registered[i].GetString("user")})
			}
			// the first taker also takes the bonus quiz: still one taker
			testapp.Save(t, app, "quiz_attempts", map[string]any{"quiz": q2.Id, "user": registered[0].GetString("user")})
		}
		if s.status != "published" {
			m.Set("status", s.status)
			if err := app.Save(m); err != nil {
				t.Fatal(err)
			}
		}
	}
	// ledger rows that name a meetup for another reason, or another source
	// for check-in points, are not check-in points of any meetup
	c, err := app.FindFirstRecordByData("checkins", "meetup", f.meetup["Go basics"])
	if err != nil {
		t.Fatal(err)
	}
	award(t, app, points.Entry{User: c.GetString("user"), Amount: 7, Reason: points.ReasonQuiz, Ref: f.meetup["Go basics"]})
	award(t, app, points.Entry{User: f.students[9], Amount: 3, Reason: points.ReasonCheckin, Ref: "somewhere-else"})
	award(t, app, points.Entry{User: c.GetString("user"), Amount: 4, Reason: points.ReasonCheckin, Ref: c.GetString("registration")})
}

func (f *fixture) seedCourses(t testing.TB) {
	app := f.app
	f.Host2 = testapp.Save(t, app, "users", map[string]any{"first_name": "Глеб", "last_name": "Хостов", "email": "host2@questbase.test"}).Id
	f.course["Go course"] = f.Course

	// Web course: 5 sessions (one cancelled, one far ahead), 6 enrollments;
	// completion is the hosts' call (no completion share), so the fixture
	// decides who completes. The hooks pay every mark and completion.
	web := testapp.Save(t, app, "courses", map[string]any{
		"title": "Web course", "tags": f.tags("web"), "hosts": []string{f.Host2},
		"starts_on": "2026-01-10 00:00:00.000Z", "ends_on": "2026-03-20 00:00:00.000Z",
		"points_per_session": 5, "points_on_completion": 50, "status": "published",
	})
	f.course["Web course"] = web.Id
	at := []string{"2026-01-15 18:00:00.000Z", "2026-02-12 18:00:00.000Z", "2026-02-26 18:00:00.000Z", "2026-03-12 18:00:00.000Z", "2035-01-11 18:00:00.000Z"}
	var ws []string
	for i, a := range at {
		ws = append(ws, testapp.Save(t, app, "course_sessions", map[string]any{
			"course": web.Id, "title": fmt.Sprintf("Web %d", i+1), "starts_at": a, "cancelled": i == 2,
		}).Id)
	}
	var enr []*core.Record
	for i := range 6 {
		enr = append(enr, testapp.Save(t, app, "enrollments", map[string]any{"course": web.Id, "user": f.students[i]}))
	}
	marks := map[int][]string{ // session → status of students 0..4 (session 2 is cancelled)
		0: {"present", "present", "late", "present", "absent"},
		1: {"present", "absent", "excused", "present", "present"},
		3: {"late", "", "", "present", "present"},
	}
	for si, statuses := range marks {
		for ui, st := range statuses {
			if st == "" {
				continue
			}
			testapp.Save(t, app, "attendance", map[string]any{"session": ws[si], "user": f.students[ui], "status": st, "marked_by": f.Host2})
		}
	}
	for i, when := range map[int]string{3: "2026-03-15 12:00:00.000Z", 4: "2026-03-20 12:00:00.000Z"} {
		setStatus(t, app, enr[i], "completed", when)
	}
	setStatus(t, app, enr[5], "cancelled", "")

	// ML course: no dates of its own; its awards name the session and the course
	ml := testapp.Save(t, app, "courses", map[string]any{
		"title": "ML course", "tags": f.tags("ml"), "hosts": []string{f.Host},
		"points_per_session": 4, "points_on_completion": 40, "status": "published",
	})
	f.course["ML course"] = ml.Id
	s1 := testapp.Save(t, app, "course_sessions", map[string]any{"course": ml.Id, "title": "ML 1", "starts_at": "2026-04-01 18:00:00.000Z"}).Id
	s2 := testapp.Save(t, app, "course_sessions", map[string]any{"course": ml.Id, "title": "ML 2", "starts_at": "2026-05-06 18:00:00.000Z"}).Id
	var mlEnr []*core.Record
	for i := 6; i < 10; i++ {
		mlEnr = append(mlEnr, testapp.Save(t, app, "enrollments", map[string]any{"course": ml.Id, "user": f.students[i]}))
	}
	for i, st := range []string{"present", "present", "absent", "present"} {
		testapp.Save(t, app, "attendance", map[string]any{"session": s1, "user": f.students[6+i], "status": st})
	}
	testapp.Save(t, app, "attendance", map[string]any{"session": s2, "user": f.students[9], "status": "present"})
	setStatus(t, app, mlEnr[3], "completed", "2026-05-10 12:00:00.000Z")

	f.course["Design studio"] = testapp.Save(t, app, "courses", map[string]any{"title": "Design studio", "tags": f.tags("design"), "status": "published"}).Id
}

func setStatus(t testing.TB, app core.App, enr *core.Record, status, completedAt string) {
	t.Helper()
	enr.Set("status", status)
	if err := app.Save(enr); err != nil {
		t.Fatal(err)
	}
	if completedAt == "" {
		return
	}
	// the hook stamps the completion with now; the fixture's is in the past
	if _, err := app.DB().Update("enrollments", dbx.Params{"completed_at": completedAt}, dbx.HashExp{"id": enr.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
}

// claimSpec is a fixture claim: filed at created by students[owner],
// decided (approved or rejected) by reviewer at decided.
type claimSpec struct {
	title, created  string
	owner           int
	tags            []string
	status          string // pending, approved, rejected
	reviewer        string // "r1", "r2" or "super"
	decided         string
	points          int
	decisionSeconds int
}

var claimSpecs = []claimSpec{
	{title: "Hackathon", created: "2026-01-05 10:00:00.000Z", owner: 0, tags: []string{"ml"}, status: "approved", reviewer: "r1", decided: "2026-01-06 10:00:00.000Z", points: 30, decisionSeconds: 86400},
	{title: "Olympiad", created: "2026-01-20 09:00:00.000Z", owner: 1, status: "rejected", reviewer: "r1", decided: "2026-01-20 21:00:00.000Z", decisionSeconds: 43200},
	{title: "Conference talk", created: "2026-02-03 12:00:00.000Z", owner: 2, tags: []string{"web"}, status: "approved", reviewer: "r2", decided: "2026-02-05 12:00:00.000Z", points: 20, decisionSeconds: 172800},
	{title: "Open source", created: "2026-02-14 08:00:00.000Z", owner: 3, status: "pending"},
	{title: "Article", created: "2026-03-01 00:00:00.000Z", owner: 4, tags: []string{"web"}, status: "approved", reviewer: "super", decided: "2026-03-01 01:00:00.000Z", points: 10, decisionSeconds: 3600},
	{title: "Mentoring", created: "2026-03-09 14:00:00.000Z", owner: 5, status: "pending"},
}

func (f *fixture) seedClaims(t testing.TB) {
	app := f.app
	role, err := app.FindFirstRecordByData("roles", "name", access.ClaimsReview)
	if err != nil {
		t.Fatal(err)
	}
	f.Reviewer2 = testapp.Save(t, app, "users", map[string]any{
		"first_name": "Ревьюер", "last_name": "Второй", "email": "reviewer2@questbase.test", "roles": []string{role.Id},
	}).Id
	actors := map[string]audit.Actor{}
	for key, id := range map[string]string{"r1": f.Staff[access.ClaimsReview], "r2": f.Reviewer2} {
		u, err := app.FindRecordById("users", id)
		if err != nil {
			t.Fatal(err)
		}
		actors[key] = audit.FromAuth(u)
	}
	su, err := app.FindRecordById(core.CollectionNameSuperusers, f.Superuser)
	if err != nil {
		t.Fatal(err)
	}
	actors["super"] = audit.FromAuth(su)

	for _, s := range claimSpecs {
		c := testapp.Save(t, app, "claims", map[string]any{"user": f.students[s.owner], "title": s.title, "tags": f.tags(s.tags...)})
		f.claim[s.title] = c.Id
		if s.status != "pending" {
			c.Set("status", s.status)
			c.Set("points", s.points)
			if s.status == "rejected" {
				c.Set("review_note", "No proof")
			}
			if err := app.SaveWithContext(audit.WithActor(ctx, actors[s.reviewer]), c); err != nil {
				t.Fatalf("decide %s: %v", s.title, err)
			}
		}
		// filing and decision times are the fixture's, not the test run's
		_, err := app.DB().Update("claims", dbx.Params{"created": s.created, "reviewed_at": s.decided}, dbx.HashExp{"id": c.Id}).Execute()
		if err != nil {
			t.Fatal(err)
		}
	}
}
