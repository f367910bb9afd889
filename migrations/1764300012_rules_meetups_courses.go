package migrations

import (
	m "github.com/pocketbase/pocketbase/migrations"
)

// Re-applies the rules table after issue 4 changed it: students register
// again after cancelling, scoped scanners fetch the photos of people at
// their meetups (file tokens only), hosts no longer publish or archive.
func init() {
	m.Register(applyRules, nil)
}
