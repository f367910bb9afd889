package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// leaderboard_buckets holds each user's points per month (local time,
// "2026-11") and per tag, plus all-time per-tag sums (bucket "*"), kept by
// the ledger hook in the award's transaction. It is derived from `points`
// (rebuilt by `points verify --fix`), so it is a plain table, not a
// collection: nothing reads or writes it through the API, and the mirror
// skips it.
func init() {
	m.Register(func(app core.App) error {
		_, err := app.DB().NewQuery(`CREATE TABLE IF NOT EXISTS leaderboard_buckets (
			bucket TEXT NOT NULL,
			tag    TEXT NOT NULL DEFAULT '',
			user   TEXT NOT NULL,
			amount INTEGER NOT NULL DEFAULT 0,
			PRIMARY KEY (bucket, tag, user)
		) WITHOUT ROWID`).Execute()
		if err != nil {
			return err
		}
		_, err = app.DB().NewQuery("CREATE INDEX IF NOT EXISTS idx_leaderboard_buckets_user ON leaderboard_buckets (user)").Execute()
		return err
	}, func(app core.App) error {
		_, err := app.DB().NewQuery("DROP TABLE IF EXISTS leaderboard_buckets").Execute()
		return err
	})
}
