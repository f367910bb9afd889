// Package sync mirrors questbase's collections into PostgreSQL for
// reporting. It only reads the app's data; nothing depends on it.
package sync

import (
	"log/slog"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/config"
)

// Register schedules the mirror when a PostgreSQL DSN is configured.
func Register(app core.App, cfg config.Config) error {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if cfg.PostgresDSN == "" {
			slog.Info("reporting mirror: off (set QB_POSTGRES_DSN to mirror into PostgreSQL)")
		} else {
			slog.Warn("reporting mirror: QB_POSTGRES_DSN is set but this build has no mirror yet")
		}
		return se.Next()
	})
	return nil
}
