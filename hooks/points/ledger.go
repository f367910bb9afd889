package points

import (
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/audit"
	"questbase/hooks/notify"
)

// ErrAppendOnly answers any attempt to edit or delete a ledger row.
var ErrAppendOnly = errors.New("ledger rows cannot be changed or deleted; add a correction instead")

func (l *Ledger) bindLedger(app core.App) {
	app.OnRecordCreate(Collection).BindFunc(l.onLedgerCreate)

	refuse := func(e *core.RecordRequestEvent) error {
		return e.ForbiddenError(ErrAppendOnly.Error(), nil)
	}
	app.OnRecordUpdateRequest(Collection).BindFunc(refuse)
	app.OnRecordDeleteRequest(Collection).BindFunc(refuse)

	// A removed user leaves no sums behind on the boards.
	app.OnRecordDelete("users").BindFunc(func(e *core.RecordEvent) error {
		if err := e.Next(); err != nil {
			return err
		}
		_, err := e.App.DB().NewQuery("DELETE FROM leaderboard_buckets WHERE user = {:user}").Bind(dbx.Params{"user": e.Record.Id}).Execute()
		return err
	})

	// Balances belong to the ledger: a users save never writes them.
	app.OnRecordUpdateRequest("users").BindFunc(refuseBalanceEdits)
	app.OnRecordUpdate("users").BindFunc(keepStoredBalance)
}

// onLedgerCreate checks a new row and moves the user's balance and level in
// the same transaction.
func (l *Ledger) onLedgerCreate(e *core.RecordEvent) error {
	rec := e.Record
	amount := rec.GetInt("amount")
	errs := validation.Errors{}
	if amount == 0 {
		errs["amount"] = validation.NewError("validation_zero_amount", "The amount must not be zero.")
	}
	switch rec.GetString("reason") {
	case ReasonCorrection:
		if rec.GetString("note") == "" {
			errs["note"] = validation.NewError("validation_note_required", "A correction needs a note saying why.")
		}
		if rec.GetString("ref") == "" {
			rec.Set("ref", "correction_"+core.GenerateDefaultRandomId())
		}
	default:
		if rec.GetString("ref") == "" {
			errs["ref"] = validation.NewError("validation_ref_required", "An award must name its source.")
		}
	}
	if len(errs) > 0 {
		return errs
	}
	actor := audit.ActorOf(e)
	if rec.GetString("actor") == "" && (actor.Kind == audit.KindUser || actor.Kind == audit.KindBot) {
		rec.Set("actor", actor.ID)
	}

	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		return l.applyBalance(tx, rec)
	})
}

func (l *Ledger) applyBalance(tx core.App, row *core.Record) error {
	userID, amount := row.GetString("user"), row.GetInt("amount")
	var points int
	err := tx.DB().NewQuery(`UPDATE users SET points = points + {:amount}, updated = {:now}
		WHERE id = {:user} RETURNING points`).
		Bind(dbx.Params{"amount": amount, "user": userID, "now": types.NowDateTime().String()}).Row(&points)
	if err != nil {
		return fmt.Errorf("update balance of %s: %w", userID, err)
	}
	// Stored levels always match their balance (the level table's hooks
	// re-level everyone on change), so the old level follows from the old
	// balance.
	table, err := l.levels(tx)
	if err != nil {
		return err
	}
	level, oldLevel := table.of(points), table.of(points-amount)
	if level != oldLevel {
		if _, err := tx.DB().Update("users", dbx.Params{"level": level}, dbx.HashExp{"id": userID}).Execute(); err != nil {
			return fmt.Errorf("update level of %s: %w", userID, err)
		}
	}
	if err := addToBuckets(tx, row); err != nil {
		return err
	}
	// the ledger row's audit entry records what it did to the balance
	audit.Annotate(row, "user.points", points-amount, points)
	if level != oldLevel {
		audit.Annotate(row, "user.level", oldLevel, level)
	}

	if _, err := notify.Enqueue(tx, notify.Message{
		User: userID, Kind: notify.KindPoints, Key: "points:" + row.Id,
		Payload: map[string]any{
			"amount": amount, "reason": row.GetString("reason"), "ref": row.GetString("ref"),
			"note": row.GetString("note"), "balance": points,
		},
	}); err != nil {
		return err
	}
	if level != oldLevel {
		return l.levelMoved(tx, userID, oldLevel, level, "level:"+row.Id)
	}
	return nil
}

// levelMoved notifies the student and fires OnLevelChange.
func (l *Ledger) levelMoved(tx core.App, userID string, from, to int, key string) error {
	kind := notify.KindLevelUp
	if to < from {
		kind = notify.KindLevelDown
	}
	payload := map[string]any{"from": from, "to": to}
	if lvl, err := tx.FindFirstRecordByData("levels", "number", to); err == nil {
		payload["title"] = lvl.GetString("title")
	}
	if _, err := notify.Enqueue(tx, notify.Message{User: userID, Kind: kind, Key: key, Payload: payload}); err != nil {
		return err
	}
	return l.levelChange.Trigger(&LevelChange{App: tx, User: userID, From: from, To: to})
}

// refuseBalanceEdits answers a request that tries to set points or level
// (to a value other than the stored one) with a 400: the dashboard sends
// unchanged values back with every save, and those must keep working.
func refuseBalanceEdits(e *core.RecordRequestEvent) error {
	info, err := e.RequestInfo()
	if err != nil {
		return err
	}
	errs := validation.Errors{}
	for _, f := range []string{"points", "level"} {
		v, ok := info.Body[f]
		if !ok {
			continue
		}
		if fmt.Sprint(v) != fmt.Sprint(e.Record.Original().GetInt(f)) {
			errs[f] = validation.NewError("validation_ledger_only", "Points and levels change only through the ledger: add a correction.")
		}
	}
	if len(errs) > 0 {
		return e.BadRequestError("Points and levels are kept by the ledger.", errs)
	}
	return e.Next()
}

// keepStoredBalance overwrites points and level of a users save with the
// stored values, so a save from a stale copy of the record cannot undo an
// award made meanwhile.
func keepStoredBalance(e *core.RecordEvent) error {
	var stored struct {
		Points int `db:"points"`
		Level  int `db:"level"`
	}
	err := e.App.DB().Select("points", "level").From("users").Where(dbx.HashExp{"id": e.Record.Id}).One(&stored)
	if err != nil {
		return fmt.Errorf("stored balance of %s: %w", e.Record.Id, err)
	}
	e.Record.Set("points", stored.Points)
	e.Record.Set("level", stored.Level)
	return e.Next()
}
