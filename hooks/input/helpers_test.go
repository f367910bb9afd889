package input_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks/testapp"
)

// missingID is a well-formed record id that no record has.
const missingID = "nosuchrecord000"

// future is a valid date for date fields.
const future = "2030-01-31 18:00:00.000Z"

// request is one record create (id empty) or update request.
type request struct {
	collection string
	id         string
	as         string // the caller: a fixture user or superuser id
	json       string // a JSON body, or a multipart body from form and files
	form       []kv
	files      []upload
	urlencoded bool   // send form as application/x-www-form-urlencoded
	query      string // appended to the URL, without "?"
	// before prepares the app the request is sent to (optional)
	before func(t testing.TB, app core.App)
}

// kv is one form value; keys may repeat.
type kv struct{ key, value string }

// upload is one file part of a multipart body.
type upload struct {
	key, name string
	data      []byte
}

func (r request) method() string {
	if r.id == "" {
		return http.MethodPost
	}
	return http.MethodPatch
}

func (r request) url() string {
	u := "/api/collections/" + r.collection + "/records"
	if r.id != "" {
		u += "/" + r.id
	}
	if r.query != "" {
		u += "?" + r.query
	}
	return u
}

func (r request) body(t testing.TB, w *testapp.World) (io.Reader, map[string]string) {
	t.Helper()
	headers := w.Auth(r.as)
	withType := func(ct string) map[string]string {
		h := map[string]string{"Content-Type": ct}
		for k, v := range headers {
			h[k] = v
		}
		return h
	}
	switch {
	case r.json != "":
		return strings.NewReader(r.json), headers
	case r.urlencoded:
		values := url.Values{}
		for _, f := range r.form {
			values.Add(f.key, f.value)
		}
		return strings.NewReader(values.Encode()), withType("application/x-www-form-urlencoded")
	}
	buf := &bytes.Buffer{}
	mw := multipart.NewWriter(buf)
	for _, f := range r.form {
		if err := mw.WriteField(f.key, f.value); err != nil {
			t.Fatalf("write form field %s: %v", f.key, err)
		}
	}
	for _, u := range r.files {
		fw, err := mw.CreateFormFile(u.key, u.name)
		if err != nil {
			t.Fatalf("create file part %s: %v", u.key, err)
		}
		if _, err := fw.Write(u.data); err != nil {
			t.Fatalf("write file part %s: %v", u.key, err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatalf("close multipart body: %v", err)
	}
	return buf, withType(mw.FormDataContentType())
}

// rejected is a request that must get a 400 naming field with code (any
// code when empty), and must change nothing.
type rejected struct {
	name  string
	req   request
	field string
	code  string
}

func runRejected(t *testing.T, cases []rejected) {
	t.Helper()
	w := testapp.Fixtures(t)
	for _, c := range cases {
		body, headers := c.req.body(t, w)
		var before map[string]string
		s := tests.ApiScenario{
			Name:            c.name,
			Method:          c.req.method(),
			URL:             c.req.url(),
			Body:            body,
			Headers:         headers,
			ExpectedStatus:  http.StatusBadRequest,
			ExpectedContent: []string{`"status":400`, `"` + c.field + `":{"code":"` + c.code},
			TestAppFactory:  testapp.Factory(testapp.Options{}),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
				before = snapshot(t, app)
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				assertFieldError(t, res, c.field, c.code)
				assertUnchanged(t, before, snapshot(t, app))
			},
		}
		s.Test(t)
	}
}

// assertFieldError checks PocketBase's error shape: {status, message,
// data: {field: {code, message}}}.
func assertFieldError(t testing.TB, res *http.Response, field, code string) {
	t.Helper()
	var got struct {
		Status  int                       `json:"status"`
		Message string                    `json:"message"`
		Data    map[string]map[string]any `json:"data"`
	}
	if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
		t.Fatalf("decode error response: %v", err)
	}
	if got.Status != http.StatusBadRequest || got.Message == "" {
		t.Errorf("error response status %d message %q, want 400 and a message", got.Status, got.Message)
	}
	item, ok := got.Data[field]
	if !ok {
		t.Fatalf("error data %v does not name field %q", got.Data, field)
	}
	if gotCode, _ := item["code"].(string); gotCode == "" || code != "" && gotCode != code || item["message"] == "" {
		t.Errorf("error for %q is %v, want code %q and a message", field, item, code)
	}
}

