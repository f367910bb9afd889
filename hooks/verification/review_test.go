package verification_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/router"

	"questbase/hooks/access"
	"questbase/hooks/audit"
	"questbase/hooks/notify"
	"questbase/hooks/testapp"
	"questbase/hooks/verification"
)

// state puts the student into a status before a scenario: pending from a
// photo, then the given decisions in order.
func state(student string, decisions ...[2]string) func(testing.TB, *tests.TestApp, *core.ServeEvent) {
	return func(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
		upload(t, app, student, testapp.PNG(16, 16), actorUser(t, app, student))
		for _, d := range decisions {
			mustSetStatus(t, app, student, d[0], d[1], audit.System)
		}
	}
}

// unchanged checks that the scenario left the student as the before func
// made them: same status and note, no new notification or audit row.
func unchanged(student, status string, notes int) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		if u := load(t, app, student); u.Status != status {
			t.Errorf("status %q, want %q unchanged", u.Status, status)
		}
		if n := len(messages(t, app, student)); n != notes {
			t.Errorf("%d notifications, want %d", n, notes)
		}
		if n := len(actions(t, app, student)); n != notes {
			t.Errorf("%d verification audit rows, want %d", n, notes)
		}
	}
}

// decided checks a decision: status, reviewer and time, one notification
// with the status and reason, one audit row with the action.
func decided(student, status, reviewer, reason, action string) func(testing.TB, *tests.TestApp, *http.Response) {
	return func(t testing.TB, app *tests.TestApp, _ *http.Response) {
		u := load(t, app, student)
		if u.Status != status || u.ReviewedBy != reviewer || u.ReviewedAt == "" || u.Note != reason {
			t.Errorf("after the decision: %+v, want %s by %q with note %q", u, status, reviewer, reason)
		}
		msgs := messages(t, app, student)
		last := msgs[len(msgs)-1]
		kind := notify.KindVerificationApproved
		if status == verification.StatusRejected {
			kind = notify.KindVerificationRejected
		}
		if last.Kind != kind || last.Key != "verification:"+student+":"+status+":"+u.ReviewedAt ||
			last.Payload["status"] != status || last.Payload["reason"] != reason {
			t.Errorf("last notification %+v, want %s with reason %q", last, kind, reason)
		}
		a := actions(t, app, student)
		if got := a[len(a)-1]; got.Action != action {
			t.Errorf("last audit action %q, want %q", got.Action, action)
		}
	}
}

