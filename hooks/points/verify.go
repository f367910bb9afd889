package points

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/spf13/cobra"

	"questbase/hooks/audit"
)

// Difference is a user whose stored balance or level disagrees with the ledger.
type Difference struct {
	User                 string
	Points, LedgerPoints int
	Level, LedgerLevel   int
}

// Report is what Verify found.
type Report struct {
	Users []Difference
	// StaleBuckets counts leaderboard sums that disagree with the ledger.
	StaleBuckets int
}

// Verify recomputes every balance, level and leaderboard sum from the
// ledger and reports what differs; with fix it also repairs them (balance
// repairs are audited as the system, with the difference as the change).
func Verify(ctx context.Context, app core.App, fix bool) (Report, error) {
	var rep Report
	err := app.RunInTransaction(func(tx core.App) error {
		var rows []struct {
			ID     string `db:"id"`
			Points int    `db:"points"`
			Level  int    `db:"level"`
			Sum    int    `db:"sum"`
			Want   int    `db:"want"`
		}
		err := tx.DB().NewQuery(`SELECT id, points, level, sum, ` + fmt.Sprintf(levelSQL, "sum") + ` AS want FROM (
			SELECT u.id, u.points, u.level, COALESCE((SELECT SUM(amount) FROM points p WHERE p.user = u.id), 0) AS sum
			FROM users u)
			WHERE points != sum OR level != ` + fmt.Sprintf(levelSQL, "sum") + `
			ORDER BY id`).WithContext(ctx).All(&rows)
		if err != nil {
			return fmt.Errorf("verify ledger: %w", err)
		}
		now := types.NowDateTime().String()
		for _, r := range rows {
			rep.Users = append(rep.Users, Difference{User: r.ID, Points: r.Points, LedgerPoints: r.Sum, Level: r.Level, LedgerLevel: r.Want})
			if !fix {
				continue
			}
			_, err := tx.DB().Update("users", dbx.Params{"points": r.Sum, "level": r.Want, "updated": now}, dbx.HashExp{"id": r.ID}).Execute()
			if err != nil {
				return fmt.Errorf("repair %s: %w", r.ID, err)
			}
			if err := audit.Write(tx, audit.Entry{
				Actor: audit.System, Module: "points", Action: "repair", Collection: "users", Record: r.ID,
				Changes: map[string]any{
					"points": map[string]int{"old": r.Points, "new": r.Sum},
					"level":  map[string]int{"old": r.Level, "new": r.Want},
				},
			}); err != nil {
				return err
			}
		}
		rep.StaleBuckets, err = staleBuckets(tx, fix)
		return err
	})
	return rep, err
}

// Command is `questbase points verify [--fix]`. It exits 1 when the
// ledger and the balances disagree (and were not fixed) or on error, so
// scripts can rely on it. (PocketBase v0.39 ignores a command's error, so
// it exits itself.)
func Command(app core.App) *cobra.Command {
	root := &cobra.Command{Use: "points", Short: "Points ledger tools"}
	var fix bool
	verify := &cobra.Command{
		Use:   "verify",
		Short: "Recompute every balance and level from the ledger and report (with --fix, repair) differences",
		Run: func(cmd *cobra.Command, _ []string) {
			code, err := runVerify(cmd.Context(), app, fix, cmd.OutOrStdout())
			if err != nil {
				fmt.Fprintln(cmd.ErrOrStderr(), "points verify:", err)
			}
			if code != 0 {
				os.Exit(code)
			}
		},
	}
	verify.Flags().BoolVar(&fix, "fix", false, "repair balances and levels to match the ledger")
	root.AddCommand(verify)
	return root
}

func runVerify(ctx context.Context, app core.App, fix bool, out io.Writer) (int, error) {
	if ctx == nil {
		ctx = context.Background()
	}
	if err := app.RunAllMigrations(); err != nil {
		return 1, fmt.Errorf("migrations: %w", err)
	}
	rep, err := Verify(ctx, app, fix)
	if err != nil {
		return 1, err
	}
	diffs := rep.Users
	users, _ := app.CountRecords("users")
	if rep.StaleBuckets > 0 {
		fmt.Fprintf(out, "%d leaderboard sums differ from the ledger\n", rep.StaleBuckets)
	}
	for _, d := range diffs {
		fmt.Fprintf(out, "%s: balance %d, ledger %d; level %d, by ledger %d\n", d.User, d.Points, d.LedgerPoints, d.Level, d.LedgerLevel)
	}
	switch {
	case len(diffs) == 0 && rep.StaleBuckets == 0:
		fmt.Fprintf(out, "ok: %d users, every balance and level matches the ledger\n", users)
		return 0, nil
	case fix:
		fmt.Fprintf(out, "fixed %d of %d users and %d leaderboard sums\n", len(diffs), users, rep.StaleBuckets)
		return 0, nil
	default:
		fmt.Fprintf(out, "%d of %d users differ from the ledger (run with --fix to repair)\n", len(diffs), users)
		return 1, nil
	}
}
