package courses_test

import (
	"context"
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

// course makes a published course with n sessions (a day apart, from
// tomorrow), hosted by host.
func course(t testing.TB, app core.App, host string, n int, data map[string]any) (*core.Record, []*core.Record) {
	t.Helper()
	c := map[string]any{"title": "Course", "status": "published", "hosts": []string{host}, "points_per_session": 5, "points_on_completion": 50, "completion_share": 0.6}
	for k, v := range data {
		c[k] = v
	}
	rec := testapp.Save(t, app, "courses", c)
	sessions := make([]*core.Record, n)
	for i := range sessions {
		sessions[i] = testapp.Save(t, app, "course_sessions", map[string]any{"course": rec.Id, "title": "S" + string(rune('1'+i)), "starts_at": time.Now().Add(time.Duration(i+1) * 24 * time.Hour)})
	}
	return rec, sessions
}

// ledger sums a user's ledger rows for reason and ref (ref:* included).
func ledger(t testing.TB, app core.App, user, reason, ref string) (total, rows int) {
	t.Helper()
	err := app.DB().NewQuery("SELECT COALESCE(SUM(amount), 0), count(*) FROM points WHERE user = {:u} AND reason = {:r} AND (ref = {:ref} OR ref LIKE {:like})").
		Bind(dbx.Params{"u": user, "r": reason, "ref": ref, "like": ref + ":%"}).Row(&total, &rows)
	if err != nil {
		t.Fatal(err)
	}
	return total, rows
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
