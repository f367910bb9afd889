package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

func init() {
	m.Register(func(app core.App) error {
		usersID, err := collectionID(app, "users")
		if err != nil {
			return err
		}
		tagsID, err := collectionID(app, "tags")
		if err != nil {
			return err
		}

		meetups := withTimestamps(core.NewBaseCollection("meetups"))
		meetups.Fields.Add(
			&core.TextField{Name: "title", Required: true, Max: 200, Presentable: true},
			&core.FileField{Name: "banner", MaxSelect: 1, MaxSize: imageMaxSize, MimeTypes: imageTypes, Thumbs: bannerThumbs},
			&core.EditorField{Name: "description", MaxSize: 50_000},
			&core.DateField{Name: "starts_at", Required: true},
			&core.DateField{Name: "ends_at"},
			&core.TextField{Name: "location", Max: 300},
			// agenda: [{"at": "18:00", "title": "...", "speaker": "..."}]
			&core.JSONField{Name: "agenda", MaxSize: 20_000},
			relations("tags", tagsID, maxTags),
			&core.NumberField{Name: "points", OnlyInt: true, Min: types.Pointer(0.0)},
			// 0 means no limit
			&core.NumberField{Name: "capacity", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.DateField{Name: "registration_opens_at"},
			&core.DateField{Name: "registration_closes_at"},
			&core.SelectField{Name: "status", Values: []string{"draft", "published", "cancelled", "finished"}, MaxSelect: 1},
			&core.URLField{Name: "feedback_url"},
			relation("created_by", usersID, false, false),
		)
		meetups.AddIndex("idx_meetups_status_starts_at", false, "status, starts_at", "")
		meetups.AddIndex("idx_meetups_starts_at", false, "starts_at", "")
		if err := app.Save(meetups); err != nil {
			return fmt.Errorf("meetups: %w", err)
		}

		registrations := withTimestamps(core.NewBaseCollection("registrations"))
		registrations.Fields.Add(
			relation("meetup", meetups.Id, true, true),
			relation("user", usersID, true, true),
			&core.SelectField{Name: "status", Values: []string{"registered", "waitlisted", "cancelled"}, MaxSelect: 1},
			&core.SelectField{Name: "source", Values: []string{"bot", "app", "web", "walk_in", "admin"}, MaxSelect: 1},
			&core.DateField{Name: "cancelled_at"},
			&core.DateField{Name: "promoted_at"},
		)
		registrations.AddIndex("idx_registrations_meetup_user", true, "meetup, user", "")
		registrations.AddIndex("idx_registrations_user", false, "user", "")
		registrations.AddIndex("idx_registrations_meetup_status_created", false, "meetup, status, created", "")
		if err := app.Save(registrations); err != nil {
			return fmt.Errorf("registrations: %w", err)
		}

		checkins := withTimestamps(core.NewBaseCollection("checkins"))
		checkins.Fields.Add(
			relation("meetup", meetups.Id, true, true),
			relation("user", usersID, true, true),
			relation("registration", registrations.Id, false, false),
			relation("scanned_by", usersID, false, false),
			&core.SelectField{Name: "method", Values: []string{"qr", "rotating_qr", "code", "walk_in", "manual"}, MaxSelect: 1},
		)
		checkins.AddIndex("idx_checkins_meetup_user", true, "meetup, user", "")
		checkins.AddIndex("idx_checkins_user", false, "user", "")
		checkins.AddIndex("idx_checkins_scanned_by", false, "scanned_by", "")
		if err := app.Save(checkins); err != nil {
			return fmt.Errorf("checkins: %w", err)
		}

		feedback := withTimestamps(core.NewBaseCollection("feedback"))
		feedback.Fields.Add(
			relation("meetup", meetups.Id, true, true),
			relation("user", usersID, true, true),
			&core.NumberField{Name: "rating", Required: true, OnlyInt: true, Min: types.Pointer(1.0), Max: types.Pointer(5.0)},
			&core.TextField{Name: "comment", Max: 2000},
		)
		feedback.AddIndex("idx_feedback_meetup_user", true, "meetup, user", "")
		feedback.AddIndex("idx_feedback_user", false, "user", "")
		if err := app.Save(feedback); err != nil {
			return fmt.Errorf("feedback: %w", err)
		}
		return nil
	}, func(app core.App) error {
		return deleteCollections(app, "feedback", "checkins", "registrations", "meetups")
	})
}
