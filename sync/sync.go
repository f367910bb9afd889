// Package sync owns the reporting mirror: a job that copies every business
// collection into a PostgreSQL schema (one typed table per collection,
// incremental by `updated`, deletions from a tombstone log, files as names
// and URLs, never secrets), the reporting views on top, the `questbase
// sync` command and GET /api/sync/status. It only reads the app's data
// (plus its own tombstone table); nothing depends on it, and PostgreSQL
// being down never slows or breaks the app.
package sync

import (
	"log/slog"
	"net/url"
	"strings"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/config"
)

// Register binds the tombstone hook and the status route, and, when a
// PostgreSQL DSN is configured, runs the mirror every cfg.SyncInterval
// while the app serves.
func Register(app core.App, cfg config.Config) error {
	bindTombstones(app)

	var job *Job
	if cfg.PostgresDSN != "" {
		m, err := New(app, OptionsFrom(cfg))
		if err != nil {
			return err
		}
		job = NewJob(m, cfg.SyncInterval)
		app.OnTerminate().BindFunc(func(e *core.TerminateEvent) error {
			job.Stop()
			m.Close()
			return e.Next()
		})
	}

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		statusRoute(se, job)
		if job == nil {
			slog.Info("reporting mirror: off (set QB_POSTGRES_DSN to mirror into PostgreSQL)")
			return se.Next()
		}
		slog.Info("reporting mirror: on", slog.String("target", redact(cfg.PostgresDSN)),
			slog.String("schema", job.m.Schema()), slog.Duration("every", job.interval))
		job.Start()
		return se.Next()
	})
	return nil
}

// redact hides the password of a DSN for logs.
func redact(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.Scheme != "" {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		return u.String()
	}
	var out []string
	for _, kv := range strings.Fields(dsn) {
		if strings.HasPrefix(kv, "password=") {
			kv = "password=xxxxx"
		}
		out = append(out, kv)
	}
	return strings.Join(out, " ")
}
