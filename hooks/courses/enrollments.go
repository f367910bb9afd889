package courses

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/audit"
	"questbase/hooks/notify"
	"questbase/hooks/points"
)

// Raw markers on an enrollment being saved ('@' never starts a field name).
const (
	// autoKey: the service completes the enrollment because the rule is met.
	autoKey = "@courses_auto"
	// walkInKey: a host marked a person present who was not enrolled; they
	// are enrolled on the spot, whatever the capacity.
	walkInKey = "@courses_walk_in"
)

func marked(r *core.Record, key string) bool {
	v, _ := r.GetRaw(key).(bool)
	return v
}

// onEnrollmentCreate enrolls a person in a course. Students enrolling
// themselves need a published course with a free place (capacity counts
// enrolled and completed people); staff and hosts may also enroll into a
// finished course and beyond the capacity.
func onEnrollmentCreate(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		r := e.Record
		// bad input is PocketBase's field errors first, before any rule of ours
		if err := tx.ValidateWithContext(e.Context, r); err != nil {
			return err
		}
		course, err := tx.FindRecordById(Collection, r.GetString("course"))
		if errors.Is(err, sql.ErrNoRows) {
			return e.Next() // PocketBase's relation check names the field
		}
		if err != nil {
			return fmt.Errorf("courses: load course of an enrollment: %w", err)
		}
		if err := notTaken(tx, EnrollmentsCollection, "course", r.GetString("course"), r.GetString("user")); err != nil {
			return err
		}
		actor := audit.ActorOf(e)
		self := isSelf(actor, r.GetString("user"))
		if self && r.GetString("status") != Enrolled {
			return fieldError("Enroll first; completion is given by the course.", "status", "validation_invalid_status")
		}
		if r.GetString("status") == Cancelled {
			return fieldError("A new enrollment cannot be cancelled.", "status", "validation_invalid_status")
		}
		if err := mayEnroll(tx, course, self && !marked(r, walkInKey)); err != nil {
			return err
		}
		stamp(r, "", actor)
		if err := e.Next(); err != nil {
			return err
		}
		return enrollmentChanged(e.Context, tx, r, "", course, actor)
	})
}

// onEnrollmentUpdate checks a status move against the stored row: students
// may cancel and enroll again (by the rules of a first enrollment); only
// hosts, staff and the service complete or un-complete an enrollment, and
// the completion points follow the status.
func onEnrollmentUpdate(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		r := e.Record
		// bad input is PocketBase's field errors first, before any rule of ours
		if err := tx.ValidateWithContext(e.Context, r); err != nil {
			return err
		}
		stored, err := tx.FindRecordById(EnrollmentsCollection, r.Id)
		if err != nil {
			return fmt.Errorf("courses: load enrollment %s: %w", r.Id, err)
		}
		for _, f := range []string{"course", "user"} {
			if r.GetString(f) != stored.GetString(f) {
				return fieldError("An enrollment cannot move to another course or person.", f, "validation_immutable")
			}
		}
		course, err := tx.FindRecordById(Collection, r.GetString("course"))
		if err != nil {
			return fmt.Errorf("courses: load course %s: %w", r.GetString("course"), err)
		}
		actor := audit.ActorOf(e)
		self := isSelf(actor, r.GetString("user"))
		from, to := stored.GetString("status"), r.GetString("status")
		// the rule completes anyone, also in a save the student caused
		// (enrolling again after meeting it)
		if self && from != to && (to == Completed || from == Completed) && !marked(r, autoKey) {
			return fieldError("Completion is given by the course's rule or its hosts.", "status", "validation_invalid_status")
		}
		if from == Cancelled && to != Cancelled {
			if err := mayEnroll(tx, course, self && !marked(r, walkInKey)); err != nil {
				return err
			}
		}
		stamp(r, from, actor)
		if from == to {
			r.Set("completed_at", stored.GetDateTime("completed_at"))
			r.Set("completed_by", stored.GetString("completed_by"))
		}
		if err := e.Next(); err != nil {
			return err
		}
		return enrollmentChanged(e.Context, tx, r, from, course, actor)
	})
}

