package points

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/audit"
)

// levelSQL is a user's level for a points expression: the highest level
// whose minimum the points reach, or the lowest level when they reach none
// (a negative balance after a correction).
const levelSQL = `COALESCE(
	(SELECT number FROM levels WHERE min_points <= %[1]s ORDER BY min_points DESC LIMIT 1),
	(SELECT MIN(number) FROM levels), 0)`

func levelFor(app core.App, points int) (int, error) {
	var level int
	err := app.DB().NewQuery("SELECT " + fmt.Sprintf(levelSQL, "{:points}")).Bind(dbx.Params{"points": points}).Row(&level)
	if err != nil {
		return 0, fmt.Errorf("level for %d points: %w", points, err)
	}
	return level, nil
}

// bindLevels re-levels everyone whenever the level table changes, in the
// same transaction as the change.
func (l *Ledger) bindLevels(app core.App) {
	relevel := func(e *core.RecordEvent) error {
		return e.App.RunInTransaction(func(tx core.App) error {
			e.App = tx
			if err := e.Next(); err != nil {
				return err
			}
			return l.relevelAll(tx, audit.ActorOf(e), "levels:"+core.GenerateDefaultRandomId())
		})
	}
	app.OnRecordCreate("levels").BindFunc(relevel)
	app.OnRecordUpdate("levels").BindFunc(relevel)
	app.OnRecordDelete("levels").BindFunc(relevel)
}

// relevelAll sets every user's level from their points and notifies those
// whose level moved. keyPrefix makes this run's notifications unique.
func (l *Ledger) relevelAll(tx core.App, actor audit.Actor, keyPrefix string) error {
	var moved []struct {
		ID    string `db:"id"`
		Level int    `db:"level"`
		Want  int    `db:"want"`
	}
	err := tx.DB().NewQuery(`SELECT id, level, want FROM (
		SELECT id, level, ` + fmt.Sprintf(levelSQL, "users.points") + ` AS want FROM users
	) WHERE level != want`).All(&moved)
	if err != nil {
		return fmt.Errorf("relevel: %w", err)
	}
	now := types.NowDateTime().String()
	for _, u := range moved {
		if _, err := tx.DB().Update("users", dbx.Params{"level": u.Want, "updated": now}, dbx.HashExp{"id": u.ID}).Execute(); err != nil {
			return fmt.Errorf("relevel %s: %w", u.ID, err)
		}
		if err := audit.Write(tx, audit.Entry{
			Actor: actor, Module: "points", Action: "relevel", Collection: "users", Record: u.ID,
			Changes: map[string]any{"level": map[string]int{"old": u.Level, "new": u.Want}},
		}); err != nil {
			return err
		}
		if err := l.levelMoved(tx, u.ID, u.Level, u.Want, keyPrefix+":"+u.ID); err != nil {
			return err
		}
	}
	return nil
}
