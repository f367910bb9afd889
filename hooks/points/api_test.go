package points_test

import (
	"encoding/json"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks/access"
	"questbase/hooks/points"
	"questbase/hooks/testapp"
)

// unchanged asserts the student's balance and the ledger size stayed put.
func unchanged(student string, ledgerRows int, pts int) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		n, _ := app.CountRecords("points")
		if int(n) != ledgerRows {
			t.Errorf("ledger has %d rows, want %d", n, ledgerRows)
		}
		if got, _ := balance(t, app, student); got != pts {
			t.Errorf("balance %d, want %d", got, pts)
		}
	}
}

// Corrections are ledger rows made by holders of users.manage, with a note;
// ledger rows can never be edited or deleted through the API.
func TestLedgerThroughTheAPI(t *testing.T) {
	w := testapp.Fixtures(t)
	factory := testapp.Factory(testapp.Options{})
	manager := w.Auth(w.Staff[access.UsersManage])
	// the fixture's ledger and the student's balance, before any request
	probe, _ := testapp.New(t)
	n, _ := probe.CountRecords("points")
	rows := int(n)
	pts, _ := balance(t, probe, w.Student)
	body := func(s string) *strings.Reader { return strings.NewReader(s) }

	scenarios := []tests.ApiScenario{
		{
			Name: "correction by a manager", Method: http.MethodPost, URL: "/api/collections/points/records",
			Body:    body(`{"user":"` + w.Student + `","amount":-4,"reason":"correction","note":"scanned twice"}`),
			Headers: manager, ExpectedStatus: 200,
			ExpectedContent: []string{`"amount":-4`, `"ref":"correction_`, `"actor":"` + w.Staff[access.UsersManage] + `"`},
			ExpectedEvents:  map[string]int{"OnRecordCreateRequest": 1, "OnRecordCreate": 1, "OnRecordAfterCreateSuccess": 1},
			AfterTestFunc:   unchanged(w.Student, rows+1, pts-4),
		},
		{
			Name: "correction without a note", Method: http.MethodPost, URL: "/api/collections/points/records",
			Body:    body(`{"user":"` + w.Student + `","amount":-4,"reason":"correction"}`),
			Headers: manager, ExpectedStatus: 400, ExpectedContent: []string{`"note"`, "validation_note_required"},
			ExpectedEvents: map[string]int{"OnRecordCreateRequest": 1, "OnRecordAfterCreateSuccess": 0},
			AfterTestFunc:  unchanged(w.Student, rows, pts),
		},
		{
			Name: "zero correction", Method: http.MethodPost, URL: "/api/collections/points/records",
			Body:    body(`{"user":"` + w.Student + `","amount":0,"reason":"correction","note":"x"}`),
			Headers: manager, ExpectedStatus: 400, ExpectedContent: []string{`"amount"`},
			ExpectedEvents: map[string]int{"OnRecordAfterCreateSuccess": 0},
			AfterTestFunc:  unchanged(w.Student, rows, pts),
		},
		{
			Name: "negative award without permission", Method: http.MethodPost, URL: "/api/collections/points/records",
			Body:    body(`{"user":"` + w.Student + `","amount":-4,"reason":"correction","note":"x"}`),
			Headers: w.Auth(w.Staff[access.ClaimsReview]), ExpectedStatus: 400,
			ExpectedContent: []string{"Failed to create record"},
			ExpectedEvents:  map[string]int{"OnRecordCreateRequest": 0},
			AfterTestFunc:   unchanged(w.Student, rows, pts),
		},
		{
			Name: "a student awarding themselves", Method: http.MethodPost, URL: "/api/collections/points/records",
			Body:    body(`{"user":"` + w.Student + `","amount":100,"reason":"correction","note":"x"}`),
			Headers: w.Auth(w.Student), ExpectedStatus: 400,
			ExpectedContent: []string{"Failed to create record"},
			ExpectedEvents:  map[string]int{"OnRecordCreateRequest": 0},
			AfterTestFunc:   unchanged(w.Student, rows, pts),
		},
		{
			Name: "a manager correcting their own balance", Method: http.MethodPost, URL: "/api/collections/points/records",
			Body:    body(`{"user":"` + w.Staff[access.UsersManage] + `","amount":100,"reason":"correction","note":"x"}`),
			Headers: manager, ExpectedStatus: 400,
			ExpectedContent: []string{"Failed to create record"},
			ExpectedEvents:  map[string]int{"OnRecordCreateRequest": 0},
		},
		{
			Name: "a manager posting a non-correction", Method: http.MethodPost, URL: "/api/collections/points/records",
			Body:    body(`{"user":"` + w.Student + `","amount":100,"reason":"claim","ref":"x"}`),
			Headers: manager, ExpectedStatus: 400,
			ExpectedContent: []string{"Failed to create record"},
			ExpectedEvents:  map[string]int{"OnRecordCreateRequest": 0},
			AfterTestFunc:   unchanged(w.Student, rows, pts),
		},
		{
			Name: "superuser edits a ledger row", Method: http.MethodPatch, URL: "/api/collections/points/records/" + w.Ledger,
			Body: body(`{"amount":1000}`), Headers: w.Auth(w.Superuser), ExpectedStatus: 403,
			ExpectedContent: []string{"add a correction"},
			ExpectedEvents:  map[string]int{"OnRecordUpdate": 0},
			AfterTestFunc:   unchanged(w.Student, rows, pts),
		},
		{
			Name: "superuser deletes a ledger row", Method: http.MethodDelete, URL: "/api/collections/points/records/" + w.Ledger,
			Headers: w.Auth(w.Superuser), ExpectedStatus: 403, ExpectedContent: []string{"add a correction"},
			ExpectedEvents: map[string]int{"OnRecordDelete": 0},
			AfterTestFunc:  unchanged(w.Student, rows, pts),
		},
		{
			Name: "superuser sets a balance directly", Method: http.MethodPatch, URL: "/api/collections/users/records/" + w.Student,
			Body: body(`{"points":5000,"first_name":"Анна"}`), Headers: w.Auth(w.Superuser), ExpectedStatus: 400,
			ExpectedContent: []string{`"points"`, "validation_ledger_only"},
			ExpectedEvents:  map[string]int{"OnRecordUpdate": 0},
			AfterTestFunc:   unchanged(w.Student, rows, pts),
		},
		{
			// the dashboard sends every field back, unchanged ones included
			Name: "superuser saves a user with the balance unchanged", Method: http.MethodPatch, URL: "/api/collections/users/records/" + w.Student,
			Body: body(`{"points":` + strconv.Itoa(pts) + `,"level":1,"study_group":"ИТ-25"}`), Headers: w.Auth(w.Superuser), ExpectedStatus: 200,
			ExpectedContent: []string{`"study_group":"ИТ-25"`, `"points":` + strconv.Itoa(pts)},
			ExpectedEvents:  map[string]int{"OnRecordUpdate": 1},
			AfterTestFunc:   unchanged(w.Student, rows, pts),
		},
	}
	for _, sc := range scenarios {
		sc.TestAppFactory = factory
		sc.Test(t)
	}
}

