// Package achievements owns awarding achievements: the award route, the
// points and notification that come with every award, and the automatic
// rules evaluated when the events they watch happen.
package achievements

import (
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/points"
)

// Register binds the award rules.
func Register(app core.App, ledger *points.Ledger) {}
