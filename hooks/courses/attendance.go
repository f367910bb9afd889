package courses

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"questbase/hooks/audit"
	"questbase/hooks/points"
)

// onAttendanceSave checks a mark and, in its transaction, makes the
// session's points follow it and completes the enrollment if the course's
// rule is now met. A person marked present or late who is not enrolled (a
// guest at the door) is enrolled on the spot; absent and excused marks are
// only for enrolled people.
func onAttendanceSave(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		r := e.Record
		// bad input is PocketBase's field errors first, before any rule of ours
		if err := tx.ValidateWithContext(e.Context, r); err != nil {
			return err
		}
		if !r.IsNew() {
			stored, err := tx.FindRecordById(AttendanceCollection, r.Id)
			if err != nil {
				return fmt.Errorf("courses: load attendance %s: %w", r.Id, err)
			}
			for _, f := range []string{"session", "user"} {
				if r.GetString(f) != stored.GetString(f) {
					return fieldError("A mark cannot move to another session or person; delete it and mark anew.", f, "validation_immutable")
				}
			}
		}
		session, err := tx.FindRecordById(SessionsCollection, r.GetString("session"))
		if errors.Is(err, sql.ErrNoRows) {
			return e.Next() // PocketBase's relation check names the field
		}
		if err != nil {
			return fmt.Errorf("courses: load session of a mark: %w", err)
		}
		course, err := tx.FindRecordById(Collection, session.GetString("course"))
		if err != nil {
			return fmt.Errorf("courses: load course %s: %w", session.GetString("course"), err)
		}
		if session.GetBool("cancelled") && attended(r.GetString("status")) {
			return fieldError("This session is cancelled.", "session", "session_cancelled")
		}
		actor := audit.ActorOf(e)
		if p := person(actor); p != "" {
			if p == r.GetString("user") {
				// marks pay points: nobody marks themselves
				return router.NewForbiddenError("Another host marks your attendance.", nil)
			}
			r.Set("marked_by", p)
		}
		if err := ensureEnrolled(e.Context, tx, course, r); err != nil {
			return err
		}
		if _, ok := r.GetRaw(labelKey).(bool); !ok {
			audit.Label(r, Module, "mark")
		}
		if err := e.Next(); err != nil {
			return err
		}
		if err := syncSessionPoints(e.Context, tx, session, course, r.GetString("user"), r.GetString("status"), person(actor)); err != nil {
			return err
		}
		return evaluate(e.Context, tx, course, r.GetString("user"))
	})
}

// labelKey marks an attendance save whose audit label the caller set
// (the check-in route labels QR marks "checkin"/"scan").
const labelKey = "@courses_labelled"

// onAttendanceDelete takes back the points of a deleted mark. When the
// session or course is being deleted as a whole, the points stay: the
// session took place, or the course is history.
func onAttendanceDelete(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		r := e.Record
		if err := e.Next(); err != nil {
			return err
		}
		session, err := tx.FindRecordById(SessionsCollection, r.GetString("session"))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("courses: load session %s: %w", r.GetString("session"), err)
		}
		course, err := tx.FindRecordById(Collection, session.GetString("course"))
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("courses: load course %s: %w", session.GetString("course"), err)
		}
		if _, err := tx.FindRecordById("users", r.GetString("user")); err != nil {
			return nil // the person is being deleted, their ledger with them
		}
		return syncSessionPoints(e.Context, tx, session, course, r.GetString("user"), "", person(audit.ActorOf(e)))
	})
}

// ensureEnrolled checks that the marked person is enrolled, enrolling a
// guest marked present or late.
func ensureEnrolled(ctx context.Context, tx core.App, course, mark *core.Record) error {
	user := mark.GetString("user")
	enr := &core.Record{}
	err := tx.RecordQuery(EnrollmentsCollection).
		Where(dbx.HashExp{"course": course.Id, "user": user}).Limit(1).One(enr)
	switch {
	case err == nil && enr.GetString("status") != Cancelled:
		return nil
	case err != nil && !errors.Is(err, sql.ErrNoRows):
		return fmt.Errorf("courses: enrollment of %s in %s: %w", user, course.Id, err)
	case !attended(mark.GetString("status")):
		return fieldError("This person is not enrolled in the course.", "user", "not_enrolled")
	case err != nil:
		col, err := tx.FindCachedCollectionByNameOrId(EnrollmentsCollection)
		if err != nil {
			return err
		}
		enr = core.NewRecord(col)
		enr.Set("course", course.Id)
		enr.Set("user", user)
	}
	enr.Set("status", Enrolled)
	enr.SetRaw(walkInKey, true)
	if err := tx.SaveWithContext(ctx, enr); err != nil {
		return fmt.Errorf("courses: enroll %s in %s on the spot: %w", user, course.Id, err)
	}
	return nil
}

// syncSessionPoints makes the ledger hold the course's points per session
// for a present or late mark and nothing otherwise (ref: the session id;
// a mark changed to absent is a row taking them back).
func syncSessionPoints(ctx context.Context, tx core.App, session, course *core.Record, user, status, actor string) error {
	want := 0
	note := "Session: " + sessionName(session, course)
	if attended(status) {
		want = course.GetInt("points_per_session")
	} else {
		note = "Attendance corrected (" + statusOr(status, "deleted") + "): " + sessionName(session, course)
	}
	_, err := points.Settle(ctx, tx, points.Entry{
		User: user, Reason: points.ReasonSession, Ref: session.Id,
		Amount: want, Note: note, Tags: course.GetStringSlice("tags"), Actor: actor,
	})
	return err
}

func sessionName(session, course *core.Record) string {
	if t := session.GetString("title"); t != "" {
		return course.GetString("title") + " — " + t
	}
	return course.GetString("title")
}

func statusOr(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}

// Result of Mark.
type Result struct {
	Attendance *core.Record
	// Already is set when the person was already marked present or late;
	// nothing changed then.
	Already bool
}

// Mark records that user attended a session (present), as the check-in
// route does for a scanned enrollment ticket, through the same attendance
// record and hooks as a host's mark. A present or late mark stays as it
// is (Already); an absent or excused one becomes present. Pass the
// transaction the caller runs in; ctx carries the actor.
func Mark(ctx context.Context, tx core.App, sessionID, userID, method string, label func(*core.Record)) (Result, error) {
	rec := &core.Record{}
	err := tx.RecordQuery(AttendanceCollection).
		Where(dbx.HashExp{"session": sessionID, "user": userID}).Limit(1).One(rec)
	switch {
	case err == nil && attended(rec.GetString("status")):
		return Result{Attendance: rec, Already: true}, nil
	case errors.Is(err, sql.ErrNoRows):
		col, err := tx.FindCachedCollectionByNameOrId(AttendanceCollection)
		if err != nil {
			return Result{}, err
		}
		rec = core.NewRecord(col)
		rec.Set("session", sessionID)
		rec.Set("user", userID)
	case err != nil:
		return Result{}, fmt.Errorf("courses: mark of %s at %s: %w", userID, sessionID, err)
	}
	rec.Set("status", Present)
	rec.Set("method", method)
	if label != nil {
		label(rec)
		rec.SetRaw(labelKey, true)
	}
	if err := tx.SaveWithContext(ctx, rec); err != nil {
		return Result{}, err
	}
	return Result{Attendance: rec}, nil
}