func TestReviewThroughAPI(t *testing.T) {
	w := testapp.Fixtures(t)
	factory := testapp.Factory(testapp.Options{})
	reviewer := w.Staff[access.VerificationReview]
	url := "/api/collections/users/records/" + w.Student
	ok := map[string]int{"OnRecordUpdateRequest": 1, "OnRecordUpdate": 1, "OnRecordAfterUpdateSuccess": 1}
	refused := map[string]int{"OnRecordUpdateRequest": 1, "OnRecordUpdate": 1, "OnRecordAfterUpdateSuccess": 0, "OnRecordAfterUpdateError": 1}
	byRule := map[string]int{"OnRecordUpdateRequest": 0, "OnRecordUpdate": 0}
	approved := [2]string{verification.StatusApproved, ""}
	rejected := [2]string{verification.StatusRejected, "blurry"}

	scenarios := []tests.ApiScenario{
		{
			Name: "a reviewer approves", Method: http.MethodPatch, URL: url,
			Body: testapp.JSON(map[string]any{"verification_status": "approved"}), Headers: w.Auth(reviewer),
			ExpectedStatus: 200, ExpectedContent: []string{`"verification_status":"approved"`, `"verification_reviewed_by":"` + reviewer + `"`},
			ExpectedEvents: ok, BeforeTestFunc: state(w.Student),
			AfterTestFunc: decided(w.Student, verification.StatusApproved, reviewer, "", "approve"),
		},
		{
			Name: "a reviewer rejects without a reason", Method: http.MethodPatch, URL: url,
			Body: testapp.JSON(map[string]any{"verification_status": "rejected"}), Headers: w.Auth(reviewer),
			ExpectedStatus: 400, ExpectedContent: []string{`"verification_note":{"code":"validation_required"`},
			NotExpectedContent: []string{`"verification_status":{`},
			ExpectedEvents:     refused, BeforeTestFunc: state(w.Student),
			AfterTestFunc: unchanged(w.Student, verification.StatusPending, 1),
		},
		{
			Name: "a reviewer rejects with a blank reason", Method: http.MethodPatch, URL: url,
			Body: testapp.JSON(map[string]any{"verification_status": "rejected", "verification_note": "   "}), Headers: w.Auth(reviewer),
			ExpectedStatus: 400, ExpectedContent: []string{`"verification_note":{"code":"validation_required"`},
			ExpectedEvents: refused, BeforeTestFunc: state(w.Student),
			AfterTestFunc: unchanged(w.Student, verification.StatusPending, 1),
		},
		{
			Name: "a reviewer rejects with a reason", Method: http.MethodPatch, URL: url,
			Body: testapp.JSON(map[string]any{"verification_status": "rejected", "verification_note": "The card is not readable"}), Headers: w.Auth(reviewer),
			ExpectedStatus: 200, ExpectedContent: []string{`"verification_status":"rejected"`},
			ExpectedEvents: ok, BeforeTestFunc: state(w.Student),
			AfterTestFunc: decided(w.Student, verification.StatusRejected, reviewer, "The card is not readable", "reject"),
		},
		{
			Name: "a reviewer sends an approved profile back for a new photo", Method: http.MethodPatch, URL: url,
			Body: testapp.JSON(map[string]any{"verification_status": "rejected", "verification_note": "Please send a recent photo"}), Headers: w.Auth(reviewer),
			ExpectedStatus: 200, ExpectedContent: []string{`"verification_status":"rejected"`},
			ExpectedEvents: ok, BeforeTestFunc: state(w.Student, approved),
			AfterTestFunc: decided(w.Student, verification.StatusRejected, reviewer, "Please send a recent photo", "reject"),
		},
		{
			Name: "a reviewer approves a rejected profile without a new photo", Method: http.MethodPatch, URL: url,
			Body: testapp.JSON(map[string]any{"verification_status": "approved"}), Headers: w.Auth(reviewer),
			ExpectedStatus: 400, ExpectedContent: []string{`"verification_status":{"code":"validation_invalid_transition"`},
			ExpectedEvents: refused, BeforeTestFunc: state(w.Student, rejected),
			AfterTestFunc: unchanged(w.Student, verification.StatusRejected, 2),
		},
		{
			Name: "a reviewer sets pending back to none", Method: http.MethodPatch, URL: url,
			Body: testapp.JSON(map[string]any{"verification_status": "none"}), Headers: w.Auth(reviewer),
			ExpectedStatus: 400, ExpectedContent: []string{`"verification_status":{"code":"validation_invalid_transition"`},
			ExpectedEvents: refused, BeforeTestFunc: state(w.Student),
			AfterTestFunc: unchanged(w.Student, verification.StatusPending, 1),
		},
		{
			Name: "a superuser approves", Method: http.MethodPatch, URL: url,
			Body: testapp.JSON(map[string]any{"verification_status": "approved"}), Headers: w.Auth(w.Superuser),
			ExpectedStatus: 200, ExpectedContent: []string{`"verification_status":"approved"`},
			ExpectedEvents: ok, BeforeTestFunc: state(w.Student),
			AfterTestFunc: decided(w.Student, verification.StatusApproved, "", "", "approve"),
		},
		{
			Name: "a superuser's direct edit of the decision stamp is ignored", Method: http.MethodPatch, URL: url,
			Body: testapp.JSON(map[string]any{"verification_reviewed_at": "2020-01-01 00:00:00.000Z", "verification_submitted_at": "2020-01-01 00:00:00.000Z"}), Headers: w.Auth(w.Superuser),
			ExpectedStatus: 200, NotExpectedContent: []string{"2020-01-01"},
			ExpectedEvents: map[string]int{"OnRecordUpdate": 1}, BeforeTestFunc: state(w.Student),
			AfterTestFunc: unchanged(w.Student, verification.StatusPending, 1),
		},
		{
			// the users update rule stops the student before any hook runs
			Name: "the student approves themselves", Method: http.MethodPatch, URL: url,
			Body: testapp.JSON(map[string]any{"verification_status": "approved"}), Headers: w.Auth(w.Student),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			ExpectedEvents: byRule, BeforeTestFunc: state(w.Student),
			AfterTestFunc: unchanged(w.Student, verification.StatusPending, 1),
		},
		{
			Name: "the student rewrites the rejection note", Method: http.MethodPatch, URL: url,
			Body: testapp.JSON(map[string]any{"verification_note": "fine"}), Headers: w.Auth(w.Student),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			ExpectedEvents: byRule, BeforeTestFunc: state(w.Student, rejected),
			AfterTestFunc: unchanged(w.Student, verification.StatusRejected, 2),
		},
		{
			Name: "a users.manage holder approves", Method: http.MethodPatch, URL: url,
			Body: testapp.JSON(map[string]any{"verification_status": "approved"}), Headers: w.Auth(w.Staff[access.UsersManage]),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			ExpectedEvents: byRule, BeforeTestFunc: state(w.Student),
			AfterTestFunc: unchanged(w.Student, verification.StatusPending, 1),
		},
		{
			Name: "a reviewer scoped to a tag approves", Method: http.MethodPatch, URL: url,
			Body: testapp.JSON(map[string]any{"verification_status": "approved"}), Headers: w.Auth(w.Scoped[access.VerificationReview]),
			ExpectedStatus: 404, ExpectedContent: []string{`"status":404`},
			ExpectedEvents: byRule, BeforeTestFunc: state(w.Student),
			AfterTestFunc: unchanged(w.Student, verification.StatusPending, 1),
		},
		{
			// the rule lets a reviewer edit any profile's decision; the hook
			// refuses their own
			Name: "a reviewer approves their own photo", Method: http.MethodPatch, URL: "/api/collections/users/records/" + reviewer,
			Body: testapp.JSON(map[string]any{"verification_status": "approved"}), Headers: w.Auth(reviewer),
			ExpectedStatus: 403, ExpectedContent: []string{`"status":403`, "own verification"},
			ExpectedEvents: refused, BeforeTestFunc: state(reviewer),
			AfterTestFunc: unchanged(reviewer, verification.StatusPending, 1),
		},
	}
	for _, sc := range scenarios {
		sc.TestAppFactory = factory
		sc.Test(t)
	}
}

