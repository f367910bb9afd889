// Package verification owns profile verification: a new photo makes the
// status pending, reviewers decide, and old photos are deleted after the
// retention period.
//
// The rules are model hooks on users, so they hold whichever client saves
// the record: the REST API, the dashboard, the bot or Go code. The API
// rules (migrations/1764300009_rules.go) keep students and other staff
// away from the decision fields; the hooks enforce the same for saves that
// skip API rules, and own the fields that describe a decision.
package verification

import (
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/config"
)

// Module names verification rows in the audit log.
const Module = "verification"

// ArchiveCollection holds replaced and rejected photos until the retention
// period ends.
const ArchiveCollection = "verification_archive"

// Verification statuses (users.verification_status).
const (
	StatusNone     = "none"
	StatusPending  = "pending"
	StatusRejected = "rejected"
	StatusApproved = "approved"
)

// Fields of users this package reads and writes.
const (
	fieldPhoto       = "verification_photo"
	fieldStatus      = "verification_status"
	fieldSubmittedAt = "verification_submitted_at"
	fieldNote        = "verification_note"
	fieldReviewedBy  = "verification_reviewed_by"
	fieldReviewedAt  = "verification_reviewed_at"
)

// Register binds the verification rules and the retention job.
func Register(app core.App, cfg config.Config) {
	app.OnRecordCreate("users").BindFunc(onUserSave)
	app.OnRecordUpdate("users").BindFunc(onUserSave)
	app.OnFileDownloadRequest("users").BindFunc(onPhotoDownload)
	retention := cfg.VerificationRetention
	if retention <= 0 {
		// config.Parse never yields this; a hand-built Config may
		retention = config.DefaultVerificationRetention
	}
	bindRetentionJob(app, retention)
}
