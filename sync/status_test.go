package sync_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
	qbsync "questbase/sync"
	"questbase/sync/pgtest"
)

// factory builds test apps as main does, with the mirror registered; with
// a DSN, one run has mirrored the app before the request.
func factory(dsn string) func(t testing.TB) *tests.TestApp {
	return func(t testing.TB) *tests.TestApp {
		cfg := testapp.TestConfig()
		cfg.PostgresDSN = dsn
		cfg.SyncInterval = time.Hour // the job stays out of the way
		app := testapp.Factory(testapp.Options{Config: &cfg})(t)
		if err := qbsync.Register(app, cfg); err != nil {
			t.Fatal(err)
		}
		if dsn != "" {
			m, err := qbsync.New(app, qbsync.OptionsFrom(cfg))
			if err != nil {
				t.Fatal(err)
			}
			defer m.Close()
			if _, err := m.Run(context.Background(), qbsync.RunOptions{}); err != nil {
				t.Fatal(err)
			}
		}
		return app
	}
}

// The status page is for superusers only; it says when the mirror is off,
// and otherwise shows the last run, watermarks and row counts.
func TestStatusRoute(t *testing.T) {
	w := testapp.Fixtures(t)
	off := factory("")
	on := factory(pgtest.Database(t))
	for _, s := range []tests.ApiScenario{
		{Name: "guest", Method: http.MethodGet, URL: "/api/sync/status", TestAppFactory: off,
			ExpectedStatus: 401, ExpectedContent: []string{`"data":{}`}, ExpectedEvents: map[string]int{"*": 0}},
		{Name: "student", Method: http.MethodGet, URL: "/api/sync/status", TestAppFactory: off, Headers: w.Auth(w.Student),
			ExpectedStatus: 403, ExpectedContent: []string{`"data":{}`}, ExpectedEvents: map[string]int{"*": 0}},
		{Name: "staff with stats.view", Method: http.MethodGet, URL: "/api/sync/status", TestAppFactory: off, Headers: w.Auth(w.Staff[access.StatsView]),
			ExpectedStatus: 403, ExpectedContent: []string{`"data":{}`}, ExpectedEvents: map[string]int{"*": 0}},
		{Name: "superuser, mirror off", Method: http.MethodGet, URL: "/api/sync/status", TestAppFactory: off, Headers: w.Auth(w.Superuser),
			ExpectedStatus: 200, ExpectedContent: []string{`"enabled":false`, `set QB_POSTGRES_DSN`},
			NotExpectedContent: []string{`"collections"`}, ExpectedEvents: map[string]int{"*": 0}},
		{Name: "superuser, mirror on", Method: http.MethodGet, URL: "/api/sync/status", TestAppFactory: on, Headers: w.Auth(w.Superuser),
			ExpectedStatus: 200, ExpectedContent: []string{`"enabled":true`, `"schema":"questbase"`, `"postgres":"ok"`, `"last_run":{"mode":"incremental"`,
				`"collection":"points","table":"questbase.points","source_rows":`, `"mirror_rows":`, `"watermark":"20`, `"lag_seconds":`, `"consecutive_failures":0`},
			NotExpectedContent: []string{`"last_error"`}, ExpectedEvents: map[string]int{"*": 0}},
	} {
		s.Test(t)
	}
}