// Saves from Go skip the API rules; the hooks still allow a decision only
// to reviewers, superusers and the system, and answer others with a 403.
func TestGoSavesCannotDecideWithoutThePermission(t *testing.T) {
	app, w := testapp.New(t)
	upload(t, app, w.Student, testapp.PNG(16, 16), actorUser(t, app, w.Student))

	student := userRecord(t, app, w.Student)
	for name, actor := range map[string]audit.Actor{
		"the student through the bot":   audit.Bot(student),
		"the student as a user":         actorUser(t, app, w.Student),
		"a users.manage holder":         actorUser(t, app, w.Staff[access.UsersManage]),
		"a checkin.scan holder":         actorUser(t, app, w.Staff[access.CheckinScan]),
		"a reviewer scoped to a tag":    actorUser(t, app, w.Scoped[access.VerificationReview]),
		"another student through a bot": audit.Bot(userRecord(t, app, w.Student2)),
	} {
		for _, status := range []string{verification.StatusApproved, verification.StatusRejected} {
			err := setStatus(app, w.Student, status, "reason", actor)
			var apiErr *router.ApiError
			if !errors.As(err, &apiErr) || apiErr.Status != http.StatusForbidden {
				t.Errorf("%s sets %s: %v, want a 403", name, status, err)
			}
		}
	}
	if u := load(t, app, w.Student); u.Status != verification.StatusPending || u.Note != "" || u.ReviewedAt != "" {
		t.Fatalf("refused saves changed the student: %+v", u)
	}
	if n := len(messages(t, app, w.Student)); n != 1 {
		t.Fatalf("%d notifications, want only the submission's", n)
	}

	// a reviewer through the bot and the system (a job) may decide
	mustSetStatus(t, app, w.Student, verification.StatusApproved, "", audit.Bot(userRecord(t, app, w.Staff[access.VerificationReview])))
	if u := load(t, app, w.Student); u.ReviewedBy != w.Staff[access.VerificationReview] {
		t.Fatalf("reviewed by %q", u.ReviewedBy)
	}
	mustSetStatus(t, app, w.Student, verification.StatusRejected, "expired card", audit.System)
	if u := load(t, app, w.Student); u.Status != verification.StatusRejected || u.ReviewedBy != "" {
		t.Fatalf("after the system's rejection: %+v", u)
	}
}

// The 400 of a refused transition carries the field errors in PocketBase's
// shape when it comes from Go too.
func TestGoSaveValidationErrorsNameFields(t *testing.T) {
	app, w := testapp.New(t)
	upload(t, app, w.Student, testapp.PNG(16, 16), actorUser(t, app, w.Student))
	err := setStatus(app, w.Student, verification.StatusRejected, "", audit.System)
	apiErr := router.ToApiError(err)
	if apiErr.Status != http.StatusBadRequest || apiErr.Data["verification_note"] == nil {
		t.Fatalf("rejecting without a reason: %v (%+v), want a 400 naming verification_note", err, apiErr.Data)
	}
}

// Deleting a reviewer's account clears them from the decisions they made
// (PocketBase does so through a users save, which the hooks let through).
func TestDeletedReviewerIsClearedFromDecisions(t *testing.T) {
	app, w := testapp.New(t)
	reviewer := w.Staff[access.VerificationReview]
	upload(t, app, w.Student, testapp.PNG(16, 16), actorUser(t, app, w.Student))
	mustSetStatus(t, app, w.Student, verification.StatusApproved, "", actorUser(t, app, reviewer))
	if err := app.Delete(userRecord(t, app, reviewer)); err != nil {
		t.Fatal(err)
	}
	if u := load(t, app, w.Student); u.ReviewedBy != "" || u.Status != verification.StatusApproved {
		t.Fatalf("after deleting the reviewer: %+v", u)
	}
}
