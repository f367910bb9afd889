package input_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks/input"
	"questbase/hooks/testapp"
)

func enableBatch(t testing.TB, app core.App) {
	t.Helper()
	app.Settings().Batch.Enabled = true
	app.Settings().Batch.MaxRequests = 10
	if err := app.Save(app.Settings()); err != nil {
		t.Fatalf("enable batch requests: %v", err)
	}
}

// TestBatch sends record requests through /api/batch, where PocketBase
// re-encodes each body as multipart with an @jsonPayload part. A bad
// value in one request fails the whole batch, so the valid request before
// it is rolled back too.
func TestBatch(t *testing.T) {
	w := testapp.Fixtures(t)
	batch := func(second string) string {
		return `{"requests": [
			{"method": "POST", "url": "/api/collections/tags/records", "body": {"name": "batch-tag"}},
			{"method": "PATCH", "url": "/api/collections/meetups/records/` + w.Meetup + `", "body": ` + second + `}
		]}`
	}
	var before map[string]string
	scenarios := []tests.ApiScenario{
		{
			Name:   "bad value fails the batch",
			Method: http.MethodPost, URL: "/api/batch", Body: strings.NewReader(batch(`{"points": "lots"}`)),
			Headers:         w.Auth(w.Superuser),
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"points":{"code":"` + input.CodeInvalidType + `"`},
			TestAppFactory:  testapp.Factory(testapp.Options{}),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				enableBatch(t, app)
				before = snapshot(t, app)
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				assertUnchanged(t, before, snapshot(t, app))
			},
		},
		{
			Name:   "correct batch",
			Method: http.MethodPost, URL: "/api/batch", Body: strings.NewReader(batch(`{"points": 11, "tags+": ["` + w.TagWeb + `"]}`)),
			Headers:         w.Auth(w.Superuser),
			ExpectedStatus:  http.StatusOK,
			ExpectedContent: []string{`"name":"batch-tag"`, `"points":11`},
			TestAppFactory:  testapp.Factory(testapp.Options{}),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				enableBatch(t, app)
			},
		},
	}
	for _, s := range scenarios {
		s.Test(t)
	}
}
