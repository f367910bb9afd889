package achievements

import (
	"context"
	"fmt"
	"sync/atomic"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/points"
)

// Automatic rules an achievement can carry.
const (
	RuleNone            = "none"
	RuleMeetupsCount    = "meetups_count"     // checked in at rule_count meetups
	RuleMeetupsTagCount = "meetups_tag_count" // ... carrying rule_tag
	RuleCourseCompleted = "course_completed"  // completed rule_course (or any course)
	RuleLevelReached    = "level_reached"     // reached rule_level
)

// ruleIndex remembers which rules some achievement (not archived) carries,
// so that a check-in or a level move in a club without such achievements
// costs no query. It is dropped whenever an achievement changes.
type ruleIndex struct {
	rules    atomic.Pointer[map[string]bool]
	changing atomic.Bool
}

func (ri *ruleIndex) any(tx core.App, rules ...string) (bool, error) {
	m := ri.rules.Load()
	if m == nil {
		var active []string
		err := tx.DB().NewQuery("SELECT DISTINCT rule FROM achievements WHERE archived = FALSE AND rule != '' AND rule != 'none'").Column(&active)
		if err != nil {
			return false, fmt.Errorf("achievement rules: %w", err)
		}
		fresh := map[string]bool{}
		for _, r := range active {
			fresh[r] = true
		}
		// read inside a transaction changing achievements: it may roll back
		if !ri.changing.Load() {
			ri.rules.Store(&fresh)
		}
		m = &fresh
	}
	for _, r := range rules {
		if (*m)[r] {
			return true, nil
		}
	}
	return false, nil
}

func (ri *ruleIndex) bind(app core.App) {
	drop := func(e *core.RecordEvent) error {
		ri.changing.Store(true)
		ri.rules.Store(nil)
		return e.App.RunInTransaction(func(tx core.App) error {
			tx.TxInfo().OnComplete(func(error) error {
				ri.rules.Store(nil)
				ri.changing.Store(false)
				return nil
			})
			e.App = tx
			return e.Next()
		})
	}
	app.OnRecordCreate("achievements").BindFunc(drop)
	app.OnRecordUpdate("achievements").BindFunc(drop)
	app.OnRecordDelete("achievements").BindFunc(drop)
}

// bindAutoRules evaluates the rules in the transaction of the event that
// may satisfy them; the unique (user, achievement) keeps each award single.
func bindAutoRules(app core.App, ledger *points.Ledger) {
	ri := &ruleIndex{}
	ri.bind(app)
	evaluate := func(ctx context.Context, tx core.App, user string, rules ...string) error {
		ok, err := ri.any(tx, rules...)
		if err != nil || !ok {
			return err
		}
		return evaluate(ctx, tx, user, rules...)
	}
	app.OnRecordCreate("checkins").BindFunc(func(e *core.RecordEvent) error {
		return afterSave(e, func(tx core.App) error {
			return evaluate(e.Context, tx, e.Record.GetString("user"), RuleMeetupsCount, RuleMeetupsTagCount)
		})
	})
	app.OnRecordUpdate("enrollments").BindFunc(func(e *core.RecordEvent) error {
		return afterSave(e, func(tx core.App) error {
			if e.Record.GetString("status") != "completed" {
				return nil
			}
			return evaluate(e.Context, tx, e.Record.GetString("user"), RuleCourseCompleted)
		})
	})
	ledger.OnLevelChange().BindFunc(func(lc *points.LevelChange) error {
		if lc.To > lc.From {
			if err := evaluate(context.Background(), lc.App, lc.User, RuleLevelReached); err != nil {
				return err
			}
		}
		return lc.Next()
	})
}

// afterSave runs fn in the save's transaction once the record is stored.
func afterSave(e *core.RecordEvent, fn func(tx core.App) error) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		if err := e.Next(); err != nil {
			return err
		}
		return fn(tx)
	})
}

// evaluate awards every achievement not archived with one of rules that user now
// satisfies and does not have yet.
func evaluate(ctx context.Context, tx core.App, user string, rules ...string) error {
	in := make([]any, len(rules))
	for i, r := range rules {
		in[i] = r
	}
	var candidates []*core.Record
	err := tx.RecordQuery("achievements").
		AndWhere(dbx.In("rule", in...)).
		AndWhere(dbx.HashExp{"archived": false}).
		AndWhere(dbx.NewExp("id NOT IN (SELECT achievement FROM awards WHERE user = {:user})", dbx.Params{"user": user})).
		All(&candidates)
	if err != nil {
		return fmt.Errorf("achievement rules for %s: %w", user, err)
	}
	for _, ach := range candidates {
		ok, err := satisfied(tx, ach, user)
		if err != nil {
			return err
		}
		if !ok {
			continue
		}
		if _, err := give(ctx, tx, ach, user, "auto", ""); err != nil {
			return err
		}
	}
	return nil
}

func satisfied(tx core.App, ach *core.Record, user string) (bool, error) {
	var n int
	var err error
	p := dbx.Params{"user": user, "tag": ach.GetString("rule_tag"), "course": ach.GetString("rule_course")}
	switch ach.GetString("rule") {
	case RuleMeetupsCount:
		err = tx.DB().NewQuery("SELECT count(*) FROM checkins WHERE user = {:user}").Bind(p).Row(&n)
		return err == nil && n >= max(1, ach.GetInt("rule_count")), err
	case RuleMeetupsTagCount:
		err = tx.DB().NewQuery(`SELECT count(*) FROM checkins c JOIN meetups m ON m.id = c.meetup
			WHERE c.user = {:user} AND EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(m.tags) THEN m.tags ELSE '[]' END) WHERE value = {:tag})`).Bind(p).Row(&n)
		return err == nil && p["tag"] != "" && n >= max(1, ach.GetInt("rule_count")), err
	case RuleCourseCompleted:
		err = tx.DB().NewQuery(`SELECT count(*) FROM enrollments
			WHERE user = {:user} AND status = 'completed' AND ({:course} = '' OR course = {:course})`).Bind(p).Row(&n)
		return err == nil && n > 0, err
	case RuleLevelReached:
		err = tx.DB().NewQuery("SELECT level FROM users WHERE id = {:user}").Bind(p).Row(&n)
		return err == nil && n >= ach.GetInt("rule_level"), err
	}
	return false, nil
}
