package verification

import (
	"context"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/audit"
	"questbase/hooks/notify"
)

// purgeKey marks a users save made by the retention job: the photo it
// clears has served its retention and is not archived again. '@' cannot
// start a field name, so the mark never reaches the database.
const purgeKey = "@verification_purge"

// outcome is what one users save means for verification: worked out before
// the row is written, acted on after it was written in the same
// transaction.
type outcome struct {
	stored    *core.Record // the row as stored before the save (blank on create)
	submitted bool         // a new photo: the status became pending
	decision  string       // the status a reviewer set, if any
	archive   string       // the stored photo to keep until the retention ends
}

// onUserSave applies the verification rules to a users create or update.
func onUserSave(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		stored, err := storedUser(tx, e.Record)
		if err != nil {
			return err
		}
		out, err := decide(tx, e, stored)
		if err != nil {
			return err
		}
		if err := e.Next(); err != nil {
			return err
		}
		// PocketBase deletes a replaced file only after the transaction
		// commits, so the old photo can still be read here; doing it after
		// the write skips the copy when the save itself fails.
		return out.finish(e.Context, tx, e.Record)
	})
}

// storedUser reads the row as it is in the database now. e.Record.Original()
// is not enough: PocketBase does not refresh it after a save, so a reused
// record would compare against stale values.
func storedUser(tx core.App, rec *core.Record) (*core.Record, error) {
	if rec.IsNew() {
		blank := core.NewRecord(rec.Collection())
		blank.Set(fieldStatus, StatusNone)
		return blank, nil
	}
	stored, err := tx.FindRecordById(rec.Collection(), rec.Id)
	if err != nil {
		return nil, fmt.Errorf("verification: load user %s: %w", rec.Id, err)
	}
	return stored, nil
}

// decide checks the save against the verification rules and sets the
// fields the rules derive. It returns an error (400 or 403) for a change
// that is not allowed; nothing is written then.
func decide(tx core.App, e *core.RecordEvent, stored *core.Record) (*outcome, error) {
	rec := e.Record
	keepUntouched(rec, stored)
	if err := keepOwned(tx, rec, stored); err != nil {
		return nil, err
	}
	out := &outcome{stored: stored}
	oldPhoto, newPhoto := photoName(stored.GetRaw(fieldPhoto)), photoName(rec.GetRaw(fieldPhoto))

	// A new photo restarts verification, whoever uploads it and whatever
	// status the same save asks for.
	if newPhoto != "" && newPhoto != oldPhoto {
		rec.Set(fieldStatus, StatusPending)
		rec.Set(fieldSubmittedAt, types.NowDateTime())
		clearDecision(rec)
		if !rec.IsNew() {
			// a new account stays a users create in the log, photo or not
			audit.Label(rec, Module, "submit")
		}
		out.submitted = true
		out.archive = oldPhoto
		return out, nil
	}

	actor := audit.ActorOf(e)
	if err := review(tx, actor, rec, stored, out); err != nil {
		return nil, err
	}
	if newPhoto == "" && oldPhoto != "" {
		photoRemoved(actor, rec, stored, out, oldPhoto)
	}
	return out, nil
}

// photoRemoved handles a save that empties the photo field.
func photoRemoved(actor audit.Actor, rec, stored *core.Record, out *outcome, oldPhoto string) {
	if purging, _ := rec.GetRaw(purgeKey).(bool); purging {
		// the retention ended: the rejected status stays, the photo goes
		audit.Label(rec, Module, "purge")
		return
	}
	// Photos of rejected verifications are kept for the retention period
	// even when removed; other photos go as PocketBase deletes them.
	if status(stored) == StatusRejected || status(rec) == StatusRejected {
		out.archive = oldPhoto
	}
	owner := (actor.Kind == audit.KindUser || actor.Kind == audit.KindBot) && actor.ID == rec.Id
	action := "remove_photo"
	// Whoever removes a pending photo leaves nothing to review; a student
	// who removes their own photo withdraws their verification.
	if owner || status(rec) == StatusPending {
		rec.Set(fieldStatus, StatusNone)
		rec.Set(fieldSubmittedAt, "")
		clearDecision(rec)
		action = "withdraw"
	}
	if out.decision == "" {
		audit.Label(rec, Module, action)
	}
}

