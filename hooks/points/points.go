// Package points owns the points ledger and everything derived from it:
// balances (users.points), levels (users.level), level-change events, the
// leaderboard and the `points verify` command. The ledger is append-only;
// every award is a row, unique per (user, reason, ref), so repeating an
// award changes nothing.
package points

import (
	"context"
	"errors"
	"fmt"
	"sync/atomic"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
)

// Collection is the ledger's collection name.
const Collection = "points"

// Reasons a ledger row can have.
const (
	ReasonCheckin          = "checkin"
	ReasonSession          = "session"
	ReasonCourseCompletion = "course_completion"
	ReasonAchievement      = "achievement"
	ReasonClaim            = "claim"
	ReasonQuiz             = "quiz"
	ReasonRaffle           = "raffle"
	ReasonCorrection       = "correction"
)

// Reasons lists every reason, as the migration declares them.
var Reasons = []string{ReasonCheckin, ReasonSession, ReasonCourseCompletion, ReasonAchievement, ReasonClaim, ReasonQuiz, ReasonRaffle, ReasonCorrection}

// isRepeat reports whether err is the unique (user, reason, ref) refusing
// an award that is already in the ledger.
func isRepeat(err error) bool {
	var verrs validation.Errors
	if !errors.As(err, &verrs) {
		return false
	}
	for _, field := range []string{"user", "reason", "ref"} {
		if ve, ok := verrs[field].(validation.Error); ok && ve.Code() == "validation_not_unique" {
			return true
		}
	}
	return false
}

// LevelChange is fired inside the transaction that moved a user's level.
type LevelChange struct {
	hook.Event
	App      core.App // the transaction
	User     string
	From, To int
}

// Ledger is the bound ledger of one app.
type Ledger struct {
	levelChange *hook.Hook[*LevelChange]

	levelCache     atomic.Pointer[levelTable]
	levelsChanging atomic.Bool
}

// OnLevelChange fires when a user's level moves, in the same transaction.
func (l *Ledger) OnLevelChange() *hook.Hook[*LevelChange] { return l.levelChange }

// Register binds the ledger rules to app.
func Register(app core.App) *Ledger {
	l := &Ledger{levelChange: &hook.Hook[*LevelChange]{}}
	l.bindLedger(app)
	l.bindLevels(app)
	bindLeaderboard(app)
	return l
}

// Entry is one award of points.
type Entry struct {
	User   string
	Amount int
	Reason string
	// Ref is the id of the source record (the check-in, the award, ...).
	Ref  string
	Note string
	// Tags of the source, for per-tag leaderboards.
	Tags []string
	// Actor is the users id of whoever caused the award, if a person did.
	Actor string
}

// Award adds e to the ledger unless the same (user, reason, ref) is there
// already, and reports whether it did. The balance, the level and the
// notifications change in the same transaction. A zero amount is no award.
func Award(ctx context.Context, app core.App, e Entry) (bool, error) {
	if e.Amount == 0 {
		return false, nil
	}
	created := false
	err := app.RunInTransaction(func(tx core.App) error {
		col, err := tx.FindCachedCollectionByNameOrId(Collection)
		if err != nil {
			return err
		}
		rec := core.NewRecord(col)
		rec.Set("user", e.User)
		rec.Set("amount", e.Amount)
		rec.Set("reason", e.Reason)
		rec.Set("ref", e.Ref)
		rec.Set("note", e.Note)
		rec.Set("tags", e.Tags)
		rec.Set("actor", e.Actor)
		// PocketBase checks the unique (user, reason, ref) inside this
		// transaction, and writes are serialized (one writer connection),
		// so a repeat is reported here and never reaches the table.
		if err := tx.SaveWithContext(ctx, rec); err != nil {
			if isRepeat(err) {
				return nil
			}
			return fmt.Errorf("award %d %s/%s to %s: %w", e.Amount, e.Reason, e.Ref, e.User, err)
		}
		created = true
		return nil
	})
	return created, err
}
