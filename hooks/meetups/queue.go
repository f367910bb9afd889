package meetups

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/notify"
)

// seatFree reports whether a published meetup has a seat left.
func seatFree(tx core.App, meetup *core.Record) (bool, error) {
	capacity := meetup.GetInt("capacity")
	if capacity <= 0 {
		return true, nil
	}
	n, err := countRegistered(tx, meetup.Id)
	return n < capacity, err
}

func countRegistered(tx core.App, meetup string) (int, error) {
	var n int
	err := tx.DB().Select("count(*)").From(RegistrationsCollection).
		Where(dbx.HashExp{"meetup": meetup, "status": Registered}).Row(&n)
	if err != nil {
		return 0, fmt.Errorf("meetups: count seats of %s: %w", meetup, err)
	}
	return n, nil
}

// nextSeq numbers a (re-)entry into a meetup's queue. Inside the save's
// transaction writes are serialized, so no two entries get one number
// (and a unique index would refuse it if they did).
func nextSeq(tx core.App, meetup string) (int, error) {
	var n int
	err := tx.DB().NewQuery("SELECT COALESCE(MAX(seq), 0) + 1 FROM registrations WHERE meetup = {:m} AND seq > 0").
		Bind(dbx.Params{"m": meetup}).Row(&n)
	if err != nil {
		return 0, fmt.Errorf("meetups: next queue number of %s: %w", meetup, err)
	}
	return n, nil
}

// fillSeats promotes waitlisted registrations, first come first served,
// while the meetup has free seats. Only a published meetup that has not
// ended promotes: a seat of a past or cancelled meetup is worth nothing.
// Each promotion is a registration save (audited, and told to the student
// by the update hook) in the caller's transaction.
func fillSeats(ctx context.Context, tx core.App, meetupID string) error {
	meetup, err := tx.FindRecordById(Collection, meetupID)
	if err != nil {
		return fmt.Errorf("meetups: load %s: %w", meetupID, err)
	}
	if meetup.GetString("status") != StatusPublished || over(meetup, time.Now()) {
		return nil
	}
	for {
		free, err := seatFree(tx, meetup)
		if err != nil || !free {
			return err
		}
		next := &core.Record{}
		err = tx.RecordQuery(RegistrationsCollection).
			Where(dbx.HashExp{"meetup": meetupID, "status": Waitlisted}).
			OrderBy("seq", "created", "id").Limit(1).One(next)
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("meetups: first on the waitlist of %s: %w", meetupID, err)
		}
		next.Set("status", Registered)
		next.SetRaw(promoteKey, true)
		if err := tx.SaveWithContext(ctx, next); err != nil {
			return fmt.Errorf("meetups: promote %s: %w", next.Id, err)
		}
	}
}

// tellPromoted tells a student they got a seat. The key carries the queue
// number, so a second promotion after re-registering is told again, and
// one promotion once.
func tellPromoted(tx core.App, reg *core.Record) error {
	meetup, err := tx.FindRecordById(Collection, reg.GetString("meetup"))
	if err != nil {
		return fmt.Errorf("meetups: load %s: %w", reg.GetString("meetup"), err)
	}
	payload := meetupPayload(meetup)
	payload["registration"] = reg.Id
	_, err = notify.Enqueue(tx, notify.Message{
		User:    reg.GetString("user"),
		Kind:    KindWaitlistPromoted,
		Key:     fmt.Sprintf("%s:%s:%d", KindWaitlistPromoted, reg.Id, reg.GetInt("seq")),
		Payload: payload,
	})
	return err
}
