package migrations

import (
	"fmt"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/dbutils"
)

// The reporting mirror reads each collection's rows changed since its last
// run (`updated >= watermark`); without an index that is a scan of the
// whole table every minute (0.6 s for a million ledger rows). Collections
// created later add their own `idx_<name>_updated` (sync logs a warning
// for a mirrored collection without one).
func init() {
	m.Register(func(app core.App) error {
		cols, err := app.FindAllCollections(core.CollectionTypeBase, core.CollectionTypeAuth)
		if err != nil {
			return err
		}
		for _, c := range cols {
			if c.System || c.Fields.GetByName("updated") == nil || hasLeadingIndex(c, "updated") {
				continue
			}
			c.AddIndex("idx_"+c.Name+"_updated", false, "updated", "")
			if err := app.Save(c); err != nil {
				return fmt.Errorf("index %s.updated: %w", c.Name, err)
			}
		}
		return nil
	}, func(app core.App) error {
		cols, err := app.FindAllCollections(core.CollectionTypeBase, core.CollectionTypeAuth)
		if err != nil {
			return err
		}
		for _, c := range cols {
			if c.GetIndex("idx_"+c.Name+"_updated") == "" {
				continue
			}
			c.RemoveIndex("idx_" + c.Name + "_updated")
			if err := app.Save(c); err != nil {
				return err
			}
		}
		return nil
	})
}

// hasLeadingIndex reports whether an index of c starts with column.
func hasLeadingIndex(c *core.Collection, column string) bool {
	for _, idx := range c.Indexes {
		parsed := dbutils.ParseIndex(idx)
		if len(parsed.Columns) > 0 && strings.EqualFold(parsed.Columns[0].Name, column) {
			return true
		}
	}
	return false
}
