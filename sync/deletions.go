package sync

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/hook"
	"github.com/pocketbase/pocketbase/tools/types"
)

// deletionsTable is the SQLite tombstone log (created by the migration
// 1764300020_sync_deletions).
const deletionsTable = "_sync_deletions"

// bindTombstones records every delete of a mirrored record in the delete's
// own transaction, so that the mirror learns of it without rescanning, and
// a rolled-back delete leaves no tombstone. Cascaded deletes go through
// the same hook. Tombstones are written whether or not a mirror is
// configured: a mirror that was off for a while still catches up.
func bindTombstones(app core.App) {
	app.OnRecordDelete().Bind(&hook.Handler[*core.RecordEvent]{
		Id: "sync.tombstone",
		Func: func(e *core.RecordEvent) error {
			c := e.Record.Collection()
			if !Mirrored(c) {
				return e.Next()
			}
			return e.App.RunInTransaction(func(tx core.App) error {
				e.App = tx
				if err := e.Next(); err != nil {
					return err
				}
				_, err := tx.DB().Insert(deletionsTable, dbx.Params{
					"collection_id": c.Id,
					"collection":    c.Name,
					"record":        e.Record.Id,
					"deleted":       types.NowDateTime().String(),
				}).Execute()
				if err != nil {
					return fmt.Errorf("sync: record the deletion of %s/%s: %w", c.Name, e.Record.Id, err)
				}
				return nil
			})
		},
	})
}

// tombstone is one deleted record.
type tombstone struct {
	Seq          int64
	CollectionID string
	Record       string
}

// readTombstones returns the tombstones after seq, in order, and the
// highest seq of the snapshot (at least seq).
func readTombstones(ctx context.Context, tx *sql.Conn, after int64) ([]tombstone, int64, error) {
	rows, err := tx.QueryContext(ctx, `SELECT seq, collection_id, record FROM `+deletionsTable+` WHERE seq > ? ORDER BY seq`, after)
	if err != nil {
		return nil, 0, fmt.Errorf("read deletions: %w", err)
	}
	defer rows.Close()
	var out []tombstone
	last := after
	for rows.Next() {
		var t tombstone
		if err := rows.Scan(&t.Seq, &t.CollectionID, &t.Record); err != nil {
			return nil, 0, fmt.Errorf("read deletions: %w", err)
		}
		out = append(out, t)
		last = t.Seq
	}
	if err := rows.Err(); err != nil {
		return nil, 0, fmt.Errorf("read deletions: %w", err)
	}
	return out, last, nil
}

// pruneTombstones removes the tombstones PostgreSQL has applied (it keeps
// the applied seq itself, so a failed prune only leaves rows the next run
// skips).
func pruneTombstones(ctx context.Context, app core.App, through int64) error {
	_, err := app.NonconcurrentDB().NewQuery(`DELETE FROM ` + deletionsTable + ` WHERE seq <= {:seq}`).
		WithContext(ctx).Bind(dbx.Params{"seq": through}).Execute()
	if err != nil {
		return fmt.Errorf("prune deletions: %w", err)
	}
	return nil
}
