package miniapp_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks/access"
	"questbase/hooks/config"
	"questbase/hooks/testapp"
)

type authAnswer struct {
	Token  string         `json:"token"`
	Record map[string]any `json:"record"`
	Meta   struct {
		TelegramUser struct {
			ID       int64  `json:"id"`
			Username string `json:"username"`
		} `json:"telegram_user"`
		CanScan bool `json:"can_scan"`
	} `json:"meta"`
}

func body(initData string) io.Reader {
	b, _ := json.Marshal(map[string]string{"init_data": initData})
	return strings.NewReader(string(b))
}

// withHash replaces the hash of raw initData.
func withHash(raw, hash string) string {
	f, _ := url.ParseQuery(raw)
	f.Set("hash", hash)
	return f.Encode()
}

// signedIn checks the answer carries a working token for the user with id.
func signedIn(id string, canScan bool) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, app *tests.TestApp, res *http.Response) {
		var a authAnswer
		if err := json.NewDecoder(res.Body).Decode(&a); err != nil {
			t.Fatal(err)
		}
		rec, err := app.FindAuthRecordByToken(a.Token, core.TokenTypeAuth)
		if err != nil || rec.Id != id {
			t.Fatalf("the token does not sign in %s: %v %v", id, rec, err)
		}
		if a.Record["id"] != id || a.Meta.CanScan != canScan || a.Meta.TelegramUser.ID == 0 {
			t.Errorf("answer: record %v, meta %+v (want can_scan=%v)", a.Record["id"], a.Meta, canScan)
		}
	}
}

