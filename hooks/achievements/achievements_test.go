package achievements_test

import (
	"context"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks/access"
	"questbase/hooks/achievements"
	"questbase/hooks/points"
	"questbase/hooks/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

func count(t testing.TB, app core.App, table string, where dbx.HashExp) int {
	t.Helper()
	var exprs []dbx.Expression
	if len(where) > 0 {
		exprs = append(exprs, where)
	}
	n, err := app.CountRecords(table, exprs...)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func pointsOf(t testing.TB, app core.App, user string) int {
	t.Helper()
	u, err := app.FindRecordById("users", user)
	if err != nil {
		t.Fatal(err)
	}
	return u.GetInt("points")
}

func TestAwardRoute(t *testing.T) {
	w := testapp.Fixtures(t)
	awarder := w.Auth(w.Staff[access.AchievementsAward])
	url := "/api/achievements/" + w.Achievement + "/award"
	factory := testapp.Factory(testapp.Options{})

	(&tests.ApiScenario{
		Name: "a list: one new, one who had it, one unknown id", Method: http.MethodPost, URL: url,
		Body:    strings.NewReader(`{"users":["` + w.Student2 + `","` + w.Student + `","nosuchuser12345"]}`),
		Headers: awarder, ExpectedStatus: 200,
		ExpectedContent: []string{`"awarded":["` + w.Student2 + `"]`, `"already":["` + w.Student + `"]`, `"missing":["nosuchuser12345"]`},
		ExpectedEvents:  map[string]int{"OnRecordCreate": 2, "OnRecordAfterCreateSuccess": 2}, // the award and its ledger row
		TestAppFactory:  factory,
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, _ *http.Response) {
			if n := count(t, app, "awards", dbx.HashExp{"user": w.Student2, "achievement": w.Achievement}); n != 1 {
				t.Errorf("awards rows: %d", n)
			}
			a, err := app.FindFirstRecordByFilter("awards", "user={:u}", dbx.Params{"u": w.Student2})
			if err != nil {
				t.Fatal(err)
			}
			if a.GetString("awarded_by") != w.Staff[access.AchievementsAward] || a.GetString("source") != "manual" {
				t.Errorf("award: %v", a)
			}
			if p := pointsOf(t, app, w.Student2); p != 20 {
				t.Errorf("the achievement's 20 points: got %d", p)
			}
			if n := count(t, app, "outbox", dbx.HashExp{"user": w.Student2, "kind": "achievement"}); n != 1 {
				t.Errorf("achievement notifications: %d", n)
			}
			// one from the fixture award, none from this request
			if n := count(t, app, "outbox", dbx.HashExp{"user": w.Student, "kind": "achievement"}); n != 1 {
				t.Errorf("the student who had it was notified again: %d", n)
			}
		},
	}).Test(t)

	(&tests.ApiScenario{
		Name: "by filter", Method: http.MethodPost, URL: url,
		Body:    strings.NewReader(`{"filter":"study_group = 'ИТ-22' || study_group = 'ИТ-21'"}`),
		Headers: w.Auth(w.Superuser), ExpectedStatus: 200,
		ExpectedContent: []string{`"awarded":["` + w.Student2 + `"]`, `"already":["` + w.Student + `"]`},
		TestAppFactory:  factory,
	}).Test(t)

	unchanged := func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		if n := count(t, app, "awards", nil); n != 1 {
			t.Errorf("awards changed: %d rows", n)
		}
	}
	for _, sc := range []tests.ApiScenario{
		{Name: "guest", Body: strings.NewReader(`{"users":["` + w.Student2 + `"]}`), ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{Name: "student", Headers: w.Auth(w.Student), Body: strings.NewReader(`{"users":["` + w.Student2 + `"]}`), ExpectedStatus: 403, ExpectedContent: []string{"achievements.award"}},
		{Name: "another permission", Headers: w.Auth(w.Staff[access.AchievementsManage]), Body: strings.NewReader(`{"users":["` + w.Student2 + `"]}`), ExpectedStatus: 403, ExpectedContent: []string{"achievements.award"}},
		{Name: "unknown achievement", URL: "/api/achievements/nosuchachievmnt/award", Headers: awarder, Body: strings.NewReader(`{"users":["` + w.Student2 + `"]}`), ExpectedStatus: 404, ExpectedContent: []string{"No such achievement"}},
		{Name: "nobody named", Headers: awarder, Body: strings.NewReader(`{}`), ExpectedStatus: 400, ExpectedContent: []string{`"users"`}},
		{Name: "both users and filter", Headers: awarder, Body: strings.NewReader(`{"users":["x"],"filter":"id != ''"}`), ExpectedStatus: 400, ExpectedContent: []string{`"filter"`}},
		{Name: "broken filter", Headers: awarder, Body: strings.NewReader(`{"filter":"no_such_field = 1 &&"}`), ExpectedStatus: 400, ExpectedContent: []string{`"filter"`}},
		{Name: "archived achievement", URL: "/api/achievements/archivedachieve/award", Headers: awarder, Body: strings.NewReader(`{"users":["` + w.Student2 + `"]}`), ExpectedStatus: 400, ExpectedContent: []string{"archived"}},
		{Name: "not JSON", Headers: awarder, Body: strings.NewReader(`users=1`), ExpectedStatus: 400, ExpectedContent: []string{"JSON"}},
	} {
		sc.Method = http.MethodPost
		if sc.URL == "" {
			sc.URL = url
		}
		sc.TestAppFactory = withArchived
		sc.AfterTestFunc = unchanged
		sc.ExpectedEvents = map[string]int{"OnRecordCreate": 0}
		sc.Test(t)
	}
}

// withArchived is a test app with an archived achievement "archivedachieve".
func withArchived(t testing.TB) *tests.TestApp {
	app, _ := testapp.New(t)
	col, _ := app.FindCollectionByNameOrId("achievements")
	a := core.NewRecord(col)
	a.Id = "archivedachieve"
	a.Set("title", "Old times")
	a.Set("archived", true)
	if err := app.Save(a); err != nil {
		t.Fatal(err)
	}
	return app
}

// Twenty organizers pressing "award" at once give one award and one payment.
func TestConcurrentAwards(t *testing.T) {
	app, w := testapp.New(t)
	ach, _ := app.FindRecordById("achievements", w.Achievement)
	var wg sync.WaitGroup
	for range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := achievements.AwardMany(context.Background(), app, ach, []string{w.Student2}, "manual", ""); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := count(t, app, "awards", dbx.HashExp{"user": w.Student2}); n != 1 {
		t.Fatalf("awards: %d", n)
	}
	if n := count(t, app, "points", dbx.HashExp{"user": w.Student2}); n != 1 {
		t.Fatalf("ledger rows: %d", n)
	}
	if p := pointsOf(t, app, w.Student2); p != 20 {
		t.Fatalf("points: %d", p)
	}
}

func has(t testing.TB, app core.App, user, ach string) bool {
	return count(t, app, "awards", dbx.HashExp{"user": user, "achievement": ach}) == 1
}

// Automatic rules award once, when the event that satisfies them happens.
func TestAutomaticRules(t *testing.T) {
	app, w := testapp.New(t)
	soon := time.Now().Add(time.Hour)
	regular := testapp.Save(t, app, "achievements", map[string]any{"title": "Regular", "points": 5, "rule": "meetups_count", "rule_count": 2})
	mlFan := testapp.Save(t, app, "achievements", map[string]any{"title": "ML fan", "points": 5, "rule": "meetups_tag_count", "rule_count": 2, "rule_tag": w.TagML})
	graduate := testapp.Save(t, app, "achievements", map[string]any{"title": "Graduate", "points": 5, "rule": "course_completed", "rule_course": w.Course})
	climber := testapp.Save(t, app, "achievements", map[string]any{"title": "Climber", "points": 5, "rule": "level_reached", "rule_level": 2})
	archived := testapp.Save(t, app, "achievements", map[string]any{"title": "Old", "points": 5, "rule": "meetups_count", "rule_count": 1, "archived": true})

	m1 := testapp.Save(t, app, "meetups", map[string]any{"title": "m1", "starts_at": soon, "status": "published", "tags": []string{w.TagML}})
	m2 := testapp.Save(t, app, "meetups", map[string]any{"title": "m2", "starts_at": soon, "status": "published", "tags": []string{w.TagWeb}})
	m3 := testapp.Save(t, app, "meetups", map[string]any{"title": "m3", "starts_at": soon, "status": "published", "tags": []string{w.TagML}})

	checkin := func(m *core.Record) {
		testapp.Save(t, app, "checkins", map[string]any{"meetup": m.Id, "user": w.Student2})
	}
	checkin(m1)
	if has(t, app, w.Student2, regular.Id) || has(t, app, w.Student2, archived.Id) {
		t.Fatal("awarded too early, or an archived achievement")
	}
	checkin(m2)
	if !has(t, app, w.Student2, regular.Id) || has(t, app, w.Student2, mlFan.Id) {
		t.Fatal("two meetups: Regular yes, ML fan not yet (one ML meetup)")
	}
	checkin(m3)
	if !has(t, app, w.Student2, mlFan.Id) {
		t.Fatal("two ML meetups: ML fan")
	}
	if n := count(t, app, "awards", dbx.HashExp{"user": w.Student2, "achievement": regular.Id}); n != 1 {
		t.Fatalf("Regular awarded %d times", n)
	}

	enr := testapp.Save(t, app, "enrollments", map[string]any{"course": w.Course, "user": w.Student2})
	if has(t, app, w.Student2, graduate.Id) {
		t.Fatal("enrolled is not completed")
	}
	enr.Set("status", "completed")
	if err := app.Save(enr); err != nil {
		t.Fatal(err)
	}
	if !has(t, app, w.Student2, graduate.Id) {
		t.Fatal("completed the course: Graduate")
	}

	if has(t, app, w.Student2, climber.Id) {
		t.Fatal("level 1 so far")
	}
	if _, err := points.Award(context.Background(), app, points.Entry{User: w.Student2, Amount: 200, Reason: points.ReasonClaim, Ref: "big"}); err != nil {
		t.Fatal(err)
	}
	if !has(t, app, w.Student2, climber.Id) {
		t.Fatal("reached level 2: Climber")
	}
	a, _ := app.FindFirstRecordByFilter("awards", "achievement={:a}", dbx.Params{"a": climber.Id})
	if a.GetString("source") != "auto" {
		t.Errorf("source %q", a.GetString("source"))
	}
	// points: 5 × 4 achievements + 200 + 50 for completing the course
	if p := pointsOf(t, app, w.Student2); p != 270 {
		t.Fatalf("points %d, want 270", p)
	}
	var kinds []string
	app.DB().NewQuery("SELECT kind FROM outbox WHERE user={:u} AND kind='achievement'").Bind(dbx.Params{"u": w.Student2}).Column(&kinds)
	if len(kinds) != 4 {
		t.Fatalf("achievement notifications: %d", len(kinds))
	}
}

func TestAwardPayloadNamesTheAchievement(t *testing.T) {
	app, w := testapp.New(t)
	ach, _ := app.FindRecordById("achievements", w.Achievement)
	if _, err := achievements.AwardMany(context.Background(), app, ach, []string{w.Student2}, "manual", ""); err != nil {
		t.Fatal(err)
	}
	var payload string
	app.DB().NewQuery("SELECT payload FROM outbox WHERE user={:u} AND kind='achievement'").Bind(dbx.Params{"u": w.Student2}).Row(&payload)
	var p map[string]any
	json.Unmarshal([]byte(payload), &p)
	if p["title"] != "First steps" || p["points"] != 20.0 || p["achievement"] != w.Achievement {
		t.Fatalf("payload %v", p)
	}
}
