package claims_test

import (
	"net/http"
	"sync"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
	"questbase/hooks/audit"
	"questbase/hooks/testapp"
)

// Twenty approvals of one claim at once, each with other points, through
// the API and from Go copies loaded while it was pending: exactly one
// decides it, with one ledger row, one notification and one audit row; the
// rest get a 400.
func TestConcurrentApprovals(t *testing.T) {
	t.Parallel()
	const n = 20
	for _, mode := range []string{"api", "go"} {
		t.Run(mode, func(t *testing.T) {
			app, w := testapp.New(t)
			reviewer := w.Staff[access.ClaimsReview]
			pointsOf := func(i int) int { return 10 + i }

			var approve func(i int) int // returns the HTTP status the attempt got
			switch mode {
			case "api":
				h := serve(t, app)
				approve = func(i int) int {
					st, _ := do(h, http.MethodPatch, claimURL(w.Claim), w.Token(reviewer),
						testapp.JSON(map[string]any{"status": "approved", "points": pointsOf(i)}), "")
					return st
				}
			case "go":
				copies := make([]*core.Record, n)
				for i := range copies {
					copies[i] = testapp.Find(t, app, "claims", w.Claim)
				}
				approve = func(i int) int {
					copies[i].Set("status", "approved")
					copies[i].Set("points", pointsOf(i))
					if err := app.SaveWithContext(audit.WithActor(ctx, asUser(reviewer)), copies[i]); err != nil {
						return status(err)
					}
					return http.StatusOK
				}
			}

			results := make([]int, n)
			start := make(chan struct{})
			var wg sync.WaitGroup
			for i := range n {
				wg.Go(func() {
					<-start
					results[i] = approve(i)
				})
			}
			close(start)
			wg.Wait()

			winner, refused := -1, 0
			for i, st := range results {
				switch st {
				case http.StatusOK:
					if winner >= 0 {
						t.Errorf("attempts %d and %d both approved", winner, i)
					}
					winner = i
				case http.StatusBadRequest:
					refused++
				default:
					t.Errorf("attempt %d: status %d", i, st)
				}
			}
			if winner < 0 || refused != n-1 {
				t.Fatalf("results %v: want one 200 and %d 400s", results, n-1)
			}
			want := pointsOf(winner)
			if got := testapp.Find(t, app, "claims", w.Claim).GetInt("points"); got != want {
				t.Errorf("claim points %d, want the winner's %d", got, want)
			}
			if amounts, _ := claimRows(t, app, w.Claim); len(amounts) != 1 || amounts[0] != want {
				t.Errorf("ledger rows %v, want one of %d", amounts, want)
			}
			if got := len(notices(t, app, w.Student, "claim_approved")); got != 1 {
				t.Errorf("%d approval notices, want 1", got)
			}
			if got := len(claimAudit(t, app, w.Claim)); got != 1 {
				t.Errorf("%d claim audit rows, want 1", got)
			}
		})
	}
}
