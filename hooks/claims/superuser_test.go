package claims_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
)

// claimRows returns the amounts and refs of a claim's ledger rows, oldest first.
func claimRows(t testing.TB, app core.App, claim string) (amounts []int, refs []string) {
	t.Helper()
	var rows []struct {
		Amount int    `db:"amount"`
		Ref    string `db:"ref"`
	}
	err := app.DB().NewQuery(`SELECT amount, ref FROM points WHERE reason = 'claim' AND (ref = {:id} OR ref LIKE {:later}) ORDER BY rowid`).
		Bind(dbx.Params{"id": claim, "later": claim + ":%"}).All(&rows)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		amounts = append(amounts, r.Amount)
		refs = append(refs, r.Ref)
	}
	return amounts, refs
}

// Only a superuser changes a decision. Whatever they do — reopen, re-decide,
// flip, change the points — the claim's ledger total follows its state, so
// nothing is paid twice or kept after a reversal.
func TestSuperuserChangesDecisions(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := serve(t, app)
	reviewer, su := w.Token(w.Staff[access.ClaimsReview]), w.Token(w.Superuser)
	start := balance(t, app, w.Student)

	expect := func(step string, total int, approvedNotices, rejectedNotices int) {
		t.Helper()
		if got := claimTotal(t, app, w.Claim); got != total {
			t.Errorf("%s: claim total %d, want %d", step, got, total)
		}
		if got := balance(t, app, w.Student); got != start+total {
			t.Errorf("%s: balance %d, want %d", step, got, start+total)
		}
		a, r := notices(t, app, w.Student, "claim_approved"), notices(t, app, w.Student, "claim_rejected")
		if len(a) != approvedNotices || len(r) != rejectedNotices {
			t.Errorf("%s: %d approval and %d rejection notices, want %d and %d", step, len(a), len(r), approvedNotices, rejectedNotices)
		}
	}

	decide(t, h, reviewer, w.Claim, map[string]any{"status": "approved", "points": 25}, 200)
	expect("approved with 25", 25, 1, 0)
	decide(t, h, reviewer, w.Claim, map[string]any{"status": "approved", "points": 25}, 400)
	expect("approved again", 25, 1, 0)

	body := decide(t, h, su, w.Claim, map[string]any{"status": "pending"}, 200)
	mustContain(t, body, `"status":"pending"`, `"reviewed_by":""`, `"reviewed_at":""`)
	expect("reopened", 0, 1, 0)
	if a := claimAudit(t, app, w.Claim); len(a) != 2 || a[1] != (auditRow{w.Superuser, "superuser", "reopen"}) {
		t.Errorf("audit rows after reopening: %+v", a)
	}

	decide(t, h, reviewer, w.Claim, map[string]any{"status": "approved", "points": 10}, 200)
	expect("re-approved with 10", 10, 2, 0)
	decide(t, h, reviewer, w.Claim, map[string]any{"status": "approved", "points": 10}, 400)
	expect("re-approved again", 10, 2, 0)

	decide(t, h, su, w.Claim, map[string]any{"status": "rejected", "review_note": "Duplicate of another claim"}, 200)
	expect("flipped to rejected", 0, 2, 1)
	decide(t, h, su, w.Claim, map[string]any{"status": "approved"}, 200)
	expect("flipped back to approved", 10, 3, 1)

	// the dashboard sends the whole record back: an unchanged decision is no event
	c := testapp.Find(t, app, "claims", w.Claim)
	decide(t, h, su, w.Claim, map[string]any{
		"status": "approved", "points": 10, "review_note": c.GetString("review_note"),
		"reviewed_at": c.GetString("reviewed_at"), "title": "Won a hackathon (1st place)",
	}, 200)
	expect("saved as it is", 10, 3, 1)

	decide(t, h, su, w.Claim, map[string]any{"points": 15}, 200)
	expect("points changed", 15, 4, 1)

	amounts, refs := claimRows(t, app, w.Claim)
	if want := []int{25, -25, 10, -10, 10, 5}; !slices.Equal(amounts, want) {
		t.Errorf("ledger rows %v, want %v", amounts, want)
	}
	for i, ref := range refs {
		if (i == 0) != (ref == w.Claim) || (i > 0 && !strings.HasPrefix(ref, w.Claim+":")) {
			t.Errorf("ledger refs %v: want the claim id, then claimId:<random>", refs)
			break
		}
	}
	keys := map[string]bool{}
	for _, n := range append(notices(t, app, w.Student, "claim_approved"), notices(t, app, w.Student, "claim_rejected")...) {
		keys[n.Key] = true
	}
	if len(keys) != 5 {
		t.Errorf("notice keys %v: want one per decision", keys)
	}

	// a decided claim stays with its owner: its points are on their balance
	st, resp := do(h, http.MethodPatch, claimURL(w.Claim), su, testapp.JSON(map[string]any{"user": w.Student2}), "")
	if st != http.StatusBadRequest || !strings.Contains(string(resp), `"user"`) {
		t.Errorf("moving a decided claim: %d %s", st, resp)
	}
	expect("after the refused move", 15, 4, 1)
}
