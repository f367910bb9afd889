package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
)

func init() {
	m.Register(func(app core.App) error {
		audit := core.NewBaseCollection("audit_log")
		audit.Fields.Add(
			// actor is a users id, a _superusers id or empty for the system
			&core.TextField{Name: "actor", Max: 50},
			&core.SelectField{Name: "actor_kind", Required: true, Values: []string{"superuser", "user", "bot", "system", "cron"}, MaxSelect: 1},
			&core.TextField{Name: "actor_name", Max: 200},
			&core.TextField{Name: "module", Required: true, Max: 50},
			&core.TextField{Name: "action", Required: true, Max: 50},
			&core.TextField{Name: "collection", Max: 100},
			&core.TextField{Name: "record", Max: 50},
			// {"field": {"old": ..., "new": ...}}
			&core.JSONField{Name: "changes", MaxSize: 1 << 20},
			&core.AutodateField{Name: "created", OnCreate: true},
		)
		audit.AddIndex("idx_audit_log_module_created", false, "module, created", "")
		audit.AddIndex("idx_audit_log_actor_created", false, "actor, created", "")
		audit.AddIndex("idx_audit_log_collection_record", false, "collection, record", "")
		audit.AddIndex("idx_audit_log_record", false, "record", "")
		audit.AddIndex("idx_audit_log_created", false, "created", "")
		if err := app.Save(audit); err != nil {
			return fmt.Errorf("audit_log: %w", err)
		}

		// Values the service generates once and keeps (e.g. the ticket key
		// when QB_TICKET_SECRET is unset). Superusers only.
		state := withTimestamps(core.NewBaseCollection("app_state"))
		state.Fields.Add(
			&core.TextField{Name: "key", Required: true, Max: 100, Presentable: true},
			&core.TextField{Name: "value", Hidden: true, Max: 10_000},
		)
		state.AddIndex("idx_app_state_key", true, "key", "")
		if err := app.Save(state); err != nil {
			return fmt.Errorf("app_state: %w", err)
		}
		return nil
	}, func(app core.App) error {
		return deleteCollections(app, "app_state", "audit_log")
	})
}