func clearDecision(rec *core.Record) {
	rec.Set(fieldNote, "")
	rec.Set(fieldReviewedBy, "")
	rec.Set(fieldReviewedAt, "")
}

// keepUntouched restores the stored value of a verification field that the
// caller did not touch (its value is still the one the record was loaded
// with) but that changed in the database since: a save from a stale copy
// (the bot changing a student's language, say) must neither undo a
// decision nor drop a photo uploaded meanwhile. Only a field the caller
// set counts as a change.
func keepUntouched(rec, stored *core.Record) {
	if rec.IsNew() {
		return
	}
	orig := rec.Original()
	for _, f := range []string{fieldStatus, fieldNote} {
		if cur := rec.GetString(f); cur != stored.GetString(f) && cur == orig.GetString(f) {
			rec.Set(f, stored.Get(f))
		}
	}
	raw := rec.GetRaw(fieldPhoto)
	if _, upload := raw.(*filesystem.File); upload {
		return
	}
	if cur := photoName(raw); cur != photoName(stored.GetRaw(fieldPhoto)) && cur == photoName(orig.GetRaw(fieldPhoto)) {
		rec.Set(fieldPhoto, stored.GetRaw(fieldPhoto))
	}
	if rec.GetString(fieldStatus) == "" {
		rec.Set(fieldStatus, stored.GetString(fieldStatus))
	}
}

// keepOwned resets the fields that describe a submission and a decision to
// their stored values: only these hooks set them (as the ledger owns
// balances), whatever a client sends.
func keepOwned(tx core.App, rec, stored *core.Record) error {
	rec.Set(fieldSubmittedAt, stored.Get(fieldSubmittedAt))
	rec.Set(fieldReviewedAt, stored.Get(fieldReviewedAt))
	cur, was := rec.GetString(fieldReviewedBy), stored.GetString(fieldReviewedBy)
	if cur == was || was == "" {
		rec.Set(fieldReviewedBy, was)
		return nil
	}
	// PocketBase itself clears the relation when the reviewer's account is
	// deleted (a save through these hooks): let that through.
	var n int
	err := tx.DB().Select("count(*)").From("users").Where(dbx.HashExp{"id": was}).Row(&n)
	if err != nil {
		return fmt.Errorf("verification: look up reviewer %s: %w", was, err)
	}
	if n > 0 {
		rec.Set(fieldReviewedBy, was)
	}
	return nil
}

// finish archives the replaced photo and notifies the student, in the
// save's transaction.
func (o *outcome) finish(ctx context.Context, tx core.App, rec *core.Record) error {
	if o.archive != "" {
		if err := archivePhoto(ctx, tx, o.stored, o.archive); err != nil {
			return err
		}
	}
	var m notify.Message
	switch {
	case o.submitted:
		at := rec.GetDateTime(fieldSubmittedAt).String()
		m = notify.Message{
			User: rec.Id, Kind: notify.KindVerificationPending,
			Key:     "verification:" + rec.Id + ":submitted:" + at,
			Payload: map[string]any{"status": StatusPending, "submitted_at": at},
		}
	case o.decision != "":
		kind := notify.KindVerificationApproved
		if o.decision == StatusRejected {
			kind = notify.KindVerificationRejected
		}
		m = notify.Message{
			User: rec.Id, Kind: kind,
			Key:     "verification:" + rec.Id + ":" + o.decision + ":" + rec.GetDateTime(fieldReviewedAt).String(),
			Payload: map[string]any{"status": o.decision, "reason": rec.GetString(fieldNote)},
		}
	default:
		return nil
	}
	if _, err := notify.Enqueue(tx, m); err != nil {
		return fmt.Errorf("verification: notify %s: %w", rec.Id, err)
	}
	return nil
}

// photoName is the file name of a single file field value: a stored name or
// a file about to be uploaded.
func photoName(raw any) string {
	switch v := raw.(type) {
	case string:
		return v
	case *filesystem.File:
		if v != nil {
			return v.Name
		}
	}
	return ""
}

// status is a record's verification status; an unset one reads as none.
func status(rec *core.Record) string {
	if s := rec.GetString(fieldStatus); s != "" {
		return s
	}
	return StatusNone
}
