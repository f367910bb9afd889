package verification

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sync/atomic"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/audit"
)

// JobID names the retention job in PocketBase's cron list (/api/crons) and
// in the audit log.
const JobID = "verification-retention"

// JobSchedule runs the retention job daily at 03:15 UTC, a quiet hour for
// a student club.
const JobSchedule = "15 3 * * *"

// Purged counts what one retention run deleted.
type Purged struct {
	Archived int // verification_archive rows deleted with their photos
	Photos   int // photos of rejected users cleared (the status stays rejected)
}

// PurgeExpired deletes the verification photos whose retention ended by now:
// archived photos (replaced or removed) archived before now-retention, and
// the current photo of users rejected before then. It acts as the cron
// actor. Each photo is deleted in its own transaction, so one failure
// leaves the others done; the failures are returned joined. Running it
// again deletes nothing more.
func PurgeExpired(ctx context.Context, app core.App, now time.Time, retention time.Duration) (Purged, error) {
	var p Purged
	if retention <= 0 {
		return p, fmt.Errorf("verification retention must be positive, got %s", retention)
	}
	cutoff, err := types.ParseDateTime(now.Add(-retention).UTC())
	if err != nil {
		return p, fmt.Errorf("verification retention cutoff: %w", err)
	}
	ctx = audit.WithActor(ctx, audit.Cron(JobID))
	var errs []error

	rows, err := app.FindRecordsByFilter(ArchiveCollection, "created <= {:cutoff}", "created", 0, 0,
		dbx.Params{"cutoff": cutoff.String()})
	if err != nil {
		return p, fmt.Errorf("verification retention: find expired archive rows: %w", err)
	}
	for _, row := range rows {
		if err := ctx.Err(); err != nil {
			return p, errors.Join(append(errs, err)...)
		}
		if err := purgeArchived(ctx, app, row); err != nil {
			errs = append(errs, err)
			continue
		}
		p.Archived++
	}

	users, err := app.FindRecordsByFilter("users", expiredRejection, "verification_reviewed_at", 0, 0,
		dbx.Params{"cutoff": cutoff.String()})
	if err != nil {
		return p, errors.Join(append(errs, fmt.Errorf("verification retention: find expired rejected photos: %w", err))...)
	}
	for _, u := range users {
		if err := ctx.Err(); err != nil {
			return p, errors.Join(append(errs, err)...)
		}
		cleared, err := clearRejectedPhoto(ctx, app, u.Id, cutoff)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if cleared {
			p.Photos++
		}
	}
	return p, errors.Join(errs...)
}

// expiredRejection selects users whose photo was rejected at or before
// {:cutoff} (timestamps have millisecond precision: a photo archived in
// the cutoff's millisecond has expired too).
const expiredRejection = `verification_status = "rejected" && verification_photo != "" && verification_reviewed_at != "" && verification_reviewed_at <= {:cutoff}`

// clearRejectedPhoto clears the photo of a user whose rejection expired. It
// checks again in its transaction: a student who sent a new photo since the
// user was selected keeps it.
func clearRejectedPhoto(ctx context.Context, app core.App, id string, cutoff types.DateTime) (bool, error) {
	cleared := false
	err := app.RunInTransaction(func(tx core.App) error {
		u, err := tx.FindFirstRecordByFilter("users", "id = {:id} && "+expiredRejection,
			dbx.Params{"id": id, "cutoff": cutoff.String()})
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		u.Set(fieldPhoto, "")
		u.SetRaw(purgeKey, true)
		if err := tx.SaveWithContext(ctx, u); err != nil {
			return err
		}
		cleared = true
		return nil
	})
	if err != nil {
		return false, fmt.Errorf("verification retention: clear photo of user %s: %w", id, err)
	}
	return cleared, nil
}

// purgeArchived deletes an archive row's photo, then the row. PocketBase
// would delete the files of a deleted row too, but in the background and
// without reporting a failure; deleting the photo first makes the personal
// data go even if the row delete fails (the next run retries the row).
func purgeArchived(ctx context.Context, app core.App, row *core.Record) error {
	if name := row.GetString("photo"); name != "" {
		if err := deleteFile(ctx, app, row, name); err != nil {
			return fmt.Errorf("verification retention: %w", err)
		}
	}
	audit.Label(row, Module, "purge")
	if err := app.DeleteWithContext(ctx, row); err != nil {
		return fmt.Errorf("verification retention: delete archive row %s: %w", row.Id, err)
	}
	return nil
}

// bindRetentionJob runs PurgeExpired daily. PocketBase starts every due job
// in its own goroutine without an overlap guard: a run still busy (a slow
// S3) makes the next one skip.
func bindRetentionJob(app core.App, retention time.Duration) {
	var running atomic.Bool
	app.Cron().MustAdd(JobID, JobSchedule, func() {
		if !running.CompareAndSwap(false, true) {
			app.Logger().Warn("verification retention: previous run still busy, skipped")
			return
		}
		defer running.Store(false)
		p, err := PurgeExpired(context.Background(), app, time.Now(), retention)
		if err != nil {
			app.Logger().Error("verification retention failed", "error", err, "archived", p.Archived, "photos", p.Photos)
			return
		}
		if p.Archived > 0 || p.Photos > 0 {
			app.Logger().Info("verification retention", "archived", p.Archived, "photos", p.Photos)
		}
	})
}
