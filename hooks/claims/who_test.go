package claims_test

import (
	"errors"
	"net/http"
	"strconv"
	"testing"

	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/access"
	"questbase/hooks/audit"
	"questbase/hooks/testapp"
)

// status returns the HTTP status an error from a save would get, 0 for nil.
func status(err error) int {
	if err == nil {
		return 0
	}
	var apiErr *router.ApiError
	if errors.As(err, &apiErr) {
		return apiErr.Status
	}
	return 500
}

// A reviewer never decides their own claim: the API rules hide it from
// them (404), and the model hook refuses the same decision made from Go,
// as the bot would (403). Nothing changes either way.
func TestNobodyDecidesTheirOwnClaim(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	user, tok, claim := reviewerWithClaim(t, app, w)
	h := serve(t, app)
	before := snapshot(t, app, claim)

	for _, body := range []map[string]any{
		{"status": "approved", "points": 100},
		{"status": "rejected", "review_note": "changed my mind"},
	} {
		decide(t, h, tok, claim, body, http.StatusNotFound)
		if err := saveAs(app, asUser(user), claim, body); status(err) != http.StatusForbidden {
			t.Errorf("Go decision %v of one's own claim: %v, want a 403", body, err)
		}
		if err := saveAs(app, audit.Bot(testapp.Find(t, app, "users", user)), claim, body); status(err) != http.StatusForbidden {
			t.Errorf("bot decision %v of one's own claim: %v, want a 403", body, err)
		}
	}
	if after := snapshot(t, app, claim); after != before {
		t.Errorf("refused decisions changed things:\nbefore %+v\nafter  %+v", before, after)
	}

	// the owner may still edit what they filed
	decide(t, h, tok, claim, map[string]any{"title": "Gave a talk"}, http.StatusOK)
}

// The model hook holds for Go code: a user without claims.review (or with it
// only for a scope) cannot decide, the system can, and a superuser acting
// from Go is a superuser.
func TestGoDecisions(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	body := map[string]any{"status": "approved", "points": 7}
	for _, u := range []string{w.Student2, w.Scoped[access.ClaimsReview], w.Staff[access.AchievementsAward]} {
		if err := saveAs(app, asUser(u), w.Claim, body); status(err) != http.StatusForbidden {
			t.Errorf("decision by %s: %v, want a 403", u, err)
		}
	}
	if got := testapp.Find(t, app, "claims", w.Claim).GetString("status"); got != "pending" {
		t.Fatalf("claim is %s after refused decisions", got)
	}

	// Go code without an actor is the system: it may decide, and is nobody's reviewer
	before := balance(t, app, w.Student)
	if err := saveAs(app, audit.System, w.Claim, body); err != nil {
		t.Fatal(err)
	}
	c := testapp.Find(t, app, "claims", w.Claim)
	if c.GetString("status") != "approved" || c.GetString("reviewed_by") != "" || c.GetDateTime("reviewed_at").IsZero() {
		t.Errorf("system approval: status %s, reviewed_by %q, reviewed_at %v", c.GetString("status"), c.GetString("reviewed_by"), c.GetDateTime("reviewed_at"))
	}
	if got := balance(t, app, w.Student); got != before+7 {
		t.Errorf("balance %d, want %d", got, before+7)
	}
	if a := claimAudit(t, app, w.Claim); len(a) != 1 || a[0] != (auditRow{"", "system", "approve"}) {
		t.Errorf("audit rows: %+v", a)
	}

	// ... but not change its mind: that is a superuser's call
	err := saveAs(app, audit.System, w.Claim, map[string]any{"status": "rejected", "review_note": "oops"})
	if status(err) != http.StatusBadRequest {
		t.Errorf("system re-decision: %v, want a 400", err)
	}
}