// mayEnroll checks that a course takes this enrollment.
func mayEnroll(tx core.App, course *core.Record, self bool) error {
	switch st := course.GetString("status"); {
	case st == StatusPublished:
	case !self && st == StatusFinished:
	default:
		return fieldError("This course does not take enrollments.", "course", "course_not_open")
	}
	if !self || course.GetInt("capacity") <= 0 {
		return nil
	}
	var n int
	err := tx.DB().Select("count(*)").From(EnrollmentsCollection).
		Where(dbx.HashExp{"course": course.Id}).
		AndWhere(dbx.In("status", Enrolled, Completed)).Row(&n)
	if err != nil {
		return fmt.Errorf("courses: count enrollments of %s: %w", course.Id, err)
	}
	if n >= course.GetInt("capacity") {
		return fieldError("The course is full.", "course", "course_full")
	}
	return nil
}

// stamp sets completed_at and completed_by when an enrollment enters or
// leaves completion, and labels its audit row.
func stamp(r *core.Record, from string, actor audit.Actor) {
	to := r.GetString("status")
	action := "update"
	switch {
	case to == Completed && from != Completed:
		r.Set("completed_at", types.NowDateTime())
		by := person(actor)
		if marked(r, autoKey) {
			by = "" // the rule completed it, not whoever caused the last mark
		}
		r.Set("completed_by", by)
		action = "complete"
	case to != Completed:
		r.Set("completed_at", types.DateTime{})
		r.Set("completed_by", "")
		switch {
		case from == Completed:
			action = "uncomplete"
		case to == Cancelled && from != Cancelled:
			action = "cancel"
		case from == "" || from == Cancelled:
			action = "enroll"
		}
	}
	audit.Label(r, Module, action)
}

// enrollmentChanged writes what an enrollment's new status implies, in its
// transaction: the completion points follow the status, a completion is
// told to the student, and a renewed enrollment may meet the rule at once.
func enrollmentChanged(ctx context.Context, tx core.App, r *core.Record, from string, course *core.Record, actor audit.Actor) error {
	to := r.GetString("status")
	if err := syncCompletionPoints(ctx, tx, r, course, person(actor)); err != nil {
		return err
	}
	if to == Completed && from != Completed {
		_, err := notify.Enqueue(tx, notify.Message{
			User: r.GetString("user"),
			Kind: KindCourseCompleted,
			Key:  KindCourseCompleted + ":" + r.Id + ":" + r.GetDateTime("completed_at").String(),
			Payload: map[string]any{
				"course":     course.Id,
				"title":      course.GetString("title"),
				"points":     course.GetInt("points_on_completion"),
				"enrollment": r.Id,
			},
		})
		return err
	}
	if to == Enrolled && from != Enrolled {
		return evaluate(ctx, tx, course, r.GetString("user"))
	}
	return nil
}

// syncCompletionPoints makes the enrollment's completion points in the
// ledger what its status says: the course's points while completed,
// nothing otherwise (ref: the enrollment id).
func syncCompletionPoints(ctx context.Context, tx core.App, r, course *core.Record, actor string) error {
	want := 0
	if r.GetString("status") == Completed {
		want = course.GetInt("points_on_completion")
	}
	note := "Course completed: " + course.GetString("title")
	if want == 0 {
		note = "Course completion withdrawn: " + course.GetString("title")
	}
	_, err := points.Settle(ctx, tx, points.Entry{
		User: r.GetString("user"), Reason: points.ReasonCourseCompletion, Ref: r.Id,
		Amount: want, Note: note, Tags: course.GetStringSlice("tags"), Actor: actor,
	})
	return err
}

// notTaken refuses a second record of a person for one course or meetup
// before any other rule speaks, with the error the unique index would give.
func notTaken(tx core.App, collection, field, id, user string) error {
	var n int
	err := tx.DB().Select("count(*)").From(collection).Where(dbx.HashExp{field: id, "user": user}).Row(&n)
	if err != nil {
		return fmt.Errorf("courses: look up %s of %s: %w", collection, user, err)
	}
	if n == 0 {
		return nil
	}
	return router.NewBadRequestError("Already enrolled; change the existing enrollment instead.", validation.Errors{
		field:  validation.NewError("validation_not_unique", "Value must be unique."),
		"user": validation.NewError("validation_not_unique", "Value must be unique."),
	})
}
