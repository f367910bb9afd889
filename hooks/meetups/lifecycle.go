package meetups

import (
	"fmt"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"questbase/hooks/audit"
	"questbase/hooks/notify"
)

// transitions lists the statuses a meetup may move to from each status.
// Cancelled is final: its participants were told. A finished meetup may be
// reopened (finished by mistake); a published one goes back to draft only
// while nobody is registered.
var transitions = map[string][]string{
	StatusDraft:     {StatusPublished, StatusCancelled},
	StatusPublished: {StatusFinished, StatusCancelled, StatusDraft},
	StatusFinished:  {StatusPublished},
	StatusCancelled: {},
}

// Notification kinds this package writes.
const (
	KindWaitlistPromoted = notify.KindWaitlistPromoted
	KindMeetupCancelled  = notify.KindMeetupCancelled
	KindMeetupChanged    = notify.KindMeetupChanged
)

func onMeetupCreate(e *core.RecordEvent) error {
	if err := checkTimes(e.Record); err != nil {
		return err
	}
	return e.Next()
}

// onMeetupUpdate checks the status move against the stored row, and in the
// save's transaction tells the participants of a cancellation or of a new
// time or place, and gives freed seats (more capacity, publication) to the
// waitlist.
func onMeetupUpdate(e *core.RecordEvent) error {
	if err := checkTimes(e.Record); err != nil {
		return err
	}
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		stored, err := tx.FindRecordById(Collection, e.Record.Id)
		if err != nil {
			return fmt.Errorf("meetups: load %s: %w", e.Record.Id, err)
		}
		from, to := stored.GetString("status"), e.Record.GetString("status")
		if from != to {
			if !slices.Contains(transitions[from], to) {
				return fieldError(fmt.Sprintf("A %s meetup cannot become %s.", from, to), "status", "validation_invalid_transition")
			}
			if from == StatusPublished && to == StatusDraft {
				n, err := countActive(tx, e.Record.Id)
				if err != nil {
					return err
				}
				if n > 0 {
					return fieldError("People are registered: cancel the meetup instead of unpublishing it.", "status", "validation_has_registrations")
				}
			}
			audit.Label(e.Record, Module, map[string]string{
				StatusPublished: "publish", StatusFinished: "finish", StatusCancelled: "cancel", StatusDraft: "unpublish",
			}[to])
		} else {
			audit.Label(e.Record, Module, "update")
		}
		if err := e.Next(); err != nil {
			return err
		}

		switch {
		case to == StatusCancelled && from != StatusCancelled:
			return tellParticipants(tx, e.Record, KindMeetupCancelled, "")
		case to == StatusPublished && from == StatusPublished && moved(stored, e.Record):
			if err := tellParticipants(tx, e.Record, KindMeetupChanged, e.Record.GetDateTime("updated").String()); err != nil {
				return err
			}
		}
		if to == StatusPublished && (from != StatusPublished || moreSeats(stored, e.Record)) {
			return fillSeats(e.Context, tx, e.Record.Id)
		}
		return nil
	})
}

// checkTimes refuses an end before the start and a registration window
// that closes before it opens.
func checkTimes(r *core.Record) error {
	errs := validation.Errors{}
	start, end := r.GetDateTime("starts_at"), r.GetDateTime("ends_at")
	if !end.IsZero() && !start.IsZero() && end.Before(start) {
		errs["ends_at"] = validation.NewError("validation_end_before_start", "The meetup cannot end before it starts.")
	}
	opens, closes := r.GetDateTime("registration_opens_at"), r.GetDateTime("registration_closes_at")
	if !opens.IsZero() && !closes.IsZero() && !closes.After(opens) {
		errs["registration_closes_at"] = validation.NewError("validation_window_closed", "Registration must close after it opens.")
	}
	if len(errs) > 0 {
		return router.NewBadRequestError("Check the meetup's dates.", errs)
	}
	return nil
}

// moved reports whether the time or place of a meetup changed.
func moved(before, after *core.Record) bool {
	for _, f := range []string{"starts_at", "ends_at", "location"} {
		if fmt.Sprint(before.Get(f)) != fmt.Sprint(after.Get(f)) {
			return true
		}
	}
	return false
}

func moreSeats(before, after *core.Record) bool {
	b, a := before.GetInt("capacity"), after.GetInt("capacity")
	return b != a && (a == 0 || (b != 0 && a > b))
}

// countActive counts registered and waitlisted people.
func countActive(tx core.App, meetup string) (int, error) {
	var n int
	err := tx.DB().Select("count(*)").From(RegistrationsCollection).
		Where(dbx.HashExp{"meetup": meetup}).
		AndWhere(dbx.In("status", Registered, Waitlisted)).Row(&n)
	if err != nil {
		return 0, fmt.Errorf("meetups: count registrations of %s: %w", meetup, err)
	}
	return n, nil
}

// tellParticipants writes one notice to everyone registered or waitlisted.
// The key names the meetup and the person (and for a change the save), so
// a notice is written once however often the event is processed.
func tellParticipants(tx core.App, meetup *core.Record, kind, detail string) error {
	var users []string
	err := tx.DB().Select("user").From(RegistrationsCollection).
		Where(dbx.HashExp{"meetup": meetup.Id}).
		AndWhere(dbx.In("status", Registered, Waitlisted)).
		OrderBy("seq", "created").Column(&users)
	if err != nil {
		return fmt.Errorf("meetups: participants of %s: %w", meetup.Id, err)
	}
	payload := meetupPayload(meetup)
	for _, u := range users {
		key := kind + ":" + meetup.Id + ":" + u
		if detail != "" {
			key += ":" + detail
		}
		if _, err := notify.Enqueue(tx, notify.Message{User: u, Kind: kind, Key: key, Payload: payload}); err != nil {
			return err
		}
	}
	return nil
}

// meetupPayload is what a notice about a meetup carries for the bot to
// render in the student's language.
func meetupPayload(m *core.Record) map[string]any {
	return map[string]any{
		"meetup":    m.Id,
		"title":     m.GetString("title"),
		"starts_at": m.GetDateTime("starts_at").String(),
		"ends_at":   m.GetDateTime("ends_at").String(),
		"location":  m.GetString("location"),
		"status":    m.GetString("status"),
	}
}

// over reports whether a meetup has ended as of now: its end, or its start
// when it has no end.
func over(m *core.Record, now time.Time) bool {
	end := m.GetDateTime("ends_at")
	if end.IsZero() {
		end = m.GetDateTime("starts_at")
	}
	return !end.IsZero() && now.After(end.Time())
}
