package meetups

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// FeedbackCollection holds the ratings people give a meetup.
const FeedbackCollection = "feedback"

// onFeedbackCreate accepts a rating only from someone who took part: they
// were checked in, or hold a seat (registered) at a meetup that is
// published or finished. The one-per-person rule is the unique index's.
func onFeedbackCreate(e *core.RecordEvent) error {
	r := e.Record
	if err := e.App.ValidateWithContext(e.Context, r); err != nil {
		return err // bad input is PocketBase's field errors first
	}
	meetup, err := e.App.FindRecordById(Collection, r.GetString("meetup"))
	if errors.Is(err, sql.ErrNoRows) {
		return e.Next() // PocketBase's relation check names the field
	}
	if err != nil {
		return fmt.Errorf("meetups: load meetup of feedback: %w", err)
	}
	switch meetup.GetString("status") {
	case StatusPublished, StatusFinished:
	default:
		return fieldError("Only a published or finished meetup takes feedback.", "meetup", "meetup_not_open")
	}
	var n int
	err = e.App.DB().NewQuery(`SELECT
			(SELECT count(*) FROM checkins WHERE meetup = {:m} AND user = {:u}) +
			(SELECT count(*) FROM registrations WHERE meetup = {:m} AND user = {:u} AND status = {:s})`).
		Bind(dbx.Params{"m": meetup.Id, "u": r.GetString("user"), "s": Registered}).Row(&n)
	if err != nil {
		return fmt.Errorf("meetups: look up a participant: %w", err)
	}
	if n == 0 {
		return fieldError("Only people registered for the meetup or checked in at it can rate it.", "user", "not_participant")
	}
	return e.Next()
}
