package access_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks/testapp"
)

// A student reads another student's public profile — name, level, points
// and achievements — but never their Telegram id, verification photo or
// claims. (The fixture student's 35 points: 10 for the meetup check-in, 5
// for the course session, 20 for the achievement.)
func TestPublicProfileOfAnotherStudent(t *testing.T) {
	w := testapp.Fixtures(t)
	other := w.Auth(w.Student2)
	factory := testapp.Factory(testapp.Options{})
	for _, sc := range []tests.ApiScenario{
		{
			Name: "public profile", URL: "/api/collections/public_profiles/records/" + w.Student,
			ExpectedStatus:     200,
			ExpectedContent:    []string{`"first_name":"Анна"`, `"last_name":"Иванова"`, `"level":1`, `"points":35`, `"verified":false`},
			NotExpectedContent: []string{"telegram", "verification_photo", "study_group", "email"},
		},
		{
			Name: "achievements", URL: "/api/collections/awards/records?filter=user%3D%27" + w.Student + "%27&expand=achievement",
			ExpectedStatus: 200, ExpectedContent: []string{`"title":"First steps"`, `"totalItems":1`},
		},
		{
			Name: "the users record itself", URL: "/api/collections/users/records/" + w.Student,
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
		},
		{
			Name: "their claims", URL: "/api/collections/claims/records?filter=user%3D%27" + w.Student + "%27",
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":0`},
		},
		{
			Name: "their ledger", URL: "/api/collections/points/records?filter=user%3D%27" + w.Student + "%27",
			ExpectedStatus: 200, ExpectedContent: []string{`"totalItems":0`},
		},
	} {
		sc.Method = http.MethodGet
		sc.Headers = other
		sc.TestAppFactory = factory
		sc.Test(t)
	}
}
