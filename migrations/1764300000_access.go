package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/access"
)

func init() {
	m.Register(func(app core.App) error {
		tags := withTimestamps(core.NewBaseCollection("tags"))
		tags.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 50, Presentable: true},
			&core.TextField{Name: "description", Max: 500},
		)
		tags.AddIndex("idx_tags_name", true, "name", "")
		if err := app.Save(tags); err != nil {
			return fmt.Errorf("tags: %w", err)
		}

		roles := withTimestamps(core.NewBaseCollection("roles"))
		roles.Fields.Add(
			&core.TextField{Name: "name", Required: true, Max: 100, Presentable: true},
			&core.SelectField{Name: "permissions", Values: access.Permissions, MaxSelect: len(access.Permissions)},
			relations("scope_tags", tags.Id, maxTags),
			&core.TextField{Name: "description", Max: 500},
		)
		roles.AddIndex("idx_roles_name", true, "name", "")
		if err := app.Save(roles); err != nil {
			return fmt.Errorf("roles: %w", err)
		}

		users, err := app.FindCollectionByNameOrId("users")
		if err != nil {
			return err
		}
		// Students come from the bot and have no e-mail; staff sign in by e-mail.
		if f, ok := users.Fields.GetByName("email").(*core.EmailField); ok {
			f.Required = false
		}
		users.Fields.RemoveByName("name")
		users.Fields.RemoveByName("avatar")
		users.OAuth2.MappedFields.Name = ""
		users.OAuth2.MappedFields.AvatarURL = ""
		users.Fields.Add(
			&core.TextField{Name: "first_name", Max: 100, Presentable: true},
			&core.TextField{Name: "last_name", Max: 100, Presentable: true},
			&core.TextField{Name: "study_group", Max: 50},
			&core.NumberField{Name: "telegram_id", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.TextField{Name: "telegram_username", Max: 64},
			&core.BoolField{Name: "telegram_blocked"},
			&core.SelectField{Name: "language", Values: []string{"ru", "en"}, MaxSelect: 1},
			relations("roles", roles.Id, 20),
			&core.NumberField{Name: "points", OnlyInt: true},
			&core.NumberField{Name: "level", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.SelectField{Name: "verification_status", Values: []string{"none", "pending", "rejected", "approved"}, MaxSelect: 1},
			&core.FileField{Name: "verification_photo", MaxSelect: 1, MaxSize: imageMaxSize, MimeTypes: imageTypes, Protected: true, Thumbs: []string{"320x320"}},
			&core.DateField{Name: "verification_submitted_at"},
			&core.TextField{Name: "verification_note", Max: 1000},
			&core.RelationField{Name: "verification_reviewed_by", CollectionId: users.Id, MaxSelect: 1},
			&core.DateField{Name: "verification_reviewed_at"},
		)
		users.AddIndex("idx_users_telegram_id", true, "telegram_id", "telegram_id > 0")
		// (points, id): the all-time leaderboard pages walk it in order
		users.AddIndex("idx_users_points_id", false, "points, id", "")
		users.AddIndex("idx_users_level", false, "level", "")
		users.AddIndex("idx_users_verification_status", false, "verification_status", "")
		users.AddIndex("idx_users_study_group", false, "study_group", "")
		// Closed sign-up until the rules migration: students are created by
		// the bot, staff by admins.
		users.CreateRule = nil
		if err := app.Save(users); err != nil {
			return fmt.Errorf("users fields: %w", err)
		}

		grants := core.NewViewCollection(access.GrantsCollection)
		grants.ViewQuery = access.GrantsViewQuery
		// Readable only where rules join it; nobody lists it directly.
		if err := app.Save(grants); err != nil {
			return fmt.Errorf("grants view: %w", err)
		}

		profiles := core.NewViewCollection("public_profiles")
		profiles.ViewQuery = `SELECT id, first_name, last_name, points, level,
			CAST(verification_status = 'approved' AS BOOLEAN) AS verified, created
			FROM users`
		if err := app.Save(profiles); err != nil {
			return fmt.Errorf("public_profiles view: %w", err)
		}

		return nil
	}, func(app core.App) error {
		return deleteCollections(app, "public_profiles", access.GrantsCollection, "roles", "tags")
	})
}
