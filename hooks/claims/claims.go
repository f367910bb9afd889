// Package claims owns the personal-achievement claim workflow: students
// file claims, reviewers approve (with points and optionally an
// achievement) or reject them with a reason.
//
// Every rule is a model hook, so it holds for the REST API, the dashboard,
// the bot and Go code alike; the API rules only decide who reaches a
// record. A decision and everything it causes (reviewer fields, ledger,
// award, notification, audit row) commit or roll back together.
package claims

import (
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/audit"
)

// Collection is the claims collection's name.
const Collection = "claims"

// Claim statuses.
const (
	StatusPending  = "pending"
	StatusApproved = "approved"
	StatusRejected = "rejected"
)

// Audit actions of claim decisions (module "claims").
const (
	ActionApprove = "approve"
	ActionReject  = "reject"
	ActionReopen  = "reopen"
)

// decisionFields are what a decision sets; once a claim is decided only a
// superuser may change them.
var decisionFields = []string{"status", "points", "achievement", "review_note"}

// Register binds the claim rules.
func Register(app core.App) {
	app.OnRecordCreate(Collection).BindFunc(onCreate)
	app.OnRecordUpdate(Collection).BindFunc(onUpdate)
	app.OnRecordUpdateRequest(Collection).BindFunc(markSentStatus)
	app.OnRecordDelete(Collection).BindFunc(func(e *core.RecordEvent) error {
		// A record instance that was saved as a decision still carries that
		// label; its deletion must not be logged as "approve".
		audit.Label(e.Record, audit.Module(Collection), "delete")
		return e.Next()
	})
}

// onCreate files every new claim as pending and undecided, whoever creates
// it: a decision is only ever made by an update, where it is checked.
func onCreate(e *core.RecordEvent) error {
	r := e.Record
	r.Set("status", StatusPending)
	r.Set("points", 0)
	r.Set("achievement", "")
	r.Set("review_note", "")
	r.Set("reviewed_by", "")
	r.Set("reviewed_at", types.DateTime{})
	return e.Next()
}
