package meetups_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

var ctx = context.Background()

const recordsURL = "/api/collections/"

// student makes a signed-in student and returns their id and token.
func student(t testing.TB, app core.App, name string) (string, string) {
	t.Helper()
	u := testapp.Save(t, app, "users", map[string]any{"first_name": name})
	tok, err := u.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return u.Id, tok
}

// meetup makes a published meetup starting in a day.
func meetup(t testing.TB, app core.App, data map[string]any) *core.Record {
	t.Helper()
	m := map[string]any{"title": "Meetup", "starts_at": time.Now().Add(24 * time.Hour), "status": "published"}
	for k, v := range data {
		m[k] = v
	}
	return testapp.Save(t, app, "meetups", m)
}

// notices lists the outbox kinds and keys written for user.
func notices(t testing.TB, app core.App, user, kind string) []string {
	t.Helper()
	var keys []string
	err := app.DB().Select("dedupe_key").From("outbox").Where(dbx.HashExp{"user": user, "kind": kind}).OrderBy("created").Column(&keys)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// statuses maps each user's registration status at a meetup.
func statuses(t testing.TB, app core.App, meetup string) map[string]string {
	t.Helper()
	var rows []struct {
		User   string `db:"user"`
		Status string `db:"status"`
	}
	if err := app.DB().Select("user", "status").From("registrations").Where(dbx.HashExp{"meetup": meetup}).All(&rows); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, r := range rows {
		out[r.User] = r.Status
	}
	return out
}

func register(h http.Handler, token, meetup, user string) (int, map[string]any) {
	status, body := testapp.Do(h, http.MethodPost, recordsURL+"registrations/records", token, map[string]any{"meetup": meetup, "user": user})
	var out map[string]any
	json.Unmarshal(body, &out)
	return status, out
}
