package verification_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"questbase/hooks/audit"
	"questbase/hooks/testapp"
	"questbase/hooks/verification"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// user is the verification state of one users row as stored.
type user struct {
	Status, Photo, Note, ReviewedBy string
	SubmittedAt, ReviewedAt         string
}

func load(t testing.TB, app core.App, id string) user {
	t.Helper()
	u, err := app.FindRecordById("users", id)
	if err != nil {
		t.Fatal(err)
	}
	return user{
		Status: u.GetString("verification_status"), Photo: u.GetString("verification_photo"),
		Note: u.GetString("verification_note"), ReviewedBy: u.GetString("verification_reviewed_by"),
		SubmittedAt: u.GetString("verification_submitted_at"), ReviewedAt: u.GetString("verification_reviewed_at"),
	}
}

// as returns a context naming actor for app.SaveWithContext.
func as(actor audit.Actor) context.Context { return audit.WithActor(context.Background(), actor) }

// actorUser returns the audit actor of a users id, as a REST call makes it.
func actorUser(t testing.TB, app core.App, id string) audit.Actor {
	t.Helper()
	u, err := app.FindRecordById("users", id)
	if err != nil {
		t.Fatal(err)
	}
	return audit.FromAuth(u)
}

// upload sets a new verification photo on a user from Go and returns the
// stored file name.
func upload(t testing.TB, app core.App, id string, data []byte, actor audit.Actor) string {
	t.Helper()
	u, err := app.FindRecordById("users", id)
	if err != nil {
		t.Fatal(err)
	}
	f, err := filesystem.NewFileFromBytes(data, "student_card.png")
	if err != nil {
		t.Fatal(err)
	}
	u.Set("verification_photo", f)
	if err := app.SaveWithContext(as(actor), u); err != nil {
		t.Fatalf("upload a photo for %s: %v", id, err)
	}
	return u.GetString("verification_photo")
}

// setStatus changes a user's status (and note) from Go as actor.
func setStatus(app core.App, id, status, note string, actor audit.Actor) error {
	u, err := app.FindRecordById("users", id)
	if err != nil {
		return err
	}
	u.Set("verification_status", status)
	u.Set("verification_note", note)
	return app.SaveWithContext(as(actor), u)
}

func mustSetStatus(t testing.TB, app core.App, id, status, note string, actor audit.Actor) {
	t.Helper()
	if err := setStatus(app, id, status, note, actor); err != nil {
		t.Fatalf("set %s to %s: %v", id, status, err)
	}
}

type message struct {
	Kind, Key string
	Payload   map[string]any
}

// messages returns a user's verification notifications, oldest first.
func messages(t testing.TB, app core.App, id string) []message {
	t.Helper()
	var rows []struct {
		Kind    string `db:"kind"`
		Key     string `db:"dedupe_key"`
		Payload string `db:"payload"`
	}
	err := app.DB().NewQuery("SELECT kind, dedupe_key, payload FROM outbox WHERE user = {:u} AND kind LIKE 'verification_%' ORDER BY rowid").
		Bind(dbx.Params{"u": id}).All(&rows)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]message, len(rows))
	for i, r := range rows {
		out[i] = message{Kind: r.Kind, Key: r.Key}
		if err := json.Unmarshal([]byte(r.Payload), &out[i].Payload); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

type entry struct{ Actor, ActorKind, Action, Collection string }

// actions returns the verification audit rows of a record, oldest first.
func actions(t testing.TB, app core.App, record string) []entry {
	t.Helper()
	var rows []struct {
		Actor      string `db:"actor"`
		ActorKind  string `db:"actor_kind"`
		Action     string `db:"action"`
		Collection string `db:"collection"`
	}
	err := app.DB().NewQuery("SELECT actor, actor_kind, action, collection FROM audit_log WHERE module = {:m} AND record = {:r} ORDER BY rowid").
		Bind(dbx.Params{"m": verification.Module, "r": record}).All(&rows)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]entry, len(rows))
	for i, r := range rows {
		out[i] = entry(r)
	}
	return out
}

// archived returns a user's verification_archive rows, oldest first.
func archived(t testing.TB, app core.App, id string) []*core.Record {
	t.Helper()
	rows, err := app.FindRecordsByFilter(verification.ArchiveCollection, "user = {:u}", "created", 0, 0, dbx.Params{"u": id})
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

// stored returns the bytes of a record's file, or ok=false if storage has
// no such file.
func stored(t testing.TB, app core.App, rec *core.Record, name string) (data []byte, ok bool) {
	t.Helper()
	fsys, err := app.NewFilesystem()
	if err != nil {
		t.Fatal(err)
	}
	defer fsys.Close()
	r, err := fsys.GetReader(rec.BaseFilesPath() + "/" + name)
	if err != nil {
		return nil, false
	}
	defer r.Close()
	data, err = io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return data, true
}

func userRecord(t testing.TB, app core.App, id string) *core.Record {
	t.Helper()
	u, err := app.FindRecordById("users", id)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

func serve(t testing.TB, app *tests.TestApp) http.Handler { return testapp.Handler(t, app) }

// get sends a GET with an optional Authorization header and returns the
// status and body.
func get(h http.Handler, url, auth string) (int, []byte) {
	return send(h, http.MethodGet, url, auth, nil)
}

// send sends a request with an optional Authorization header and JSON body.
func send(h http.Handler, method, url, auth string, body any) (int, []byte) {
	var rd io.Reader
	if body != nil {
		rd = testapp.JSON(body)
	}
	req := httptest.NewRequest(method, url, rd)
	req.Header.Set("Content-Type", "application/json")
	if auth != "" {
		req.Header.Set("Authorization", auth)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// photoBody is a multipart body uploading data as the verification photo,
// with the headers for auth.
func photoBody(auth map[string]string, data []byte, fields map[string]string) (io.Reader, map[string]string) {
	body, contentType := testapp.Multipart(fields, testapp.File{Field: "verification_photo", Name: "card.png", ContentType: "image/png", Data: data})
	headers := map[string]string{"Content-Type": contentType}
	for k, v := range auth {
		headers[k] = v
	}
	return body, headers
}
