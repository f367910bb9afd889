package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

// verification_archive keeps the verification photos a student replaced
// (and rejected photos that were removed) until the retention period ends:
// PocketBase itself deletes a replaced file right after the save. Rows are
// written by the verification hooks and deleted by the daily retention job.
func init() {
	m.Register(func(app core.App) error {
		users, err := collectionID(app, "users")
		if err != nil {
			return err
		}
		c := withTimestamps(core.NewBaseCollection("verification_archive"))
		c.Fields.Add(
			relation("user", users, true, true),
			&core.FileField{Name: "photo", Required: true, MaxSelect: 1, MaxSize: imageMaxSize, MimeTypes: imageTypes, Protected: true, Thumbs: []string{"320x320"}},
			// the status, dates and note the photo had when it was archived
			&core.SelectField{Name: "status", Values: []string{"none", "pending", "rejected", "approved"}, MaxSelect: 1},
			&core.DateField{Name: "submitted_at"},
			&core.TextField{Name: "note", Max: 1000},
			relation("reviewed_by", users, false, false),
			&core.DateField{Name: "reviewed_at"},
		)
		c.AddIndex("idx_verification_archive_user", false, "user", "")
		// the retention job selects expired rows by creation time
		c.AddIndex("idx_verification_archive_created", false, "created", "")
		// rules: see 1764300009_rules.go
		if err := app.Save(c); err != nil {
			return fmt.Errorf("verification_archive: %w", err)
		}
		return nil
	}, func(app core.App) error {
		return deleteCollections(app, "verification_archive")
	})
}
