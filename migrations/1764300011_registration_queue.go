package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Registrations get their place in the meetup's queue: seq numbers
// (re-)entries in the order the service accepted them, so the waitlist is
// promoted in that order even when two registrations share a millisecond.
func init() {
	m.Register(func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("registrations")
		if err != nil {
			return err
		}
		c.Fields.Add(&core.NumberField{Name: "seq", OnlyInt: true, Min: types.Pointer(0.0)})
		c.AddIndex("idx_registrations_meetup_status_seq", false, "meetup, status, seq", "")
		c.AddIndex("idx_registrations_meetup_seq", true, "meetup, seq", "seq > 0")
		if err := app.Save(c); err != nil {
			return fmt.Errorf("registrations queue: %w", err)
		}
		return nil
	}, func(app core.App) error {
		c, err := app.FindCollectionByNameOrId("registrations")
		if err != nil {
			return err
		}
		c.RemoveIndex("idx_registrations_meetup_seq")
		c.RemoveIndex("idx_registrations_meetup_status_seq")
		c.Fields.RemoveByName("seq")
		return app.Save(c)
	})
}
