package courses

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strings"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Reminder bounds: a reminder goes out between 5 minutes and 30 days
// before each session; a course has at most 10 of them.
const (
	MinReminderMinutes = 5
	MaxReminderMinutes = 30 * 24 * 60
	MaxReminders       = 10
	MaxReminderText    = 1000
)

// Reminder is one entry of courses.reminders: sent BeforeMinutes before
// each session, with Text (empty: the bot's standard reminder).
type Reminder struct {
	BeforeMinutes int    `json:"before_minutes"`
	Text          string `json:"text,omitempty"`
}

// onCourseSave checks the course's dates and reminders, and after a change
// of the completion rule completes whoever now meets it.
func onCourseSave(e *core.RecordEvent) error {
	r := e.Record
	errs := validation.Errors{}
	if start, end := r.GetDateTime("starts_on"), r.GetDateTime("ends_on"); !start.IsZero() && !end.IsZero() && end.Before(start) {
		errs["ends_on"] = validation.NewError("validation_end_before_start", "The course cannot end before it starts.")
	}
	raw, _ := r.Get("reminders").(types.JSONRaw)
	reminders, err := ParseReminders(raw)
	if err != nil {
		errs["reminders"] = validation.NewError("validation_invalid_reminders", err.Error())
	} else if reminders != nil {
		// stored in one canonical form
		r.Set("reminders", reminders)
	}
	if len(errs) > 0 {
		return router.NewBadRequestError("Check the course's settings.", errs)
	}
	if r.IsNew() {
		return e.Next()
	}
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		stored, err := tx.FindRecordById(Collection, r.Id)
		if err != nil {
			return fmt.Errorf("courses: load %s: %w", r.Id, err)
		}
		if err := e.Next(); err != nil {
			return err
		}
		if stored.GetFloat("completion_share") != r.GetFloat("completion_share") {
			return evaluateCourse(e.Context, tx, r.Id)
		}
		return nil
	})
}

// ParseReminders reads a reminders value: empty, null or a list of
// {before_minutes, text} with whole minutes in bounds, no offset twice,
// and no other keys. The error says which entry is wrong and why.
func ParseReminders(raw []byte) ([]Reminder, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, nil
	}
	var items []json.RawMessage
	if err := json.Unmarshal(raw, &items); err != nil {
		return nil, fmt.Errorf("reminders must be a list of {before_minutes, text}")
	}
	if len(items) > MaxReminders {
		return nil, fmt.Errorf("at most %d reminders", MaxReminders)
	}
	out := make([]Reminder, 0, len(items))
	seen := map[int]bool{}
	for i, item := range items {
		var fields map[string]json.RawMessage
		if err := json.Unmarshal(item, &fields); err != nil || fields == nil {
			return nil, fmt.Errorf("reminder %d must be an object {before_minutes, text}", i+1)
		}
		for k := range fields {
			if k != "before_minutes" && k != "text" {
				return nil, fmt.Errorf("reminder %d: unknown key %q", i+1, k)
			}
		}
		var minutes float64
		if err := json.Unmarshal(fields["before_minutes"], &minutes); err != nil || fields["before_minutes"] == nil {
			return nil, fmt.Errorf("reminder %d: before_minutes must be a number of minutes", i+1)
		}
		if minutes != math.Trunc(minutes) || minutes < MinReminderMinutes || minutes > MaxReminderMinutes {
			return nil, fmt.Errorf("reminder %d: before_minutes must be a whole number from %d to %d", i+1, MinReminderMinutes, MaxReminderMinutes)
		}
		var text string
		if t, ok := fields["text"]; ok && string(t) != "null" {
			if err := json.Unmarshal(t, &text); err != nil {
				return nil, fmt.Errorf("reminder %d: text must be a string", i+1)
			}
		}
		text = strings.TrimSpace(text)
		if utf8.RuneCountInString(text) > MaxReminderText {
			return nil, fmt.Errorf("reminder %d: text must be at most %d characters", i+1, MaxReminderText)
		}
		if seen[int(minutes)] {
			return nil, fmt.Errorf("reminder %d: another reminder is already %d minutes before", i+1, int(minutes))
		}
		seen[int(minutes)] = true
		out = append(out, Reminder{BeforeMinutes: int(minutes), Text: text})
	}
	return out, nil
}

// onSessionChange completes whoever meets the rule once a session is
// cancelled or deleted (fewer sessions count).
func onSessionChange(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		course := e.Record.GetString("course")
		stored, err := tx.FindRecordById(SessionsCollection, e.Record.Id)
		if err != nil {
			return fmt.Errorf("courses: load session %s: %w", e.Record.Id, err)
		}
		if err := e.Next(); err != nil {
			return err
		}
		deleted := e.Type == core.ModelEventTypeDelete
		if !deleted && stored.GetBool("cancelled") == e.Record.GetBool("cancelled") {
			return nil
		}
		if _, err := tx.FindRecordById(Collection, course); err != nil {
			return nil // the course itself is being deleted
		}
		return evaluateCourse(e.Context, tx, course)
	})
}
