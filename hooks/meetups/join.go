package meetups

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Join registers user for a meetup, or registers them again after a
// cancellation, by the rules a first registration follows (window, seat or
// waitlist). An active registration is returned as it is. The bot calls it
// with the student as the actor in ctx (audit.WithActor).
func Join(ctx context.Context, app core.App, meetupID, userID, source string) (*core.Record, error) {
	var reg *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		var err error
		reg, err = findRegistration(tx, meetupID, userID)
		switch {
		case err == nil && reg.GetString("status") != Cancelled:
			return nil
		case err == nil:
			reg.Set("status", Registered) // the hook decides: a seat or the waitlist
		case errors.Is(err, sql.ErrNoRows):
			col, err := tx.FindCachedCollectionByNameOrId(RegistrationsCollection)
			if err != nil {
				return err
			}
			reg = core.NewRecord(col)
			reg.Set("meetup", meetupID)
			reg.Set("user", userID)
			reg.Set("source", source)
		default:
			return err
		}
		return tx.SaveWithContext(ctx, reg)
	})
	return reg, err
}

// Leave cancels user's registration for a meetup; the first on the
// waitlist gets the seat. Leaving twice changes nothing.
func Leave(ctx context.Context, app core.App, meetupID, userID string) (*core.Record, error) {
	var reg *core.Record
	err := app.RunInTransaction(func(tx core.App) error {
		var err error
		if reg, err = findRegistration(tx, meetupID, userID); err != nil {
			return err
		}
		if reg.GetString("status") == Cancelled {
			return nil
		}
		reg.Set("status", Cancelled)
		return tx.SaveWithContext(ctx, reg)
	})
	return reg, err
}

// Admit gives user a seat at a meetup whatever its capacity, for a walk-in
// an organizer lets in: their registration is created (source walk_in) or
// reactivated. Pass the transaction the check-in runs in.
func Admit(ctx context.Context, tx core.App, meetupID, userID string) (*core.Record, error) {
	reg, err := findRegistration(tx, meetupID, userID)
	switch {
	case err == nil && reg.GetString("status") == Registered:
		return reg, nil
	case err == nil:
		reg.Set("status", Registered)
	case errors.Is(err, sql.ErrNoRows):
		col, err := tx.FindCachedCollectionByNameOrId(RegistrationsCollection)
		if err != nil {
			return nil, err
		}
		reg = core.NewRecord(col)
		reg.Set("meetup", meetupID)
		reg.Set("user", userID)
		reg.Set("source", SourceWalkIn)
	default:
		return nil, err
	}
	reg.SetRaw(admitKey, true)
	if err := tx.SaveWithContext(ctx, reg); err != nil {
		return nil, fmt.Errorf("meetups: admit %s to %s: %w", userID, meetupID, err)
	}
	return reg, nil
}

func findRegistration(tx core.App, meetupID, userID string) (*core.Record, error) {
	reg := &core.Record{}
	err := tx.RecordQuery(RegistrationsCollection).
		Where(dbx.HashExp{"meetup": meetupID, "user": userID}).Limit(1).One(reg)
	if err != nil {
		return nil, err
	}
	return reg, nil
}
