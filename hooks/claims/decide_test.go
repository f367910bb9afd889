package claims_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
)

// Decisions through the REST API: what a reviewer's approval and rejection
// write, and every refused transition changing nothing.
func TestDecisions(t *testing.T) {
	t.Parallel()
	w := testapp.Fixtures(t)
	reviewer := w.Staff[access.ClaimsReview]
	claim := w.Claim
	approve := map[string]any{"status": "approved", "points": 25}
	decideAs := func(actor string, data map[string]any) func(testing.TB, *tests.TestApp) {
		return func(t testing.TB, app *tests.TestApp) {
			if err := saveAs(app, asUser(actor), claim, data); err != nil {
				t.Fatal(err)
			}
		}
	}
	approved := decideAs(reviewer, approve)
	rejected := decideAs(reviewer, map[string]any{"status": "rejected", "review_note": "No proof"})

	// decision events: the claim update and, when points move, one ledger row
	approveEvents := map[string]int{
		"OnRecordUpdateRequest": 1, "OnRecordUpdate": 1, "OnRecordAfterUpdateSuccess": 1,
		"OnRecordCreate": 1, "OnRecordAfterCreateSuccess": 1, "OnRecordValidate": 2,
	}
	// refused by the claim hook: before PocketBase's own validation, nothing saved
	noSave := map[string]int{"OnRecordUpdateRequest": 1, "OnRecordUpdate": 1, "OnRecordValidate": 0, "OnRecordAfterUpdateSuccess": 0, "OnRecordAfterUpdateError": 1, "OnRecordCreate": 0}
	// refused by PocketBase's field validation, after the claim hook let it through
	invalid := map[string]int{"OnRecordUpdate": 1, "OnRecordValidate": 1, "OnRecordAfterUpdateSuccess": 0, "OnRecordAfterUpdateError": 1, "OnRecordCreate": 0}

	type scenario struct {
		name    string
		as      string
		body    map[string]any
		setup   func(testing.TB, *tests.TestApp)
		status  int
		content []string
		events  map[string]int
		after   func(t testing.TB, app *tests.TestApp, before state)
	}
	scenarios := []scenario{
		{
			name: "reviewer approves with points", as: reviewer, body: approve, status: 200,
			content: []string{`"status":"approved"`, `"points":25`, `"reviewed_by":"` + reviewer + `"`},
			events:  approveEvents,
			after: func(t testing.TB, app *tests.TestApp, before state) {
				after := snapshot(t, app, claim)
				if after.Ledger != before.Ledger+1 || after.Balance != before.Balance+25 {
					t.Errorf("ledger %d→%d rows, balance %d→%d; want one row of 25", before.Ledger, after.Ledger, before.Balance, after.Balance)
				}
				if got := claimTotal(t, app, claim); got != 25 {
					t.Errorf("claim total %d, want 25", got)
				}
				// the claim notice and the ledger's points notice
				if after.Outbox != before.Outbox+2 {
					t.Errorf("outbox %d→%d, want two rows", before.Outbox, after.Outbox)
				}
				n := notices(t, app, w.Student, "claim_approved")
				if len(n) != 1 || n[0].Payload["points"] != 25.0 || n[0].Payload["claim"] != claim || n[0].Payload["title"] != "Won a hackathon" {
					t.Errorf("approval notices: %+v", n)
				}
				if a := claimAudit(t, app, claim); len(a) != 1 || a[0] != (auditRow{reviewer, "user", "approve"}) {
					t.Errorf("audit rows: %+v", a)
				}
				if c := testapp.Find(t, app, "claims", claim); c.GetDateTime("reviewed_at").IsZero() {
					t.Error("reviewed_at not set")
				}
			},
		},
		{
			name: "approval with zero points writes no ledger row", as: reviewer,
			body: map[string]any{"status": "approved"}, status: 200,
			content: []string{`"status":"approved"`, `"points":0`},
			events:  map[string]int{"OnRecordUpdate": 1, "OnRecordCreate": 0},
			after: func(t testing.TB, app *tests.TestApp, before state) {
				after := snapshot(t, app, claim)
				if after.Ledger != before.Ledger || after.Outbox != before.Outbox+1 {
					t.Errorf("ledger %d→%d, outbox %d→%d; want no ledger row and one notice", before.Ledger, after.Ledger, before.Outbox, after.Outbox)
				}
			},
		},
		{
			name: "reviewer rejects with a reason", as: reviewer,
			body: map[string]any{"status": "rejected", "review_note": "No proof attached"}, status: 200,
			content: []string{`"status":"rejected"`, `"review_note":"No proof attached"`},
			events:  map[string]int{"OnRecordUpdate": 1, "OnRecordAfterUpdateSuccess": 1, "OnRecordValidate": 1, "OnRecordCreate": 0},
			after: func(t testing.TB, app *tests.TestApp, before state) {
				after := snapshot(t, app, claim)
				if after.Ledger != before.Ledger || after.Balance != before.Balance || after.Outbox != before.Outbox+1 {
					t.Errorf("before %+v after %+v: want only one notice", before, after)
				}
				n := notices(t, app, w.Student, "claim_rejected")
				if len(n) != 1 || n[0].Payload["reason"] != "No proof attached" || n[0].Payload["status"] != "rejected" {
					t.Errorf("rejection notices: %+v", n)
				}
				if a := claimAudit(t, app, claim); len(a) != 1 || a[0] != (auditRow{reviewer, "user", "reject"}) {
					t.Errorf("audit rows: %+v", a)
				}
			},
		},

		// refused: each leaves the claim, ledger, outbox, audit log and awards as they were
		{
			name: "approving an approved claim again", as: reviewer, body: approve, setup: approved,
			status: 400, content: []string{"Only pending claims can be decided", `"status":{"code":"validation_claim_decided"`}, events: noSave,
		},
		{
			name: "approving a rejected claim", as: reviewer, body: approve, setup: rejected,
			status: 400, content: []string{"Only pending claims can be decided", `"status":{"code":"validation_claim_decided"`}, events: noSave,
		},
		{
			name: "changing the points of an approved claim", as: reviewer, body: map[string]any{"points": 100}, setup: approved,
			status: 400, content: []string{"Only pending claims can be decided", `"points":{"code":"validation_claim_decided"`}, events: noSave,
		},
		{
			name: "reopening an approved claim", as: reviewer, body: map[string]any{"status": "pending"}, setup: approved,
			status: 400, content: []string{"Only pending claims can be decided"}, events: noSave,
		},
		{
			name: "rejecting without a reason", as: reviewer, body: map[string]any{"status": "rejected"},
			status: 400, content: []string{"A rejection needs a reason", `"review_note":{"code":"validation_reason_required"`}, events: noSave,
		},
		{
			name: "rejecting with a blank reason", as: reviewer, body: map[string]any{"status": "rejected", "review_note": "   "},
			status: 400, content: []string{`"review_note":{"code":"validation_reason_required"`}, events: noSave,
		},
		{
			name: "a negative award", as: reviewer, body: map[string]any{"status": "approved", "points": -5},
			status: 400, content: []string{`"points":{"code":"validation_min_number_constraint"`},
			events: invalid,
		},
		{
			name: "an unknown achievement", as: reviewer, body: map[string]any{"status": "approved", "points": 5, "achievement": "nosuchachieveme"},
			status: 400, content: []string{`"achievement":{"code":"validation_missing_rel_records"`},
			events: invalid,
		},
		{
			name: "an unknown status", as: reviewer, body: map[string]any{"status": "maybe"},
			status: 400, content: []string{`"status":{"code":"validation_invalid_value"`}, events: noSave,
		},
		// the API rules keep these from reaching the record at all
		{
			name: "a student approving their own claim", as: w.Student, body: approve,
			status: 404, events: map[string]int{"OnRecordUpdateRequest": 0, "OnRecordUpdate": 0},
		},
		{
			name: "another student approving the claim", as: w.Student2, body: approve,
			status: 404, events: map[string]int{"OnRecordUpdateRequest": 0, "OnRecordUpdate": 0},
		},
		{
			name: "a reviewer of scope Web only", as: w.Scoped[access.ClaimsReview], body: approve,
			status: 404, events: map[string]int{"OnRecordUpdateRequest": 0, "OnRecordUpdate": 0},
		},
		{
			name: "a guest", body: approve,
			status: 404, events: map[string]int{"OnRecordUpdateRequest": 0, "OnRecordUpdate": 0},
		},
	}

	for _, sc := range scenarios {
		var before state
		beforeFn := func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
			if sc.setup != nil {
				sc.setup(t, app)
			}
			before = snapshot(t, app, claim)
		}
		afterFn := func(t testing.TB, app *tests.TestApp, res *http.Response) {
			if sc.after != nil {
				sc.after(t, app, before)
				return
			}
			if after := snapshot(t, app, claim); after != before {
				t.Errorf("refused request changed things:\nbefore %+v\nafter  %+v", before, after)
			}
		}
		content := sc.content
		if len(content) == 0 {
			content = []string{`"status":` + strconv.Itoa(sc.status)}
		}
		(&tests.ApiScenario{
			Name: sc.name, Method: http.MethodPatch, URL: claimURL(claim), Body: testapp.JSON(sc.body),
			Headers: w.Auth(sc.as), ExpectedStatus: sc.status, ExpectedContent: content,
			NotExpectedContent: []string{"@claims", "@audit"},
			ExpectedEvents:     sc.events, TestAppFactory: testapp.Factory(testapp.Options{}),
			BeforeTestFunc: beforeFn, AfterTestFunc: afterFn,
		}).Test(t)
	}
}
