package bot

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The bot's bookkeeping in app_state: the next update id, and per student
// what a conversation waits for (telegram.<what>.<users id>), so that
// every dialog survives a restart.

// readState reads an app_state value ("" when unset).
func readState(app core.App, key string) (string, error) {
	var row struct {
		Value string `db:"value"`
	}
	err := app.DB().NewQuery(`SELECT value FROM app_state WHERE key = {:key}`).Bind(dbx.Params{"key": key}).One(&row)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	if err != nil {
		return "", fmt.Errorf("read app_state %s: %w", key, err)
	}
	return row.Value, nil
}

// writeState sets an app_state value. app_state is bookkeeping (not
// audited), written directly.
func writeState(app core.App, key, value string) error {
	now := types.NowDateTime().String()
	_, err := app.DB().NewQuery(`INSERT INTO app_state (id, key, value, created, updated)
		VALUES ({:id}, {:key}, {:value}, {:now}, {:now})
		ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated = excluded.updated`).
		Bind(dbx.Params{"id": core.GenerateDefaultRandomId(), "key": key, "value": value, "now": now}).Execute()
	if err != nil {
		return fmt.Errorf("write app_state %s: %w", key, err)
	}
	return nil
}

// deleteState removes an app_state row.
func deleteState(app core.App, key string) error {
	if _, err := app.DB().NewQuery(`DELETE FROM app_state WHERE key = {:key}`).Bind(dbx.Params{"key": key}).Execute(); err != nil {
		return fmt.Errorf("clear app_state %s: %w", key, err)
	}
	return nil
}
