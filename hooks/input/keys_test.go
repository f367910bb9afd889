package input_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks/input"
	"questbase/hooks/testapp"
)

// TestAllowKeys: a key registered for a collection passes; the same key
// elsewhere is still refused as unknown.
func TestAllowKeys(t *testing.T) {
	input.AllowKeys("tags", "source_hint")
	w := testapp.Fixtures(t)
	runAccepted(t, []accepted{
		{"registered key", request{collection: "tags", as: w.Superuser, json: `{"name": "hinted", "source_hint": "bot"}`}, nil},
	})
	runRejected(t, []rejected{
		{"key registered for another collection", request{collection: "roles", as: w.Superuser, json: `{"name": "r", "source_hint": "bot"}`}, "source_hint", input.CodeUnknownField},
	})
}

// TestFieldForKey pins the modifier keys PocketBase resolves to fields.
func TestFieldForKey(t *testing.T) {
	app, _ := testapp.New(t)
	meetups, err := app.FindCollectionByNameOrId("meetups")
	if err != nil {
		t.Fatal(err)
	}
	for key, want := range map[string]string{
		"points": "points", "points+": "points", "points-": "points", "+points": "",
		"tags": "tags", "+tags": "tags", "tags+": "tags", "tags-": "tags",
		"banner-": "banner", "title:autogenerate": "title", "created": "created",
		"collectionId": "", "expand": "", "ponits": "",
	} {
		got := ""
		if f := input.FieldForKey(meetups, key); f != nil {
			got = f.GetName()
		}
		if got != want {
			t.Errorf("FieldForKey(%q) = %q, want %q", key, got, want)
		}
	}
}

// TestLenientBaseline shows why the check exists: without questbase's
// hooks PocketBase stores {"points": "lots"} as 0 and answers 200.
func TestLenientBaseline(t *testing.T) {
	w := testapp.Fixtures(t)
	s := tests.ApiScenario{
		Name:   "PocketBase alone casts a word to 0",
		Method: http.MethodPatch, URL: "/api/collections/meetups/records/" + w.Meetup,
		Body:            strings.NewReader(`{"points": "lots"}`),
		Headers:         w.Auth(w.Superuser),
		ExpectedStatus:  http.StatusOK,
		ExpectedContent: []string{`"points":0`},
		TestAppFactory:  testapp.Factory(testapp.Options{NoHooks: true}),
		AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
			rec, err := app.FindRecordById("meetups", w.Meetup)
			if err != nil {
				t.Fatal(err)
			}
			if rec.GetFloat("points") != 0 {
				t.Errorf("points = %v; PocketBase's casting changed, revisit the input checks", rec.GetFloat("points"))
			}
		},
	}
	s.Test(t)
}
