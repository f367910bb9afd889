// Package achievements owns awarding achievements: the points and the
// notification every award brings, the award route, and the automatic
// rules evaluated when the events they watch happen. An award is an
// `awards` row, unique per (user, achievement), so nobody gets one twice.
package achievements

import (
	"context"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/audit"
	"questbase/hooks/notify"
	"questbase/hooks/points"
)

// Collection is the awards collection.
const Collection = "awards"

// Register binds the award rules, the route and the automatic rules.
func Register(app core.App, ledger *points.Ledger) {
	app.OnRecordCreate(Collection).BindFunc(onAward)
	bindRoutes(app)
	bindAutoRules(app, ledger)
}

// onAward pays the achievement's points and tells the student, in the
// transaction of the award.
func onAward(e *core.RecordEvent) error {
	actor := audit.ActorOf(e)
	if e.Record.GetString("awarded_by") == "" && (actor.Kind == audit.KindUser || actor.Kind == audit.KindBot) {
		e.Record.Set("awarded_by", actor.ID)
	}
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		ach, err := tx.FindRecordById("achievements", e.Record.GetString("achievement"))
		if err != nil {
			return fmt.Errorf("award %s: achievement: %w", e.Record.Id, err)
		}
		user := e.Record.GetString("user")
		// ref is the achievement: whatever happens to the award row, its
		// points are paid once per user.
		if _, err := points.Award(e.Context, tx, points.Entry{
			User: user, Amount: ach.GetInt("points"), Reason: points.ReasonAchievement, Ref: ach.Id,
			Tags: ach.GetStringSlice("tags"), Actor: e.Record.GetString("awarded_by"),
			Note: ach.GetString("title"),
		}); err != nil {
			return err
		}
		_, err = notify.Enqueue(tx, notify.Message{
			User: user, Kind: notify.KindAchievement, Key: "achievement:" + e.Record.Id,
			Payload: map[string]any{
				"achievement": ach.Id, "title": ach.GetString("title"), "description": ach.GetString("description"),
				"points": ach.GetInt("points"), "image": ach.GetString("image"),
			},
		})
		return err
	})
}

// give awards ach to user unless they have it, in tx, and reports whether
// it did. Writes are serialized, so the check cannot race another award.
func give(ctx context.Context, tx core.App, ach *core.Record, user, source, awardedBy string) (bool, error) {
	existing, err := tx.CountRecords(Collection, dbx.HashExp{"user": user, "achievement": ach.Id})
	if err != nil {
		return false, fmt.Errorf("look up award of %s to %s: %w", ach.Id, user, err)
	}
	if existing > 0 {
		return false, nil
	}
	col, err := tx.FindCachedCollectionByNameOrId(Collection)
	if err != nil {
		return false, err
	}
	rec := core.NewRecord(col)
	rec.Set("user", user)
	rec.Set("achievement", ach.Id)
	rec.Set("source", source)
	rec.Set("awarded_by", awardedBy)
	if err := tx.SaveWithContext(ctx, rec); err != nil {
		return false, fmt.Errorf("award %s to %s: %w", ach.Id, user, err)
	}
	return true, nil
}
