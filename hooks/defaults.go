package hooks

import (
	"github.com/pocketbase/pocketbase/core"
)

// fieldDefaults are the values a new record gets for fields left empty.
// PocketBase has no column defaults, and clients (the bot, the pages, the
// dashboard) should not each have to know them.
var fieldDefaults = map[string]map[string]any{
	"users":         {"level": 1, "verification_status": "none"},
	"meetups":       {"status": "draft"},
	"registrations": {"status": "registered", "source": "web"},
	"checkins":      {"method": "qr"},
	"courses":       {"status": "draft", "completion_share": 0.8},
	"enrollments":   {"status": "enrolled"},
	"attendance":    {"method": "manual"},
	"achievements":  {"rule": "none"},
	"awards":        {"source": "manual"},
	"claims":        {"status": "pending"},
	"broadcasts":    {"kind": "message", "audience": "everyone", "status": "draft"},
	"outbox":        {"status": "pending"},
	"quizzes":       {"mode": "self_paced", "status": "draft", "current_question": -1},
	"raffles":       {"status": "draft", "eligibility": "checked_in", "winners_count": 1},
}

func bindDefaults(app core.App) {
	for collection, defaults := range fieldDefaults {
		app.OnRecordCreate(collection).BindFunc(func(e *core.RecordEvent) error {
			for field, v := range defaults {
				if isEmpty(e.Record.Get(field)) {
					e.Record.Set(field, v)
				}
			}
			return e.Next()
		})
	}
}

func isEmpty(v any) bool {
	switch x := v.(type) {
	case nil:
		return true
	case string:
		return x == ""
	case []string:
		return len(x) == 0
	case float64:
		// only numbers whose zero is not a meaningful choice have defaults
		return x == 0
	}
	return false
}
