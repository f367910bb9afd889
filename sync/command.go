package sync

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/spf13/cobra"

	"questbase/hooks/config"
)

// Command is `questbase sync --once | --full`: one run of the mirror now
// (waiting for a run the service has in progress), or a rebuild of every
// table from scratch. It exits 1 on failure, so that scripts can rely on
// it (PocketBase v0.39 ignores a command's error, so it exits itself).
func Command(app core.App) *cobra.Command {
	var once, full bool
	cmd := &cobra.Command{
		Use:   "sync",
		Short: "Mirror the collections into PostgreSQL (QB_POSTGRES_DSN) now",
		Run: func(cmd *cobra.Command, _ []string) {
			ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
			defer stop()
			if err := runCommand(ctx, app, once, full, cmd.OutOrStdout()); err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), "sync:", err)
				os.Exit(1)
			}
		},
	}
	cmd.Flags().BoolVar(&once, "once", false, "copy what changed since the last run")
	cmd.Flags().BoolVar(&full, "full", false, "rebuild every mirror table from scratch")
	return cmd
}

func runCommand(ctx context.Context, app core.App, once, full bool, out io.Writer) error {
	if once == full {
		return errors.New("choose one of --once or --full")
	}
	cfg, err := config.FromEnv()
	if err != nil {
		return err
	}
	if cfg.PostgresDSN == "" {
		return errors.New("QB_POSTGRES_DSN is not set")
	}
	if err := app.RunAllMigrations(); err != nil {
		return fmt.Errorf("migrations: %w", err)
	}
	m, err := New(app, OptionsFrom(cfg))
	if err != nil {
		return err
	}
	defer m.Close()
	start := time.Now()
	rep, err := m.Run(ctx, RunOptions{Full: full, Wait: true})
	if err != nil {
		return err
	}
	fmt.Fprintf(out, "%s run into schema %s: %d collections, %d rows written, %d deleted in %s\n",
		rep.Mode, m.Schema(), len(rep.Collections), rep.Upserted, rep.Deleted, time.Since(start).Round(time.Millisecond))
	return nil
}
