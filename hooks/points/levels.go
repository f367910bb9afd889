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

// levelTable is the level table in memory, highest minimum first: every
// award needs it, and it changes a few times a year.
type levelTable []struct {
	Number    int `db:"number"`
	MinPoints int `db:"min_points"`
}

// of returns the level for points, as levelSQL does.
func (t levelTable) of(points int) int {
	for _, l := range t {
		if l.MinPoints <= points {
			return l.Number
		}
	}
	if len(t) == 0 {
		return 0
	}
	lowest := t[0].Number
	for _, l := range t {
		lowest = min(lowest, l.Number)
	}
	return lowest
}

// levels returns the cached table, loading it through app when needed.
func (l *Ledger) levels(app core.App) (levelTable, error) {
	if t := l.levelCache.Load(); t != nil {
		return *t, nil
	}
	var t levelTable
	if err := app.DB().NewQuery("SELECT number, min_points FROM levels ORDER BY min_points DESC").All(&t); err != nil {
		return nil, fmt.Errorf("load levels: %w", err)
	}
	// A table read inside a transaction that changes levels is not cached:
	// it could still roll back.
	if !l.levelsChanging.Load() {
		l.levelCache.Store(&t)
	}
	return t, nil
}

// bindLevels re-levels everyone whenever the level table changes, in the
// same transaction as the change.
func (l *Ledger) bindLevels(app core.App) {
	relevel := func(e *core.RecordEvent) error {
		l.levelsChanging.Store(true)
		l.levelCache.Store(nil)
		return e.App.RunInTransaction(func(tx core.App) error {
			e.App = tx
			tx.TxInfo().OnComplete(func(error) error {
				l.levelCache.Store(nil)
				l.levelsChanging.Store(false)
				return nil
			})
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