func board(t testing.TB, res *http.Response) points.Board {
	t.Helper()
	var b points.Board
	if err := json.NewDecoder(res.Body).Decode(&b); err != nil {
		t.Fatal(err)
	}
	return b
}

// leaderboardApp has four students: A 50, B 30, C 30 (a tie), D 10 this
// month, plus 100 points of A's from last year tagged ML.
func leaderboardApp(t testing.TB) *tests.TestApp {
	app, w := testapp.New(t)
	col, _ := app.FindCollectionByNameOrId("users")
	ids := map[string]string{}
	for _, name := range []string{"A", "B", "C", "D"} {
		u := core.NewRecord(col)
		u.Set("first_name", name)
		u.SetRaw(core.FieldNamePassword, &core.PasswordFieldValue{Hash: "x"})
		if err := app.Save(u); err != nil {
			t.Fatal(err)
		}
		ids[name] = u.Id
	}
	award := func(name string, amount int, ref string, tags ...string) string {
		if _, err := points.Award(ctx, app, points.Entry{User: ids[name], Amount: amount, Reason: points.ReasonQuiz, Ref: ref, Tags: tags}); err != nil {
			t.Fatal(err)
		}
		var id string
		app.DB().NewQuery("SELECT id FROM points WHERE ref={:r}").Bind(dbx.Params{"r": ref}).Row(&id)
		return id
	}
	old := award("A", 100, "old", w.TagML)
	lastYear := time.Now().AddDate(-1, 0, 0).UTC().Format("2006-01-02 15:04:05.000Z")
	app.DB().NewQuery("UPDATE points SET created={:c} WHERE id={:id}").Bind(dbx.Params{"c": lastYear, "id": old}).Execute()
	// the sums were kept at award time: rebuild them for the backdated row
	if _, err := points.Verify(ctx, app, true); err != nil {
		t.Fatal(err)
	}
	award("A", 50, "a1")
	award("B", 30, "b1", w.TagML)
	award("C", 30, "c1", w.TagML)
	award("D", 10, "d1")
	// the fixture student (Анна Иванова) keeps 35, all this month: 10 for
	// the fixture check-in and 5 for the fixture course session (both
	// tagged ML, as their meetup and course) and 20 for the fixture
	// achievement (untagged)
	return app
}

