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
		meetupsID, err := collectionID(app, "meetups")
		if err != nil {
			return err
		}

		quizzes := withTimestamps(core.NewBaseCollection("quizzes"))
		quizzes.Fields.Add(
			relation("meetup", meetupsID, true, true),
			&core.TextField{Name: "title", Required: true, Max: 200, Presentable: true},
			// questions: [{"text": "...", "options": ["a", "b"], "correct": [1], "points": 1}]
			&core.JSONField{Name: "questions", MaxSize: 200_000},
			&core.SelectField{Name: "mode", Values: []string{"self_paced", "live"}, MaxSelect: 1},
			&core.SelectField{Name: "status", Values: []string{"draft", "open", "closed"}, MaxSelect: 1},
			// live mode: the question the organizer has opened, from 0
			&core.NumberField{Name: "current_question", OnlyInt: true, Min: types.Pointer(-1.0)},
			&core.NumberField{Name: "points", OnlyInt: true, Min: types.Pointer(0.0)},
		)
		quizzes.AddIndex("idx_quizzes_meetup", false, "meetup", "")
		if err := app.Save(quizzes); err != nil {
			return fmt.Errorf("quizzes: %w", err)
		}

		attempts := withTimestamps(core.NewBaseCollection("quiz_attempts"))
		attempts.Fields.Add(
			relation("quiz", quizzes.Id, true, true),
			relation("user", usersID, true, true),
			// answers: {"0": [1], "1": [0, 2]} by question index
			&core.JSONField{Name: "answers", MaxSize: 20_000},
			&core.NumberField{Name: "score", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.DateField{Name: "finished_at"},
		)
		attempts.AddIndex("idx_quiz_attempts_quiz_user", true, "quiz, user", "")
		attempts.AddIndex("idx_quiz_attempts_user", false, "user", "")
		if err := app.Save(attempts); err != nil {
			return fmt.Errorf("quiz_attempts: %w", err)
		}

		raffles := withTimestamps(core.NewBaseCollection("raffles"))
		raffles.Fields.Add(
			relation("meetup", meetupsID, true, true),
			&core.TextField{Name: "title", Required: true, Max: 200, Presentable: true},
			// prizes: [{"name": "...", "count": 1}]
			&core.JSONField{Name: "prizes", MaxSize: 10_000},
			&core.NumberField{Name: "winners_count", OnlyInt: true, Min: types.Pointer(1.0)},
			&core.SelectField{Name: "eligibility", Values: []string{"registered", "checked_in"}, MaxSelect: 1},
			&core.NumberField{Name: "min_points", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.NumberField{Name: "min_level", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.SelectField{Name: "status", Values: []string{"draft", "committed", "drawn", "cancelled"}, MaxSelect: 1},
			// the seed stays hidden until the draw; its hash is public from the commit on
			&core.TextField{Name: "seed", Hidden: true, Max: 200},
			&core.TextField{Name: "seed_hash", Max: 64},
			&core.TextField{Name: "revealed_seed", Max: 200},
			relations("winners", usersID, 1000),
			&core.NumberField{Name: "eligible_count", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.DateField{Name: "drawn_at"},
			relation("drawn_by", usersID, false, false),
		)
		raffles.AddIndex("idx_raffles_meetup", false, "meetup", "")
		if err := app.Save(raffles); err != nil {
			return fmt.Errorf("raffles: %w", err)
		}
		return nil
	}, func(app core.App) error {
		return deleteCollections(app, "raffles", "quiz_attempts", "quizzes")
	})
}
