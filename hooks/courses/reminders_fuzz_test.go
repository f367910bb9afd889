package courses_test

import (
	"encoding/json"
	"testing"

	"questbase/hooks/courses"
)

// FuzzParseReminders: no input panics; whatever is accepted is within the
// bounds and reads back the same after storing.
func FuzzParseReminders(f *testing.F) {
	for _, s := range []string{``, `null`, `[]`, `[{"before_minutes": 60}]`, `[{"before_minutes": 1440, "text": "завтра"}]`, `{"a":1}`, `[1]`, `[{"before_minutes": 1e400}]`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, err := courses.ParseReminders(raw)
		if err != nil {
			return
		}
		if len(got) > courses.MaxReminders {
			t.Fatalf("%d reminders accepted", len(got))
		}
		seen := map[int]bool{}
		for _, r := range got {
			if r.BeforeMinutes < courses.MinReminderMinutes || r.BeforeMinutes > courses.MaxReminderMinutes || seen[r.BeforeMinutes] || len([]rune(r.Text)) > courses.MaxReminderText {
				t.Fatalf("accepted %+v from %q", r, raw)
			}
			seen[r.BeforeMinutes] = true
		}
		stored, _ := json.Marshal(got)
		again, err := courses.ParseReminders(stored)
		if err != nil || len(again) != len(got) {
			t.Fatalf("stored %s does not read back: %v", stored, err)
		}
		for i := range got {
			if again[i] != got[i] {
				t.Fatalf("read back %+v, want %+v", again[i], got[i])
			}
		}
	})
}
