package migrations

import (
	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// _sync_deletions is the reporting mirror's tombstone log (package sync
// owns its rows): a delete hook adds one row per deleted record of a
// mirrored collection, in the delete's transaction; the mirror job applies
// the rows to PostgreSQL and removes them. A plain table rather than a
// collection: it is bookkeeping, so it needs no API, audit or dashboard.
// seq is AUTOINCREMENT so that numbers are never reused and follow commit
// order (SQLite has one writer at a time).
func init() {
	m.Register(func(app core.App) error {
		_, err := app.DB().NewQuery(`CREATE TABLE IF NOT EXISTS _sync_deletions (
			seq           INTEGER PRIMARY KEY AUTOINCREMENT,
			collection_id TEXT NOT NULL,
			collection    TEXT NOT NULL,
			record        TEXT NOT NULL,
			deleted       TEXT NOT NULL
		)`).Execute()
		return err
	}, func(app core.App) error {
		_, err := app.DB().NewQuery(`DROP TABLE IF EXISTS _sync_deletions`).Execute()
		return err
	})
}
