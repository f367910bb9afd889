// Package claims owns the personal-achievement claim workflow: students
// file claims, reviewers approve (with points and optionally an
// achievement) or reject them with a reason.
package claims

import "github.com/pocketbase/pocketbase/core"

// Register binds the claim rules.
func Register(app core.App) {}
