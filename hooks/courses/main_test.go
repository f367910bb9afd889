package courses_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

var ctx = context.Background()

const recordsURL = "/api/collections/"

func jsonBody(v any) io.Reader {
	if v == nil {
		return nil
	}
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return bytes.NewReader(raw)
}

// do sends one JSON request as token ("" for a guest).
func do(h http.Handler, method, url, token string, body any) (int, []byte) {
	req := httptest.NewRequest(method, url, jsonBody(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

func mustSave(t testing.TB, app core.App, collection string, data map[string]any) *core.Record {
	t.Helper()
	col, err := app.FindCollectionByNameOrId(collection)
	if err != nil {
		t.Fatal(err)
	}
	rec := core.NewRecord(col)
	for k, v := range data {
		rec.Set(k, v)
	}
	if col.IsAuth() {
		rec.SetRaw(core.FieldNamePassword, &core.PasswordFieldValue{Hash: "x"})
	}
	if err := app.Save(rec); err != nil {
		t.Fatalf("save %s %v: %v", collection, data, err)
	}
	return rec
}

func find(t testing.TB, app core.App, collection, id string) *core.Record {
	t.Helper()
	rec, err := app.FindRecordById(collection, id)
	if err != nil {
		t.Fatalf("find %s/%s: %v", collection, id, err)
	}
	return rec
}

// student makes a signed-in student and returns their id and token.
func student(t testing.TB, app core.App, name string) (string, string) {
	t.Helper()
	u := mustSave(t, app, "users", map[string]any{"first_name": name})
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
	rec := mustSave(t, app, "courses", c)
	sessions := make([]*core.Record, n)
	for i := range sessions {
		sessions[i] = mustSave(t, app, "course_sessions", map[string]any{"course": rec.Id, "title": "S" + string(rune('1'+i)), "starts_at": time.Now().Add(time.Duration(i+1) * 24 * time.Hour)})
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
