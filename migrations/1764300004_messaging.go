package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

func init() {
	m.Register(func(app core.App) error {
		ids := map[string]string{}
		for _, name := range []string{"users", "tags", "meetups", "courses"} {
			id, err := collectionID(app, name)
			if err != nil {
				return err
			}
			ids[name] = id
		}

		broadcasts := withTimestamps(core.NewBaseCollection("broadcasts"))
		broadcasts.Fields.Add(
			&core.TextField{Name: "title", Required: true, Max: 200, Presentable: true},
			&core.SelectField{Name: "kind", Values: []string{"message", "poll"}, MaxSelect: 1},
			&core.TextField{Name: "text", Max: 4096},
			&core.FileField{Name: "image", MaxSelect: 1, MaxSize: imageMaxSize, MimeTypes: imageTypes, Thumbs: []string{"480x270"}},
			// link buttons: [{"text": "...", "url": "https://..."}]
			&core.JSONField{Name: "buttons", MaxSize: 5_000},
			&core.TextField{Name: "poll_question", Max: 300},
			// poll options: ["...", "..."]
			&core.JSONField{Name: "poll_options", MaxSize: 5_000},
			&core.BoolField{Name: "poll_multiple"},
			&core.SelectField{Name: "audience", Values: []string{"everyone", "meetup_registered", "meetup_checked_in", "course", "tag", "level", "verified"}, MaxSelect: 1},
			relation("audience_meetup", ids["meetups"], false, false),
			relation("audience_course", ids["courses"], false, false),
			relation("audience_tag", ids["tags"], false, false),
			&core.NumberField{Name: "audience_level", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.DateField{Name: "scheduled_at"},
			&core.SelectField{Name: "status", Values: []string{"draft", "scheduled", "sending", "sent", "cancelled"}, MaxSelect: 1},
			relation("created_by", ids["users"], false, false),
			&core.DateField{Name: "started_at"},
			&core.DateField{Name: "finished_at"},
		)
		broadcasts.AddIndex("idx_broadcasts_status_scheduled_at", false, "status, scheduled_at", "")
		broadcasts.AddIndex("idx_broadcasts_audience_meetup", false, "audience_meetup", "")
		broadcasts.AddIndex("idx_broadcasts_audience_course", false, "audience_course", "")
		if err := app.Save(broadcasts); err != nil {
			return fmt.Errorf("broadcasts: %w", err)
		}

		outbox := withTimestamps(core.NewBaseCollection("outbox"))
		outbox.Fields.Add(
			relation("user", ids["users"], true, true),
			&core.TextField{Name: "kind", Required: true, Max: 50},
			&core.JSONField{Name: "payload", MaxSize: 50_000},
			// one row per event and recipient, whatever retries the event had
			&core.TextField{Name: "dedupe_key", Required: true, Max: 200},
			&core.SelectField{Name: "status", Values: []string{"pending", "sending", "sent", "failed", "blocked", "ambiguous", "cancelled"}, MaxSelect: 1},
			&core.NumberField{Name: "attempts", OnlyInt: true, Min: types.Pointer(0.0)},
			&core.TextField{Name: "last_error", Max: 2000},
			&core.DateField{Name: "send_after"},
			&core.DateField{Name: "sending_at"},
			&core.DateField{Name: "sent_at"},
			relation("broadcast", broadcasts.Id, false, true),
			&core.NumberField{Name: "telegram_message_id", OnlyInt: true},
			&core.TextField{Name: "telegram_poll_id", Max: 100},
		)
		outbox.AddIndex("idx_outbox_dedupe_key", true, "dedupe_key", "")
		outbox.AddIndex("idx_outbox_status_send_after", false, "status, send_after", "")
		outbox.AddIndex("idx_outbox_user", false, "user", "")
		outbox.AddIndex("idx_outbox_broadcast_status", false, "broadcast, status", "")
		outbox.AddIndex("idx_outbox_telegram_poll_id", false, "telegram_poll_id", "telegram_poll_id != ''")
		if err := app.Save(outbox); err != nil {
			return fmt.Errorf("outbox: %w", err)
		}

		votes := withTimestamps(core.NewBaseCollection("poll_votes"))
		votes.Fields.Add(
			relation("broadcast", broadcasts.Id, true, true),
			relation("user", ids["users"], true, true),
			&core.TextField{Name: "poll_id", Max: 100},
			// chosen option indexes; empty when the vote was retracted
			&core.JSONField{Name: "options", MaxSize: 1_000},
		)
		votes.AddIndex("idx_poll_votes_broadcast_user", true, "broadcast, user", "")
		votes.AddIndex("idx_poll_votes_user", false, "user", "")
		if err := app.Save(votes); err != nil {
			return fmt.Errorf("poll_votes: %w", err)
		}
		return nil
	}, func(app core.App) error {
		return deleteCollections(app, "poll_votes", "outbox", "broadcasts")
	})
}
