package meetups_test

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

// meetup makes a published meetup starting in a day.
func meetup(t testing.TB, app core.App, data map[string]any) *core.Record {
	t.Helper()
	m := map[string]any{"title": "Meetup", "starts_at": time.Now().Add(24 * time.Hour), "status": "published"}
	for k, v := range data {
		m[k] = v
	}
	return mustSave(t, app, "meetups", m)
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
	status, body := do(h, http.MethodPost, recordsURL+"registrations/records", token, map[string]any{"meetup": meetup, "user": user})
	var out map[string]any
	json.Unmarshal(body, &out)
	return status, out
}