// A decision made from a copy loaded while the claim was pending is refused
// once someone else has decided it, even when it would store the same values.
func TestStaleCopyCannotDecideAgain(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	reviewer := asUser(w.Staff[access.ClaimsReview])
	stale, err := app.FindRecordById("claims", w.Claim)
	if err != nil {
		t.Fatal(err)
	}
	if err := saveAs(app, reviewer, w.Claim, map[string]any{"status": "approved", "points": 5}); err != nil {
		t.Fatal(err)
	}
	stale.Set("status", "approved")
	stale.Set("points", 5)
	if err := app.SaveWithContext(audit.WithActor(ctx, reviewer), stale); status(err) != http.StatusBadRequest {
		t.Errorf("second approval from a stale copy: %v, want a 400", err)
	}
	if got := claimTotal(t, app, w.Claim); got != 5 {
		t.Errorf("claim total %d, want 5", got)
	}
}

// Whoever creates a claim, it starts pending and undecided; students may
// not even send the decision fields.
func TestNewClaimsArePending(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := serve(t, app)
	ledger := count(t, app, "points")

	st, body := do(h, http.MethodPost, claimsURL, w.Token(w.Superuser), testapp.JSON(map[string]any{
		"user": w.Student2, "title": "Filed by an admin", "status": "approved", "points": 50,
		"achievement": w.Achievement, "review_note": "ok", "reviewed_by": w.Staff[access.ClaimsReview], "reviewed_at": "2026-01-01 10:00:00.000Z",
	}), "")
	if st != http.StatusOK {
		t.Fatalf("superuser create: %d %s", st, body)
	}
	mustContain(t, body, `"status":"pending"`, `"points":0`, `"achievement":""`, `"review_note":""`, `"reviewed_by":""`, `"reviewed_at":""`)

	st, body = do(h, http.MethodPost, claimsURL, w.Token(w.Student2), testapp.JSON(map[string]any{
		"user": w.Student2, "title": "Self-approved", "status": "approved", "points": 50,
	}), "")
	if st != http.StatusBadRequest {
		t.Errorf("student create with a decision: %d %s", st, body)
	}

	rec := testapp.Save(t, app, "claims", map[string]any{"user": w.Student2, "title": "From Go", "status": "rejected", "points": 3})
	if rec.GetString("status") != "pending" || rec.GetInt("points") != 0 {
		t.Errorf("Go create: status %s points %d", rec.GetString("status"), rec.GetInt("points"))
	}
	if got := count(t, app, "points"); got != ledger {
		t.Errorf("ledger %d rows, want %d", got, ledger)
	}
}

// With the API rules opened to every signed-in user, the model hook alone
// still refuses each wrong decision, and its errors reach the client with
// their status and message.
func TestHookHoldsWithoutTheRules(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	col, err := app.FindCollectionByNameOrId("claims")
	if err != nil {
		t.Fatal(err)
	}
	col.UpdateRule = types.Pointer(`@request.auth.id != ""`)
	if err := app.Save(col); err != nil {
		t.Fatal(err)
	}
	_, ownerToken, ownClaim := reviewerWithClaim(t, app, w)
	h := serve(t, app)
	approve := map[string]any{"status": "approved", "points": 100}
	before := snapshot(t, app, w.Claim)

	for _, c := range []struct {
		name, token, claim string
		status             int
		message            string
	}{
		{"a reviewer approving their own claim", ownerToken, ownClaim, 403, "Nobody decides their own claim."},
		{"a student approving their own claim", w.Token(w.Student), w.Claim, 403, "Nobody decides their own claim."},
		{"another student", w.Token(w.Student2), w.Claim, 403, "Only reviewers (claims.review) decide claims."},
		{"a reviewer of scope Web only", w.Token(w.Scoped[access.ClaimsReview]), w.Claim, 403, "Only reviewers (claims.review) decide claims."},
	} {
		body := decide(t, h, c.token, c.claim, approve, c.status)
		mustContain(t, body, `"message":"`+c.message+`"`, `"status":`+strconv.Itoa(c.status))
	}
	if after := snapshot(t, app, w.Claim); after != before {
		t.Errorf("refused decisions changed things:\nbefore %+v\nafter  %+v", before, after)
	}
	if got := testapp.Find(t, app, "claims", ownClaim).GetString("status"); got != "pending" {
		t.Errorf("own claim is %s", got)
	}
}
