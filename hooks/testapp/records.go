package testapp

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/crypto/bcrypt"
)

// Save saves a record of collection with data through app.Save, so that
// every hook runs, and fails the test on an error. Accounts get Password
// (hashed cheaply: a default-cost hash per user would dominate fixtures).
func Save(t testing.TB, app core.App, collection string, data map[string]any) *core.Record {
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
		rec.SetRaw(core.FieldNamePassword, &core.PasswordFieldValue{Hash: cheapHash()})
	}
	if err := app.Save(rec); err != nil {
		t.Fatalf("save %s %v: %v", collection, data, err)
	}
	return rec
}

var cheapHash = sync.OnceValue(func() string {
	h, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.MinCost)
	if err != nil {
		panic(err)
	}
	return string(h)
})

// Find loads a record and fails the test when it is not there.
func Find(t testing.TB, app core.App, collection, id string) *core.Record {
	t.Helper()
	rec, err := app.FindRecordById(collection, id)
	if err != nil {
		t.Fatalf("find %s/%s: %v", collection, id, err)
	}
	return rec
}

// JSON is a request body: nil for none, a string as it is (to send
// malformed JSON), anything else marshalled.
func JSON(v any) io.Reader {
	switch v := v.(type) {
	case nil:
		return nil
	case string:
		return bytes.NewReader([]byte(v))
	}
	raw, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return bytes.NewReader(raw)
}

// Do sends a JSON request to h as token ("" for a guest) and returns the
// status and body.
func Do(h http.Handler, method, url, token string, body any) (int, []byte) {
	req := httptest.NewRequest(method, url, JSON(body))
	req.Header.Set("Content-Type", "application/json")
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}
