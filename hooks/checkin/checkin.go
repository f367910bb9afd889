// Package checkin owns checking people in: the check-ins collection's
// rules (a check-in always has a seat behind it and pays the meetup's
// points once) and the route organizers and hosts scan tickets with,
// POST /api/checkin, which answers with the person's card so faces can be
// compared at the door. Course sessions are checked in through the same
// route; the mark itself is the courses package's (courses.Mark).
package checkin

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"questbase/hooks/audit"
	"questbase/hooks/meetups"
	"questbase/hooks/points"
	"questbase/hooks/tickets"
)

// Collection is the check-ins collection's name.
const Collection = "checkins"

// Module names check-in rows in the audit log.
const Module = "checkin"

// Audit actions of check-ins.
const (
	ActionScan   = "scan"
	ActionWalkIn = "walk_in"
)

// Check-in methods (checkins.method).
const (
	MethodQR         = "qr"
	MethodRotatingQR = "rotating_qr"
	MethodCode       = "code"
	MethodWalkIn     = "walk_in"
	MethodManual     = "manual"
)

// seatKey carries the registration a check-in is for, as read in the
// check-in's transaction, from the route to the hook ('@' never starts a
// field name, so it is not stored).
const seatKey = "@checkin_seat"

// Register binds the check-in rules and routes.
func Register(app core.App, signer *tickets.Signer) {
	app.OnRecordCreate(Collection).BindFunc(onCheckinCreate)
	app.OnRecordDelete(Collection).BindFunc(onCheckinDelete)
	bindRoutes(app, signer)
}

// onCheckinCreate gives every check-in a seat and pays the meetup's points,
// in the check-in's transaction, whoever creates it (the route, a scanner
// through the REST API, the dashboard): a person checked in without a
// registration, or with a cancelled or waitlisted one, is let in as a
// walk-in (meetups.Admit).
func onCheckinCreate(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		r := e.Record
		meetup, err := tx.FindRecordById(meetups.Collection, r.GetString("meetup"))
		if err != nil {
			return e.Next() // PocketBase's relation check names the field
		}
		if reason, msg := closed(meetup); reason != "" {
			return fieldError(msg, "meetup", reason)
		}
		user := r.GetString("user")
		actor := audit.ActorOf(e)
		if (actor.Kind == audit.KindUser || actor.Kind == audit.KindBot) && actor.ID == user {
			// check-ins pay points: nobody checks themselves in
			return router.NewForbiddenError("Another organizer checks you in.", nil)
		}
		// the route passes the registration it read in this transaction
		reg, _ := r.GetRaw(seatKey).(*core.Record)
		if id := r.GetString("registration"); id != "" && (reg == nil || reg.Id != id) {
			reg, err = tx.FindRecordById(meetups.RegistrationsCollection, id)
			if err != nil {
				reg = nil
			}
		}
		if reg != nil && (reg.GetString("meetup") != meetup.Id || reg.GetString("user") != user) {
			return fieldError("The registration is someone else's or another meetup's.", "registration", "validation_mismatch")
		}
		if reg == nil || reg.GetString("status") != meetups.Registered {
			if reg, err = meetups.Admit(e.Context, tx, meetup.Id, user); err != nil {
				return err
			}
		}
		r.Set("registration", reg.Id)
		if r.GetString("scanned_by") == "" && (actor.Kind == audit.KindUser || actor.Kind == audit.KindBot) {
			r.Set("scanned_by", actor.ID)
		}
		if err := e.Next(); err != nil {
			return err
		}
		return settle(e, tx, meetup, user, actor, true)
	})
}

// onCheckinDelete takes the points of an undone check-in back. When the
// meetup itself is being deleted, they stay: it took place.
func onCheckinDelete(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		// a meetup or person being deleted keeps their ledger as it is
		meetup, err := tx.FindRecordById(meetups.Collection, e.Record.GetString("meetup"))
		if err != nil {
			return nil
		}
		if _, err := tx.FindRecordById("users", e.Record.GetString("user")); err != nil {
			return nil
		}
		return settle(e, tx, meetup, e.Record.GetString("user"), audit.ActorOf(e), false)
	})
}

// settle makes the ledger hold the meetup's points for a person checked
// in, nothing otherwise; ref is the meetup id, so a person earns a
// meetup's points once however often they are checked in.
func settle(e *core.RecordEvent, tx core.App, meetup *core.Record, user string, actor audit.Actor, in bool) error {
	want, note := 0, "Check-in undone: "+meetup.GetString("title")
	if in {
		want, note = meetup.GetInt("points"), "Meetup: "+meetup.GetString("title")
	}
	by := ""
	if actor.Kind == audit.KindUser || actor.Kind == audit.KindBot {
		by = actor.ID
	}
	_, err := points.Settle(e.Context, tx, points.Entry{
		User: user, Amount: want, Reason: points.ReasonCheckin, Ref: meetup.Id,
		Note: note, Tags: meetup.GetStringSlice("tags"), Actor: by,
	})
	if err != nil {
		return fmt.Errorf("checkin: points of %s at %s: %w", user, meetup.Id, err)
	}
	return nil
}

// closed says why a meetup takes no check-ins, if it takes none: only
// published meetups (and finished ones, for late corrections) do.
func closed(meetup *core.Record) (reason, message string) {
	switch meetup.GetString("status") {
	case meetups.StatusPublished, meetups.StatusFinished:
		return "", ""
	case meetups.StatusCancelled:
		return "meetup_cancelled", "This meetup is cancelled."
	default:
		return "meetup_not_open", "This meetup is not published."
	}
}
