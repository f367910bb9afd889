package meetups

import (
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/audit"
)

// admitKey marks a registration save that must get a seat whatever the
// capacity: a walk-in an organizer lets in at the door. '@' cannot start a
// field name, so it never reaches the database.
const admitKey = "@meetups_admit"

// promoteKey marks the service's own promotion from the waitlist.
const promoteKey = "@meetups_promote"

func marked(r *core.Record, key string) bool {
	v, _ := r.GetRaw(key).(bool)
	return v
}

// admitted reports whether a registration save takes a seat regardless of
// the capacity: Admit, and walk-ins created by staff (the person is at the
// door). A stored walk-in registration cancelled and renewed later queues
// like any other.
func admitted(r *core.Record) bool { return marked(r, admitKey) }

// onRegistrationCreate places a new registration: a seat while there is
// one, the end of the waitlist otherwise. Whatever status the client sent,
// the service decides it.
func onRegistrationCreate(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		r := e.Record
		// bad input is PocketBase's field errors first, before any rule of ours
		if err := tx.ValidateWithContext(e.Context, r); err != nil {
			return err
		}
		meetup, err := tx.FindRecordById(Collection, r.GetString("meetup"))
		if errors.Is(err, sql.ErrNoRows) {
			return e.Next() // PocketBase's relation check names the field
		}
		if err != nil {
			return fmt.Errorf("meetups: load meetup of a registration: %w", err)
		}
		var n int
		if err := tx.DB().Select("count(*)").From(RegistrationsCollection).
			Where(dbx.HashExp{"meetup": meetup.Id, "user": r.GetString("user")}).Row(&n); err != nil {
			return fmt.Errorf("meetups: look up a registration: %w", err)
		}
		if n > 0 {
			// the unique index's answer, before the window or seats speak
			return router.NewBadRequestError("Already registered; register again by changing the existing registration.", validation.Errors{
				"meetup": validation.NewError("validation_not_unique", "Value must be unique."),
				"user":   validation.NewError("validation_not_unique", "Value must be unique."),
			})
		}
		self := isSelf(audit.ActorOf(e), r.GetString("user"))
		switch src := r.GetString("source"); {
		case self && (src == SourceWalkIn || src == SourceAdmin):
			return fieldError("Walk-in and admin registrations are made by staff.", "source", "validation_staff_only")
		case src == SourceWalkIn:
			r.SetRaw(admitKey, true)
		}
		if err := mayJoin(meetup, self, admitted(r), time.Now()); err != nil {
			return err
		}
		if err := place(e, tx, meetup); err != nil {
			return err
		}
		if admitted(r) {
			audit.Label(r, "checkin", "walk_in")
		} else {
			audit.Label(r, Module, "register")
		}
		return e.Next()
	})
}

