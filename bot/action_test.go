package bot

import (
	"strings"
	"testing"
)

func TestParseAction(t *testing.T) {
	for _, c := range []struct {
		data, action, id string
		ok               bool
	}{
		{"", "", "", true},
		{"top", "top", "", true},
		{"u:abc123", "u", "abc123", true},
		{"done:" + strings.Repeat("a", 40), "done", strings.Repeat("a", 40), true},
		{"done:" + strings.Repeat("a", 41), "", "", false},
		{":abc", "", "", false},
		{"u:", "", "", false},
		{"u:ABC", "", "", false},
		{"u:a:b", "", "", false},
		{"Top", "", "", false},
		{"top ", "", "", false},
		{"tоp", "", "", false}, // a Cyrillic о
		{"u:a\x00", "", "", false},
		{"\xff", "", "", false},
		{strings.Repeat("a", 17), "", "", false},
	} {
		action, id, ok := parseAction(c.data)
		if action != c.action || id != c.id || ok != c.ok {
			t.Errorf("parseAction(%q) = %q %q %v, want %q %q %v", c.data, action, id, ok, c.action, c.id, c.ok)
		}
	}
}

// Whatever a button carries, parseAction either refuses it or returns
// parts that rebuild it exactly and are safe to use as a record id.
func FuzzParseAction(f *testing.F) {
	for _, s := range []string{"", "top", "u:abc", "done:x1", "a:b:c", ":", "u:\xff", "\x00"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data string) {
		action, id, ok := parseAction(data)
		if !ok {
			if action != "" || id != "" {
				t.Fatalf("refused %q but returned %q %q", data, action, id)
			}
			return
		}
		rebuilt := action
		if id != "" {
			rebuilt += ":" + id
		}
		if rebuilt != data {
			t.Fatalf("%q parsed to %q %q", data, action, id)
		}
		if strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789") != "" || len(id) > 40 {
			t.Fatalf("unsafe id %q from %q", id, data)
		}
		if strings.Trim(action, "abcdefghijklmnopqrstuvwxyz") != "" || len(action) > 16 {
			t.Fatalf("unsafe action %q from %q", action, data)
		}
	})
}
