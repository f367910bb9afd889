package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// Indexes the statistics API (hooks/stats) reads through: ledger rows are
// joined to their source record by (reason, ref), with the amount in the
// index so the sum needs no table read; claims are chosen by creation time.
func init() {
	type index struct{ collection, name, columns string }
	indexes := []index{
		{"points", "idx_points_reason_ref_amount", "reason, ref, amount"},
		{"claims", "idx_claims_created", "created"},
	}
	m.Register(func(app core.App) error {
		for _, ix := range indexes {
			c, err := app.FindCollectionByNameOrId(ix.collection)
			if err != nil {
				return fmt.Errorf("stats indexes: %w", err)
			}
			c.AddIndex(ix.name, false, ix.columns, "")
			if err := app.Save(c); err != nil {
				return fmt.Errorf("stats index %s: %w", ix.name, err)
			}
		}
		return nil
	}, func(app core.App) error {
		for _, ix := range indexes {
			c, err := app.FindCollectionByNameOrId(ix.collection)
			if err != nil {
				continue
			}
			c.RemoveIndex(ix.name)
			if err := app.Save(c); err != nil {
				return fmt.Errorf("drop stats index %s: %w", ix.name, err)
			}
		}
		return nil
	})
}
