package points_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/points"
	"questbase/hooks/testapp"
)

// BenchmarkAward measures an award through the hook path (ledger row,
// balance, level, audit and outbox rows in one transaction) against a bare
// PocketBase insert of the same ledger row on an app without questbase's
// hooks, in the same run. Target: ratio ≥ 0.5.
func BenchmarkAward(b *testing.B) {
	bare, w := testapp.NewWith(b, testapp.Options{NoHooks: true})
	hooked, _ := testapp.New(b)
	col, _ := bare.FindCollectionByNameOrId("points")

	start := time.Now()
	for i := range b.N {
		r := core.NewRecord(col)
		r.Set("user", w.Student2)
		r.Set("amount", 5)
		r.Set("reason", points.ReasonQuiz)
		r.Set("ref", fmt.Sprint("bare", i))
		if err := bare.Save(r); err != nil {
			b.Fatal(err)
		}
	}
	bareRate := float64(b.N) / time.Since(start).Seconds()

	b.ResetTimer()
	start = time.Now()
	for i := range b.N {
		if _, err := points.Award(ctx, hooked, points.Entry{User: w.Student2, Amount: 5, Reason: points.ReasonQuiz, Ref: fmt.Sprint("hook", i)}); err != nil {
			b.Fatal(err)
		}
	}
	awardRate := float64(b.N) / time.Since(start).Seconds()
	b.ReportMetric(awardRate, "awards/s")
	b.ReportMetric(bareRate, "bare-inserts/s")
	b.ReportMetric(awardRate/bareRate, "ratio")
}

// BenchmarkLeaderboard ranks 10,000 users over 500,000 ledger rows and
// reports the median latency of each kind of board. Target: < 50 ms.
func BenchmarkLeaderboard(b *testing.B) {
	app, _ := testapp.New(b)
	seedLedger(b, app, 10_000, 500_000)
	var tag string
	app.DB().NewQuery("SELECT id FROM tags WHERE name='ml'").Row(&tag)
	var me string
	app.DB().NewQuery("SELECT id FROM users WHERE first_name='bench' LIMIT 1 OFFSET 5000").Row(&me)

	for _, bc := range []struct{ name, period, tag string }{
		{"all", points.PeriodAll, ""},
		{"month", points.PeriodMonth, ""},
		{"semester", points.PeriodSemester, ""},
		{"all-tag", points.PeriodAll, tag},
	} {
		b.Run(bc.name, func(b *testing.B) {
			times := make([]time.Duration, 0, b.N)
			for range b.N {
				t0 := time.Now()
				board, err := points.Leaderboard(app, points.BoardOptions{Period: bc.period, Tag: bc.tag, Limit: 50, Me: me, Now: time.Now()})
				if err != nil {
					b.Fatal(err)
				}
				times = append(times, time.Since(t0))
				if len(board.Items) == 0 || board.Me == nil {
					b.Fatal("empty board")
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)/2].Microseconds())/1000, "median-ms")
		})
	}
}

// seedLedger inserts users and ledger rows directly (the thing measured is
// reading them), spread over the last 12 months, a third tagged ML.
func seedLedger(b *testing.B, app core.App, users, rows int) {
	b.Helper()
	var tag string
	app.DB().NewQuery("SELECT id FROM tags WHERE name='ml'").Row(&tag)
	ids := make([]string, users)
	sums := make([]int, users)
	err := app.RunInTransaction(func(tx core.App) error {
		now := time.Now()
		for i := range ids {
			ids[i] = core.GenerateDefaultRandomId()
			_, err := tx.DB().Insert("users", dbx.Params{
				"id": ids[i], "first_name": "bench", "last_name": fmt.Sprint(i), "password": "x", "tokenKey": ids[i],
				"email": "", "points": 0, "level": 1, "created": types.NowDateTime().String(), "updated": types.NowDateTime().String(),
			}).Execute()
			if err != nil {
				return err
			}
		}
		r := rand.New(rand.NewPCG(1, 2))
		for i := range rows {
			u := r.IntN(users)
			amount := 1 + r.IntN(50)
			sums[u] += amount
			tags := "[]"
			if i%3 == 0 {
				tags = `["` + tag + `"]`
			}
			created := now.Add(-time.Duration(r.IntN(365*24)) * time.Hour).UTC().Format(types.DefaultDateLayout)
			_, err := tx.DB().Insert("points", dbx.Params{
				"id": core.GenerateDefaultRandomId(), "user": ids[u], "amount": amount, "reason": "quiz",
				"ref": fmt.Sprint("b", i), "tags": tags, "actor": "", "note": "", "created": created, "updated": created,
			}).Execute()
			if err != nil {
				return err
			}
		}
		for i, id := range ids {
			if _, err := tx.DB().Update("users", dbx.Params{"points": sums[i]}, dbx.HashExp{"id": id}).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	// rows inserted behind the hook: build the leaderboard sums as `points verify --fix` would
	if _, err := points.Verify(context.Background(), app, true); err != nil {
		b.Fatal(err)
	}
}
