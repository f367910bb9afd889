package sync_test

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/types"

	qbsync "questbase/sync"
)

// Values PostgreSQL cannot hold (NUL characters, invalid UTF-8) or that
// PocketBase reads leniently (text in a number column) never stop the
// mirror: they arrive the way PocketBase would show them.
func TestAwkwardValuesDoNotStopTheMirror(t *testing.T) {
	app, w := newApp(t)
	m, conn := mirrorOf(t, app, qbsync.Options{})
	for _, q := range []struct {
		sql string
		id  string
	}{
		{`UPDATE tags SET description = 'a' || char(0) || 'b' WHERE id = {:id}`, w.TagML},
		{`UPDATE meetups SET agenda = '{"x":"a\u0000b","y":"c\\u0000d"}' WHERE id = {:id}`, w.Meetup},
		{`UPDATE quizzes SET questions = 'not JSON at all' WHERE id = {:id}`, w.Quiz},
		{`UPDATE courses SET completion_share = 'lots' WHERE id = {:id}`, w.Course},
		{`UPDATE tags SET description = CAST(X'41FF42' AS TEXT) WHERE id = {:id}`, w.TagWeb},
		{`UPDATE roles SET permissions = '["a` + "\xff" + `b"]' WHERE id = {:id}`, w.StaffRole},
	} {
		if _, err := app.NonconcurrentDB().NewQuery(q.sql).Bind(dbx.Params{"id": q.id}).Execute(); err != nil {
			t.Fatal(err)
		}
	}
	run(t, m, qbsync.RunOptions{})
	if rows := query(t, conn, `SELECT description FROM questbase.tags WHERE id = $1`, w.TagML); rows[0]["description"] != "ab" {
		t.Errorf("text with NUL: %q", rows[0]["description"])
	}
	if rows := query(t, conn, `SELECT description FROM questbase.tags WHERE id = $1`, w.TagWeb); rows[0]["description"] != "A\uFFFDB" {
		t.Errorf("invalid UTF-8: %q", rows[0]["description"])
	}
	if rows := query(t, conn, `SELECT permissions FROM questbase.roles WHERE id = $1`, w.StaffRole); !reflect.DeepEqual(rows[0]["permissions"], []string{"a\uFFFDb"}) {
		t.Errorf("invalid UTF-8 in a multi-value field: %q", rows[0]["permissions"])
	}
	if rows := query(t, conn, `SELECT agenda->>'x' AS x, agenda->>'y' AS y FROM questbase.meetups WHERE id = $1`, w.Meetup); rows[0]["x"] != "ab" || rows[0]["y"] != `c\u0000d` {
		t.Errorf("JSON with NUL: %q, an escaped backslash before u0000: %q", rows[0]["x"], rows[0]["y"])
	}
	if rows := query(t, conn, `SELECT questions #>> '{}' AS q FROM questbase.quizzes WHERE id = $1`, w.Quiz); rows[0]["q"] != "not JSON at all" {
		t.Errorf("text that is not JSON: %q", rows[0]["q"])
	}
	if rows := query(t, conn, `SELECT completion_share FROM questbase.courses WHERE id = $1`, w.Course); rows[0]["completion_share"] != 0.0 {
		t.Errorf("text in a number column: %v", rows[0]["completion_share"])
	}
}

// decodeTextArray reads PostgreSQL's binary text[] (after its length).
func decodeTextArray(b []byte) []string {
	ndim := binary.BigEndian.Uint32(b[0:])
	if ndim == 0 {
		return []string{}
	}
	n := binary.BigEndian.Uint32(b[12:])
	b = b[20:]
	out := make([]string, 0, n)
	for range n {
		l := binary.BigEndian.Uint32(b)
		out = append(out, string(b[4:4+l]))
		b = b[4+l:]
	}
	return out
}

// The fast path for multi-value fields accepts only what it reads exactly
// as encoding/json does.
func FuzzJSONList(f *testing.F) {
	for _, s := range []string{`[]`, `["a"]`, `["a","b"]`, `[ "a" , "b" ]`, `["a\"b"]`, `["a",1]`, `[`, `["a"`, `["a",]`, `{"a":1}`, `["ж", "😀"]`, ``} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		buf, ok := qbsync.AppendJSONList([]byte{9}, s)
		if !ok {
			if !bytes.Equal(buf, []byte{9}) {
				t.Fatalf("%q: refused but wrote %v", s, buf)
			}
			return
		}
		l := binary.BigEndian.Uint32(buf[1:])
		if int(l) != len(buf)-5 {
			t.Fatalf("%q: length %d for %d bytes", s, l, len(buf)-5)
		}
		got := decodeTextArray(buf[5:])
		var want []string
		if s == "" {
			want = []string{}
		} else if err := json.Unmarshal([]byte(s), &want); err != nil {
			t.Fatalf("%q: accepted, but it is not a JSON array of strings: %v", s, err)
		}
		if want == nil {
			want = []string{}
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("%q: %q, encoding/json reads %q", s, got, want)
		}
	})
}

// The fast timestamp parser agrees with PocketBase's own reading.
func FuzzStamp(f *testing.F) {
	for _, s := range []string{"2026-03-10 18:05:00.000Z", "2026-02-30 10:00:00.000Z", "9999-12-31 23:59:59.999Z", "2026-13-01 00:00:00.000Z", "2026-03-10T18:05:00.000Z", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := qbsync.ParseStamp(s)
		if !ok {
			return
		}
		want, err := time.Parse(types.DefaultDateLayout, s)
		if err != nil {
			t.Fatalf("%q: accepted as %s, time.Parse refuses: %v", s, got, err)
		}
		if !got.Equal(want) {
			t.Fatalf("%q: %s, want %s", s, got, want)
		}
	})
}