func TestLeaderboard(t *testing.T) {
	w := testapp.Fixtures(t)
	// names lists initial:rank:points; users who share a rank come in no
	// promised order, so they are sorted by name here
	names := func(b points.Board) string {
		var s []string
		for _, p := range b.Items {
			s = append(s, strconv.Itoa(p.Rank)+"|"+string([]rune(p.Name)[:1])+":"+strconv.Itoa(p.Rank)+":"+strconv.Itoa(p.Points))
		}
		sort.Strings(s)
		for i := range s {
			s[i] = s[i][strings.Index(s[i], "|")+1:]
		}
		return strings.Join(s, " ")
	}
	cases := []struct {
		name, query, want string
		me                string
		meRank, meShow    int
		anyName           bool // ties cross the page edge: which names land there varies
	}{
		// all time: A 150, Анна 35, B 30, C 30, D 10 (ties share a rank)
		{name: "all time", query: "", want: "A:1:150 А:2:35 B:3:30 C:3:30 D:5:10", me: w.Student, meRank: 2, meShow: 35},
		{name: "this month", query: "?period=month", want: "A:1:50 А:2:35 B:3:30 C:3:30 D:5:10"},
		{name: "tag ML all time", query: "?tag=ml", want: "A:1:100 B:2:30 C:2:30 А:4:15"},
		{name: "tag ML this semester by id", query: "?period=semester&tag=" + w.TagML, want: "B:1:30 C:1:30 А:3:15", me: w.Student, meRank: 3, meShow: 15},
		{name: "first page", query: "?limit=2", want: "A:1:150 ?:2:35", anyName: true},
		{name: "page two", query: "?limit=2&offset=2", want: "?:3:30 ?:3:30", anyName: true},
		{name: "last page", query: "?limit=2&offset=4", want: "D:5:10"},
	}
	for _, tc := range cases {
		(&tests.ApiScenario{
			Name: tc.name, Method: http.MethodGet, URL: "/api/leaderboard" + tc.query,
			Headers: w.Auth(w.Student), ExpectedStatus: 200, ExpectedContent: []string{`"items"`},
			TestAppFactory: leaderboardApp,
			AfterTestFunc: func(t testing.TB, _ *tests.TestApp, res *http.Response) {
				b := board(t, res)
				got := names(b)
				if tc.anyName {
					got = regexp.MustCompile(`[A-DА]:([2-9])`).ReplaceAllString(got, "?:$1")
				}
				if got != tc.want {
					t.Errorf("ranking %q, want %q", got, tc.want)
				}
				if tc.me != "" && (b.Me == nil || b.Me.Rank != tc.meRank || b.Me.Points != tc.meShow || b.Me.User != tc.me) {
					t.Errorf("own place: %+v, want rank %d with %d points", b.Me, tc.meRank, tc.meShow)
				}
			},
		}).Test(t)
	}

	for _, sc := range []tests.ApiScenario{
		{Name: "guest", URL: "/api/leaderboard", ExpectedStatus: 401, ExpectedContent: []string{`"status":401`}},
		{Name: "bad period", URL: "/api/leaderboard?period=week", Headers: w.Auth(w.Student), ExpectedStatus: 400, ExpectedContent: []string{`"period"`}},
		{Name: "unknown tag", URL: "/api/leaderboard?tag=cobol", Headers: w.Auth(w.Student), ExpectedStatus: 400, ExpectedContent: []string{`"tag"`}},
		{Name: "bad limit", URL: "/api/leaderboard?limit=1000", Headers: w.Auth(w.Student), ExpectedStatus: 400, ExpectedContent: []string{`"limit"`}},
		{Name: "superuser has no own place", URL: "/api/leaderboard", Headers: w.Auth(w.Superuser), ExpectedStatus: 200, ExpectedContent: []string{`"me":null`}},
	} {
		sc.Method = http.MethodGet
		sc.TestAppFactory = testapp.Factory(testapp.Options{})
		sc.Test(t)
	}
}

func TestPeriodStart(t *testing.T) {
	loc := time.Local
	for _, tc := range []struct {
		period string
		now    time.Time
		want   time.Time
	}{
		{"month", time.Date(2026, 11, 28, 12, 0, 0, 0, loc), time.Date(2026, 11, 1, 0, 0, 0, 0, loc)},
		{"semester", time.Date(2026, 11, 28, 12, 0, 0, 0, loc), time.Date(2026, 9, 1, 0, 0, 0, 0, loc)},
		{"semester", time.Date(2027, 1, 15, 12, 0, 0, 0, loc), time.Date(2026, 9, 1, 0, 0, 0, 0, loc)},
		{"semester", time.Date(2027, 3, 1, 12, 0, 0, 0, loc), time.Date(2027, 2, 1, 0, 0, 0, 0, loc)},
		{"all", time.Date(2027, 3, 1, 12, 0, 0, 0, loc), time.Time{}},
	} {
		got, err := points.PeriodStart(tc.period, tc.now)
		if err != nil || !got.Equal(tc.want) {
			t.Errorf("%s at %s: %s %v, want %s", tc.period, tc.now, got, err, tc.want)
		}
	}
}
