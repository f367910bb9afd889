package claims_test

import (
	"net/http"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
)

// awardsOf returns the user's awards of an achievement.
func awardsOf(t testing.TB, app core.App, user, achievement string) []*core.Record {
	t.Helper()
	recs, err := app.FindAllRecords("awards", dbx.HashExp{"user": user, "achievement": achievement})
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// Approving with an achievement awards it once, from the claim; a student
// who has it already does not get it twice.
func TestApprovalWithAnAchievement(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := serve(t, app)
	reviewer := w.Staff[access.ClaimsReview]
	speaker := testapp.Save(t, app, "achievements", map[string]any{"title": "Speaker", "points": 30, "active": true})

	body := decide(t, h, w.Token(reviewer), w.Claim, map[string]any{"status": "approved", "points": 25, "achievement": speaker.Id}, 200)
	mustContain(t, body, `"achievement":"`+speaker.Id+`"`)
	awards := awardsOf(t, app, w.Student, speaker.Id)
	if len(awards) != 1 {
		t.Fatalf("%d awards of the achievement, want 1", len(awards))
	}
	a := awards[0]
	if a.GetString("source") != "claim" || a.GetString("claim") != w.Claim || a.GetString("awarded_by") != reviewer {
		t.Errorf("award: source %q claim %q awarded_by %q", a.GetString("source"), a.GetString("claim"), a.GetString("awarded_by"))
	}
	n := notices(t, app, w.Student, "claim_approved")
	if len(n) != 1 || n[0].Payload["achievement"] != speaker.Id {
		t.Errorf("approval notices: %+v", n)
	}

	// reopened and approved again with the same achievement: still one award
	decide(t, h, w.Token(w.Superuser), w.Claim, map[string]any{"status": "pending"}, 200)
	decide(t, h, w.Token(reviewer), w.Claim, map[string]any{"status": "approved"}, 200)
	if got := len(awardsOf(t, app, w.Student, speaker.Id)); got != 1 {
		t.Errorf("%d awards after re-approval, want 1", got)
	}

	// the fixture student holds the fixture achievement already
	other := testapp.Save(t, app, "claims", map[string]any{"user": w.Student, "title": "Second talk"})
	awardsBefore := count(t, app, "awards")
	decide(t, h, w.Token(reviewer), other.Id, map[string]any{"status": "approved", "points": 5, "achievement": w.Achievement}, 200)
	if got := count(t, app, "awards"); got != awardsBefore {
		t.Errorf("%d awards, want %d: the student had the achievement", got, awardsBefore)
	}
}

// Deleting an achievement unsets it on the claims that named it. That is no
// new decision: it is not refused on decided claims and notifies nobody.
func TestDeletedAchievementLeavesDecisionsAlone(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := serve(t, app)
	speaker := testapp.Save(t, app, "achievements", map[string]any{"title": "Speaker", "points": 30, "active": true})
	decide(t, h, w.Token(w.Staff[access.ClaimsReview]), w.Claim, map[string]any{"status": "approved", "points": 25, "achievement": speaker.Id}, 200)
	outbox, total := count(t, app, "outbox"), claimTotal(t, app, w.Claim)

	st, body := do(h, http.MethodDelete, "/api/collections/achievements/records/"+speaker.Id, w.Token(w.Staff[access.AchievementsManage]), nil, "")
	if st != http.StatusNoContent {
		t.Fatalf("delete the achievement: %d %s", st, body)
	}
	c := testapp.Find(t, app, "claims", w.Claim)
	if c.GetString("status") != "approved" || c.GetString("achievement") != "" {
		t.Errorf("claim after the achievement's deletion: status %q achievement %q", c.GetString("status"), c.GetString("achievement"))
	}
	if got := claimTotal(t, app, w.Claim); got != total {
		t.Errorf("claim total %d, want %d", got, total)
	}
	if got := count(t, app, "outbox"); got != outbox {
		t.Errorf("outbox %d rows, want %d", got, outbox)
	}
}
