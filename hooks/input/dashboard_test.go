package input_test

import (
	"encoding/json"
	"reflect"
	"slices"
	"strconv"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/testapp"
)

// sdkForm encodes a record the way PocketBase's JS SDK (and so the
// dashboard) does when a body holds files: strings, numbers and bools
// become form strings, every other value (null, arrays, objects) goes into
// its own @jsonPayload part, and files become file parts after the kept
// file names.
func sdkForm(t testing.TB, data map[string]any, files map[string][]upload) ([]kv, []upload) {
	t.Helper()
	var form []kv
	var uploads []upload
	for key, v := range data {
		if key == core.FieldNameExpand {
			continue // the dashboard drops it before saving
		}
		if fs, ok := files[key]; ok {
			for _, name := range toStrings(v) {
				form = append(form, kv{key, name})
			}
			uploads = append(uploads, fs...)
			continue
		}
		switch v := v.(type) {
		case string:
			form = append(form, kv{key, v})
		case float64:
			form = append(form, kv{key, strconv.FormatFloat(v, 'f', -1, 64)})
		case bool:
			form = append(form, kv{key, strconv.FormatBool(v)})
		default:
			raw, err := json.Marshal(map[string]any{key: v})
			if err != nil {
				t.Fatalf("encode %s: %v", key, err)
			}
			form = append(form, kv{"@jsonPayload", string(raw)})
		}
	}
	return form, uploads
}

func toStrings(v any) []string {
	switch v := v.(type) {
	case string:
		if v == "" {
			return nil
		}
		return []string{v}
	case []any:
		var out []string
		for _, item := range v {
			if s, ok := item.(string); ok && s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

// fetched returns a record as the API returns it to a superuser.
func fetched(t testing.TB, app core.App, collection, id string) map[string]any {
	t.Helper()
	rec, err := app.FindRecordById(collection, id)
	if err != nil {
		t.Fatalf("find %s %s: %v", collection, id, err)
	}
	raw, err := json.Marshal(rec)
	if err != nil {
		t.Fatalf("encode %s: %v", collection, err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("decode %s: %v", collection, err)
	}
	return out
}

// TestDashboardSaves sends what the dashboard sends when an admin edits a
// record: the whole fetched record back with one change, as JSON, and as
// multipart when a file is attached. The check must accept it, and every
// untouched value must stay as it was.
func TestDashboardSaves(t *testing.T) {
	app, w := testapp.New(t)
	type save struct {
		name, collection, id string
		change               map[string]any
		files                map[string][]upload
		// sideEffects are fields other hooks set in response (a new
		// verification photo makes the status pending).
		sideEffects []string
	}
	saves := []save{
		{"meetup JSON", "meetups", w.Meetup, map[string]any{"title": "Edited"}, nil, nil},
		{"meetup JSON with expand", "meetups", w.Meetup, map[string]any{"title": "Edited", "expand": map[string]any{"tags": []any{}}}, nil, nil},
		{"meetup multipart with banner", "meetups", w.Meetup, map[string]any{"title": "Edited"}, map[string][]upload{"banner": {{"banner", "banner.png", pngImage(t)}}}, nil},
		{"user JSON", "users", w.Student, map[string]any{"study_group": "ИТ-31"}, nil, nil},
		{"user multipart with photo", "users", w.Student, map[string]any{"study_group": "ИТ-31"}, map[string][]upload{"verification_photo": {{"verification_photo", "me.png", pngImage(t)}}}, []string{"verification_status", "verification_submitted_at"}},
		{"course multipart", "courses", w.Course, map[string]any{"completion_share": 0.6}, map[string][]upload{"banner": {{"banner", "c.png", pngImage(t)}}}, nil},
		{"quiz JSON with editor text", "quizzes", w.Quiz, map[string]any{"questions": `[{"text": "1+1", "options": ["2"], "correct": [0]}]`}, nil, nil},
		{"broadcast multipart", "broadcasts", w.Broadcast, map[string]any{"text": "Edited"}, map[string][]upload{"image": {{"image", "i.png", pngImage(t)}}}, nil},
	}
	var cases []accepted
	for _, s := range saves {
		before := fetched(t, app, s.collection, s.id)
		data := map[string]any{}
		for k, v := range before {
			data[k] = v
		}
		for k, v := range s.change {
			data[k] = v
		}
		req := request{collection: s.collection, id: s.id, as: w.Superuser}
		if s.files == nil {
			raw, err := json.Marshal(data)
			if err != nil {
				t.Fatal(err)
			}
			req.json = string(raw)
		} else {
			req.form, req.files = sdkForm(t, data, s.files)
		}
		s := s
		cases = append(cases, accepted{s.name, req, func(t testing.TB, app core.App, rec *core.Record) {
			after := fetched(t, app, s.collection, s.id)
			for k, old := range before {
				_, changed := s.change[k]
				_, uploaded := s.files[k]
				if changed || uploaded || k == "updated" || slices.Contains(s.sideEffects, k) {
					continue
				}
				if !reflect.DeepEqual(after[k], old) {
					t.Errorf("%s changed from %#v to %#v", k, old, after[k])
				}
			}
			for k := range s.files {
				if rec.GetString(k) == "" {
					t.Errorf("%s not stored", k)
				}
			}
		}})
	}
	runAccepted(t, cases)
}
