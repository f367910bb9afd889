// Package hooks binds questbase's domain rules to a PocketBase app: record
// hooks that hold whichever client saves a record, and the custom routes.
// Register binds them all; main and the tests call it.
package hooks

import (
	"fmt"
	"log/slog"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/achievements"
	"questbase/hooks/audit"
	"questbase/hooks/checkin"
	"questbase/hooks/claims"
	"questbase/hooks/config"
	"questbase/hooks/courses"
	"questbase/hooks/input"
	"questbase/hooks/meetups"
	"questbase/hooks/miniapp"
	"questbase/hooks/points"
	"questbase/hooks/stats"
	"questbase/hooks/tickets"
	"questbase/hooks/verification"
)

// Register binds every hook and route of questbase's rules to app, with
// settings from the environment.
func Register(app core.App) error {
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	return RegisterWith(app, cfg)
}

// RegisterWith is Register with an explicit configuration.
func RegisterWith(app core.App, cfg config.Config) error {
	// The audit log first: its hooks open the transaction the others run in.
	audit.Register(app)
	input.Register(app)
	bindDefaults(app)

	ledger := points.Register(app)
	achievements.Register(app, ledger)
	claims.Register(app)
	verification.Register(app, cfg)
	signer := tickets.Register(app, cfg)
	meetups.Register(app, cfg)
	courses.Register(app)
	checkin.Register(app, signer)
	stats.Register(app)
	miniapp.Register(app, cfg)

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if cfg.SuperuserEmail != "" {
			se.InstallerFunc = nil // the superuser comes from the environment
		}
		if err := config.Apply(se.App, cfg); err != nil {
			return fmt.Errorf("apply configuration: %w", err)
		}
		if cfg.S3.Enabled {
			slog.Info("file storage: S3", slog.String("endpoint", cfg.S3.Endpoint), slog.String("bucket", cfg.S3.Bucket))
		} else if !se.App.Settings().S3.Enabled {
			slog.Info("file storage: local disk (set QB_S3_* to use S3)")
		}
		return se.Next()
	})
	return nil
}
