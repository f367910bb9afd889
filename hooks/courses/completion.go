package courses

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Progress is a person's attendance in a course.
type Progress struct {
	// Attended counts sessions marked present or late.
	Attended int `json:"attended"`
	// Sessions counts the course's sessions that are not cancelled.
	Sessions int `json:"sessions"`
	// Share is the course's completion_share: Attended/Sessions ≥ Share completes.
	Share float64 `json:"share"`
}

// Met reports whether the completion rule is met. A course without
// sessions, or with a share of 0, completes only by a host's mark.
func (p Progress) Met() bool {
	if p.Sessions == 0 || p.Share <= 0 {
		return false
	}
	return float64(p.Attended) >= p.Share*float64(p.Sessions)-1e-9
}

// ProgressOf returns user's progress in a course. The rule counts the
// course's whole schedule (every session not cancelled), not the sessions
// held so far: counting only past sessions would complete everyone who
// came to the first one.
func ProgressOf(app core.App, course *core.Record, user string) (Progress, error) {
	p := Progress{Share: course.GetFloat("completion_share")}
	err := app.DB().NewQuery(`
		SELECT
			(SELECT count(*) FROM course_sessions WHERE course = {:course} AND cancelled = FALSE),
			(SELECT count(DISTINCT a.session) FROM attendance a JOIN course_sessions s ON s.id = a.session
				WHERE s.course = {:course} AND s.cancelled = FALSE AND a.user = {:user} AND a.status IN ('present', 'late'))`).
		Bind(dbx.Params{"course": course.Id, "user": user}).Row(&p.Sessions, &p.Attended)
	if err != nil {
		return p, fmt.Errorf("courses: progress of %s in %s: %w", user, course.Id, err)
	}
	return p, nil
}

// evaluate completes user's enrollment in course if it is active and the
// rule is met. Completion is not taken back automatically when a mark is
// corrected later: a host un-completes by hand.
func evaluate(ctx context.Context, tx core.App, course *core.Record, user string) error {
	enr := &core.Record{}
	err := tx.RecordQuery(EnrollmentsCollection).
		Where(dbx.HashExp{"course": course.Id, "user": user, "status": Enrolled}).Limit(1).One(enr)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("courses: enrollment of %s in %s: %w", user, course.Id, err)
	}
	p, err := ProgressOf(tx, course, user)
	if err != nil || !p.Met() {
		return err
	}
	enr.Set("status", Completed)
	enr.SetRaw(autoKey, true)
	if err := tx.SaveWithContext(ctx, enr); err != nil {
		return fmt.Errorf("courses: complete %s: %w", enr.Id, err)
	}
	return nil
}

// evaluateCourse evaluates every active enrollment of a course, after the
// rule or the schedule changed.
func evaluateCourse(ctx context.Context, tx core.App, courseID string) error {
	course, err := tx.FindRecordById(Collection, courseID)
	if err != nil {
		return fmt.Errorf("courses: load %s: %w", courseID, err)
	}
	if course.GetFloat("completion_share") <= 0 {
		return nil
	}
	var users []string
	err = tx.DB().Select("user").From(EnrollmentsCollection).
		Where(dbx.HashExp{"course": courseID, "status": Enrolled}).Column(&users)
	if err != nil {
		return fmt.Errorf("courses: enrollments of %s: %w", courseID, err)
	}
	for _, u := range users {
		if err := evaluate(ctx, tx, course, u); err != nil {
			return err
		}
	}
	return nil
}
