package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// The ledger's (reason) index is a prefix of (reason, ref, amount): every
// query it served is served by the longer one, and each award paid for
// keeping both.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("points")
		if err != nil {
			return fmt.Errorf("points reason index: %w", err)
		}
		c.RemoveIndex("idx_points_reason")
		if err := app.Save(c); err != nil {
			return fmt.Errorf("drop idx_points_reason: %w", err)
		}
		return nil
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("points")
		if err != nil {
			return fmt.Errorf("points reason index: %w", err)
		}
		c.AddIndex("idx_points_reason", false, "reason", "")
		return app.Save(c)
	})
}