// snapshot fingerprints everything a request could change: every row of
// every table and the stored files.
func snapshot(t testing.TB, app core.App) map[string]string {
	t.Helper()
	cols, err := app.FindAllCollections()
	if err != nil {
		t.Fatalf("list collections: %v", err)
	}
	out := map[string]string{}
	for _, c := range cols {
		if c.IsView() {
			continue
		}
		var rows []dbx.NullStringMap
		if err := app.DB().Select("*").From(c.Name).OrderBy("id").All(&rows); err != nil {
			t.Fatalf("read %s: %v", c.Name, err)
		}
		b, err := json.Marshal(rows)
		if err != nil {
			t.Fatalf("encode %s rows: %v", c.Name, err)
		}
		out[c.Name] = fmt.Sprintf("%d rows %s", len(rows), b)
	}
	var files []string
	root := filepath.Join(app.DataDir(), "storage")
	_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			files = append(files, path)
		}
		return nil
	})
	sort.Strings(files)
	out["@files"] = strings.Join(files, "\n")
	return out
}

func assertUnchanged(t testing.TB, before, after map[string]string) {
	t.Helper()
	for k, b := range before {
		if a := after[k]; a != b {
			t.Errorf("%s changed:\nbefore %.300s\nafter  %.300s", k, b, a)
		}
	}
	for k := range after {
		if _, ok := before[k]; !ok {
			t.Errorf("%s appeared", k)
		}
	}
}

// accepted is a request that must succeed and store what it sent.
type accepted struct {
	name  string
	req   request
	check func(t testing.TB, app core.App, rec *core.Record) // optional extra checks
}

func runAccepted(t *testing.T, cases []accepted) {
	t.Helper()
	w := testapp.Fixtures(t)
	for _, c := range cases {
		body, headers := c.req.body(t, w)
		s := tests.ApiScenario{
			Name:            c.name,
			Method:          c.req.method(),
			URL:             c.req.url(),
			Body:            body,
			Headers:         headers,
			ExpectedStatus:  http.StatusOK,
			ExpectedContent: []string{`"collectionName":"` + c.req.collection + `"`},
			TestAppFactory:  testapp.Factory(testapp.Options{}),
			BeforeTestFunc: func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
				if c.req.before != nil {
					c.req.before(t, app)
				}
			},
			AfterTestFunc: func(t testing.TB, app *tests.TestApp, res *http.Response) {
				var got struct {
					ID string `json:"id"`
				}
				if err := json.NewDecoder(res.Body).Decode(&got); err != nil {
					t.Fatalf("decode response: %v", err)
				}
				rec, err := app.FindRecordById(c.req.collection, got.ID)
				if err != nil {
					t.Fatalf("find saved %s %q: %v", c.req.collection, got.ID, err)
				}
				if c.req.json != "" {
					assertStoredAsSent(t, rec, c.req.json)
				}
				if c.check != nil {
					c.check(t, app, rec)
				}
			},
		}
		s.Test(t)
	}
}

// assertStoredAsSent compares each field value of a JSON body with the
// saved record: the value must keep its meaning.
func assertStoredAsSent(t testing.TB, rec *core.Record, body string) {
	t.Helper()
	var sent map[string]any
	if err := json.Unmarshal([]byte(body), &sent); err != nil {
		t.Fatalf("decode sent body: %v", err)
	}
	for key, v := range sent {
		f := rec.Collection().Fields.GetByName(key)
		if f == nil || f.GetHidden() {
			continue // modifiers, passwords and extra keys have their own checks
		}
		if msg := sameMeaning(f, v, rec.Get(key)); msg != "" {
			t.Errorf("%s.%s: sent %#v, stored %#v: %s", rec.Collection().Name, key, v, rec.Get(key), msg)
		}
	}
}