// POST /api/telegram/auth: valid Mini App data of a known Telegram user
// signs them in; anything else is refused with a reason and fires no hook
// (nothing is saved).
func TestTelegramAuth(t *testing.T) {
	w := testapp.Fixtures(t)
	cfg := testapp.TestConfig()
	cfg.TelegramToken = testToken
	noToken := testapp.TestConfig()
	now := time.Now()
	nothing := map[string]int{"*": 0}

	scenarios := []tests.ApiScenario{
		{
			Name: "valid: the student is signed in", Method: http.MethodPost, URL: "/api/telegram/auth",
			Body:           body(initData(testToken, 1001, now.Add(-time.Minute))),
			ExpectedStatus: 200, ExpectedContent: []string{`"token":"`, `"id":"` + w.Student + `"`, `"can_scan":false`, `"username":"anna_i"`},
			ExpectedEvents: map[string]int{"OnRecordAuthRequest": 1},
			AfterTestFunc:  signedIn(w.Student, false),
		},
		{
			Name: "valid: an organizer learns they may scan", Method: http.MethodPost, URL: "/api/telegram/auth",
			Body: body(initData(testToken, 5005, now)),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				// straight into the table: the link the bot would have made on /start
				if _, err := app.DB().Update("users", dbx.Params{"telegram_id": 5005}, dbx.HashExp{"id": w.Staff[access.CheckinScan]}).Execute(); err != nil {
					t.Fatal(err)
				}
			},
			ExpectedStatus: 200, ExpectedContent: []string{`"can_scan":true`},
			AfterTestFunc: signedIn(w.Staff[access.CheckinScan], true),
		},
		{
			Name: "forged hash", Method: http.MethodPost, URL: "/api/telegram/auth",
			Body:           body(withHash(initData(testToken, 1001, now), strings.Repeat("5a", 32))),
			ExpectedStatus: 401, ExpectedContent: []string{`"code":"invalid_signature"`}, NotExpectedContent: []string{`"token"`},
			ExpectedEvents: nothing,
		},
		{
			Name: "signed by another bot", Method: http.MethodPost, URL: "/api/telegram/auth",
			Body:           body(initData("777:OTHER-bot", 1001, now)),
			ExpectedStatus: 401, ExpectedContent: []string{`"code":"invalid_signature"`}, NotExpectedContent: []string{`"token"`},
			ExpectedEvents: nothing,
		},
		{
			Name: "tampered field: another student's id", Method: http.MethodPost, URL: "/api/telegram/auth",
			Body:           body(strings.Replace(initData(testToken, 1001, now), "1001", "1002", 1)),
			ExpectedStatus: 401, ExpectedContent: []string{`"code":"invalid_signature"`}, NotExpectedContent: []string{`"token"`},
			ExpectedEvents: nothing,
		},
		{
			Name: "stale auth_date", Method: http.MethodPost, URL: "/api/telegram/auth",
			Body:           body(initData(testToken, 1001, now.Add(-config.DefaultTelegramAuthMaxAge-time.Minute))),
			ExpectedStatus: 401, ExpectedContent: []string{`"code":"expired"`, "open it again"}, NotExpectedContent: []string{`"token"`},
			ExpectedEvents: nothing,
		},
		{
			Name: "missing hash", Method: http.MethodPost, URL: "/api/telegram/auth",
			Body:           body("auth_date=1800000000&user=%7B%22id%22%3A1001%7D"),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"missing_hash"`}, NotExpectedContent: []string{`"token"`},
			ExpectedEvents: nothing,
		},
		{
			Name: "no init_data", Method: http.MethodPost, URL: "/api/telegram/auth",
			Body:           strings.NewReader(`{}`),
			ExpectedStatus: 400, ExpectedContent: []string{`"code":"validation_required"`},
			ExpectedEvents: nothing,
		},
		{
			Name: "not JSON", Method: http.MethodPost, URL: "/api/telegram/auth",
			Body: strings.NewReader(`{"init_data":`), Headers: map[string]string{"Content-Type": "application/json"},
			ExpectedStatus: 400, ExpectedContent: []string{`"init_data"`},
			ExpectedEvents: nothing,
		},
		{
			Name: "too big", Method: http.MethodPost, URL: "/api/telegram/auth",
			Body:           body(strings.Repeat("a", 20<<10)),
			ExpectedStatus: 413, ExpectedContent: []string{`"status":413`},
			ExpectedEvents: nothing,
		},
		{
			Name: "valid data of a user who never started the bot", Method: http.MethodPost, URL: "/api/telegram/auth",
			Body:           body(initData(testToken, 424242, now)),
			ExpectedStatus: 404, ExpectedContent: []string{`"code":"not_registered"`, "/start"}, NotExpectedContent: []string{`"token"`},
			ExpectedEvents: nothing,
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = testapp.Factory(testapp.Options{Config: &cfg})
		s.Test(t)
	}

	(&tests.ApiScenario{
		Name: "no bot token configured", Method: http.MethodPost, URL: "/api/telegram/auth",
		Body:           body(initData("", 1001, now)),
		ExpectedStatus: 503, ExpectedContent: []string{`"code":"not_configured"`, "QB_TELEGRAM_TOKEN"}, NotExpectedContent: []string{`"token"`},
		ExpectedEvents: nothing,
		TestAppFactory: testapp.Factory(testapp.Options{Config: &noToken}),
	}).Test(t)
}

// QB_TELEGRAM_AUTH_MAX_AGE sets how old the data may be.
func TestTelegramAuthMaxAge(t *testing.T) {
	w := testapp.Fixtures(t)
	cfg := testapp.TestConfig()
	cfg.TelegramToken = testToken
	cfg.TelegramAuthMaxAge = 10 * time.Minute
	for _, s := range []tests.ApiScenario{
		{
			Name: "within", Method: http.MethodPost, URL: "/api/telegram/auth",
			Body:           body(initData(testToken, 1001, time.Now().Add(-9*time.Minute))),
			ExpectedStatus: 200, ExpectedContent: []string{`"id":"` + w.Student + `"`},
		},
		{
			Name: "beyond", Method: http.MethodPost, URL: "/api/telegram/auth",
			Body:           body(initData(testToken, 1001, time.Now().Add(-11*time.Minute))),
			ExpectedStatus: 401, ExpectedContent: []string{`"code":"expired"`},
		},
	} {
		s.TestAppFactory = testapp.Factory(testapp.Options{Config: &cfg})
		s.Test(t)
	}
}

// The Mini App's texts come from the students' catalogue, in the asked
// language (Russian for any other), to anyone.
func TestMiniAppTexts(t *testing.T) {
	scenarios := []tests.ApiScenario{
		{
			Name: "english", Method: http.MethodGet, URL: "/api/miniapp/texts" + "?lang=en-GB",
			ExpectedStatus:     200,
			ExpectedContent:    []string{`"lang":"en"`, `"miniapp.tabs.tickets":"Tickets"`, `"miniapp.top.your_place":"Your rank: {{.rank}} ({{.points}} points)"`},
			NotExpectedContent: []string{`"notify.`, `"menu.`},
		},
		{
			Name: "russian by default", Method: http.MethodGet, URL: "/api/miniapp/texts" + "?lang=de",
			ExpectedStatus:  200,
			ExpectedContent: []string{`"lang":"ru"`, `"miniapp.tabs.tickets":"Билеты"`},
		},
		{
			Name: "no language", Method: http.MethodGet, URL: "/api/miniapp/texts",
			ExpectedStatus:  200,
			ExpectedContent: []string{`"lang":"ru"`, `"miniapp.scanner":"Сканер билетов"`},
		},
	}
	for _, s := range scenarios {
		s.TestAppFactory = testapp.Factory(testapp.Options{})
		s.Test(t)
	}
}
