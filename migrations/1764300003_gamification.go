package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// LedgerReasons are the sources of points; (user, reason, ref) is unique.
var LedgerReasons = []string{"checkin", "session", "course_completion", "achievement", "claim", "quiz", "raffle", "correction"}

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
		coursesID, err := collectionID(app, "courses")
		if err != nil {
			return err
		}

		levels := withTimestamps(core.NewBaseCollection("levels"))
		levels.Fields.Add(
			&core.NumberField{Name: "number", Required: true, OnlyInt: true, Min: types.Pointer(1.0)},
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true},
			&core.NumberField{Name: "min_points", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.FileField{Name: "image", MaxSelect: 1, MaxSize: imageMaxSize, MimeTypes: imageTypes, Thumbs: []string{"100x100"}},
		)
		levels.AddIndex("idx_levels_number", true, "number", "")
		levels.AddIndex("idx_levels_min_points", true, "min_points", "")
		if err := app.Save(levels); err != nil {
			return fmt.Errorf("levels: %w", err)
		}

		achievements := withTimestamps(core.NewBaseCollection("achievements"))
		achievements.Fields.Add(
			&core.TextField{Name: "title", Required: true, Max: 100, Presentable: true},
			&core.TextField{Name: "description", Max: 500},
			&core.FileField{Name: "image", MaxSelect: 1, MaxSize: imageMaxSize, MimeTypes: imageTypes, Thumbs: []string{"100x100", "256x256"}},
			&core.NumberField{Name: "points", OnlyInt: true, Min: types.Pointer(0.0)},
			relations("tags", tagsID, maxTags),
			&core.BoolField{Name: "archived"},
			// optional automatic rule; its parameters follow
			&core.SelectField{Name: "rule", Values: []string{"none", "meetups_count", "meetups_tag_count", "course_completed", "level_reached"}, MaxSelect: 1},
			&core.NumberField{Name: "rule_count", OnlyInt: true, Min: types.Pointer(0.0)},
			relation("rule_tag", tagsID, false, false),
			relation("rule_course", coursesID, false, false),
			&core.NumberField{Name: "rule_level", OnlyInt: true, Min: types.Pointer(0.0)},
		)
		achievements.AddIndex("idx_achievements_rule", false, "rule", "")
		if err := app.Save(achievements); err != nil {
			return fmt.Errorf("achievements: %w", err)
		}

		claims := withTimestamps(core.NewBaseCollection("claims"))
		claims.Fields.Add(
			relation("user", usersID, true, true),
			&core.TextField{Name: "title", Required: true, Max: 200, Presentable: true},
			&core.TextField{Name: "description", Max: 5000},
			&core.FileField{
				Name: "attachments", MaxSelect: 5, MaxSize: uploadMaxSize, Protected: true,
				MimeTypes: append(append([]string{}, imageTypes...), "application/pdf"),
				Thumbs:    []string{"320x320"},
			},
			relations("tags", tagsID, maxTags),
			&core.SelectField{Name: "status", Values: []string{"pending", "approved", "rejected"}, MaxSelect: 1},
			&core.NumberField{Name: "points", OnlyInt: true, Min: types.Pointer(0.0)},
			relation("achievement", achievements.Id, false, false),
			&core.TextField{Name: "review_note", Max: 2000},
			relation("reviewed_by", usersID, false, false),
			&core.DateField{Name: "reviewed_at"},
		)
		claims.AddIndex("idx_claims_user", false, "user", "")
		claims.AddIndex("idx_claims_status_created", false, "status, created", "")
		claims.AddIndex("idx_claims_reviewed_by", false, "reviewed_by", "")
		if err := app.Save(claims); err != nil {
			return fmt.Errorf("claims: %w", err)
		}

		awards := withTimestamps(core.NewBaseCollection("awards"))
		awards.Fields.Add(
			relation("user", usersID, true, true),
			relation("achievement", achievements.Id, true, true),
			&core.SelectField{Name: "source", Values: []string{"manual", "auto", "claim"}, MaxSelect: 1},
			relation("awarded_by", usersID, false, false),
			relation("claim", claims.Id, false, false),
			&core.TextField{Name: "note", Max: 1000},
		)
		awards.AddIndex("idx_awards_user_achievement", true, "user, achievement", "")
		awards.AddIndex("idx_awards_achievement", false, "achievement", "")
		if err := app.Save(awards); err != nil {
			return fmt.Errorf("awards: %w", err)
		}

		ledger := withTimestamps(core.NewBaseCollection("points"))
		ledger.Fields.Add(
			relation("user", usersID, true, true),
			&core.NumberField{Name: "amount", Required: true, OnlyInt: true},
			&core.SelectField{Name: "reason", Required: true, Values: LedgerReasons, MaxSelect: 1},
			// id of the source record (check-in, award, claim, ...)
			&core.TextField{Name: "ref", Max: 64},
			relation("actor", usersID, false, false),
			&core.TextField{Name: "note", Max: 1000},
			// tags of the source, for per-tag leaderboards
			relations("tags", tagsID, maxTags),
		)
		ledger.AddIndex("idx_points_user_reason_ref", true, "user, reason, ref", "")
		// covering for period sums: created range → (user, amount) without table reads
		ledger.AddIndex("idx_points_created_user_amount", false, "created, user, amount", "")
		ledger.AddIndex("idx_points_reason", false, "reason", "")
		if err := app.Save(ledger); err != nil {
			return fmt.Errorf("points: %w", err)
		}
		return nil
	}, func(app core.App) error {
		return deleteCollections(app, "points", "awards", "claims", "achievements", "levels")
	})
}