// onRegistrationUpdate checks a status move against the stored row and
// does what it implies: a cancellation frees a seat for the first on the
// waitlist, a re-registration queues again, a promotion is told.
func onRegistrationUpdate(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		r := e.Record
		// bad input is PocketBase's field errors first, before any rule of ours
		if err := tx.ValidateWithContext(e.Context, r); err != nil {
			return err
		}
		stored, err := tx.FindRecordById(RegistrationsCollection, r.Id)
		if err != nil {
			return fmt.Errorf("meetups: load registration %s: %w", r.Id, err)
		}
		for _, f := range []string{"meetup", "user"} {
			if r.GetString(f) != stored.GetString(f) {
				return fieldError("A registration cannot move to another meetup or person; cancel it and register anew.", f, "validation_immutable")
			}
		}
		// the queue position is the service's
		r.Set("seq", stored.GetInt("seq"))

		actor := audit.ActorOf(e)
		self := isSelf(actor, r.GetString("user"))
		from, to := stored.GetString("status"), r.GetString("status")
		now := types.NowDateTime()
		action := "update"
		promoted := false
		switch {
		case from == to:
		case to == Cancelled:
			r.Set("cancelled_at", now)
			action = "cancel"
		case from == Cancelled:
			// registering again: the same rules as a first registration
			meetup, err := tx.FindRecordById(Collection, r.GetString("meetup"))
			if err != nil {
				return fmt.Errorf("meetups: load meetup %s: %w", r.GetString("meetup"), err)
			}
			if err := mayJoin(meetup, self, admitted(r), now.Time()); err != nil {
				return err
			}
			if err := place(e, tx, meetup); err != nil {
				return err
			}
			r.Set("cancelled_at", types.DateTime{})
			action = "register"
		case from == Waitlisted && to == Registered:
			if self && !marked(r, promoteKey) {
				return fieldError("Seats are given from the waitlist in order.", "status", "validation_waitlisted")
			}
			r.Set("promoted_at", now)
			// a walk-in let in at the door needs no notice of a seat
			promoted = !admitted(r)
			action = "promote"
		case from == Registered && to == Waitlisted:
			if self {
				return fieldError("Cancel the registration instead.", "status", "validation_invalid_transition")
			}
			// back of the queue, so the freed seat goes to who waited longest
			seq, err := nextSeq(tx, r.GetString("meetup"))
			if err != nil {
				return err
			}
			r.Set("seq", seq)
			action = "waitlist"
		}
		if admitted(r) && r.GetString("status") == Registered && from != Registered {
			action = "walk_in"
			audit.Label(r, "checkin", action)
		} else {
			audit.Label(r, Module, action)
		}
		if err := e.Next(); err != nil {
			return err
		}

		if promoted {
			if err := tellPromoted(tx, r); err != nil {
				return err
			}
		}
		if from == Registered && r.GetString("status") != Registered {
			return fillSeats(e.Context, tx, r.GetString("meetup"))
		}
		return nil
	})
}

// onRegistrationDelete gives a deleted registration's seat to the waitlist.
func onRegistrationDelete(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		stored, err := tx.FindRecordById(RegistrationsCollection, e.Record.Id)
		if err != nil {
			return fmt.Errorf("meetups: load registration %s: %w", e.Record.Id, err)
		}
		audit.Label(e.Record, Module, "delete")
		if err := e.Next(); err != nil {
			return err
		}
		if stored.GetString("status") != Registered {
			return nil
		}
		err = fillSeats(e.Context, tx, stored.GetString("meetup"))
		if errors.Is(err, sql.ErrNoRows) {
			return nil // the meetup itself is being deleted (cascade)
		}
		return err
	})
}

// mayJoin checks that a meetup takes registrations now. Students
// registering themselves need a published meetup inside its registration
// window (empty bounds: open from publication until the start). Staff
// registering someone need a published meetup; a walk-in let in at the
// door may also join a finished one.
func mayJoin(meetup *core.Record, self, admit bool, now time.Time) error {
	status := meetup.GetString("status")
	switch {
	case status == StatusPublished:
	case admit && status == StatusFinished:
		return nil
	case status == StatusCancelled:
		return fieldError("This meetup is cancelled.", "meetup", "meetup_cancelled")
	default:
		return fieldError("This meetup does not take registrations.", "meetup", "meetup_not_open")
	}
	if !self || admit {
		return nil
	}
	opens, closes := meetup.GetDateTime("registration_opens_at"), meetup.GetDateTime("registration_closes_at")
	if closes.IsZero() {
		closes = meetup.GetDateTime("starts_at")
	}
	switch {
	case !opens.IsZero() && now.Before(opens.Time()):
		return fieldError("Registration has not opened yet.", "meetup", "registration_not_open")
	case !closes.IsZero() && !now.Before(closes.Time()):
		return fieldError("Registration is closed.", "meetup", "registration_closed")
	}
	return nil
}

// place gives the registration being saved a seat or a waitlist place and
// the next queue number.
func place(e *core.RecordEvent, tx core.App, meetup *core.Record) error {
	r := e.Record
	status := Registered
	if !admitted(r) {
		// seats freed while nobody promoted (the meetup was a draft, say)
		// go to those already waiting, before this newcomer
		if err := fillSeats(e.Context, tx, meetup.Id); err != nil {
			return err
		}
		free, err := seatFree(tx, meetup)
		if err != nil {
			return err
		}
		if !free {
			status = Waitlisted
		}
	}
	seq, err := nextSeq(tx, meetup.Id)
	if err != nil {
		return err
	}
	r.Set("status", status)
	r.Set("seq", seq)
	r.Set("promoted_at", types.DateTime{})
	return nil
}
