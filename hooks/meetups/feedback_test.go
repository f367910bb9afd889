package meetups_test

import (
	"encoding/json"
	"net/http"
	"testing"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
)

// Only people who took part rate a meetup: registered (with a seat) or
// checked in, at a published or finished meetup. Everyone else gets a 400
// naming the reason, and nothing is stored.
func TestFeedbackOnlyFromParticipants(t *testing.T) {
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	m := meetup(t, app, map[string]any{"capacity": 1})
	seated, seatedTok := student(t, app, "Seated")
	waiting, waitingTok := student(t, app, "Waiting")
	gone, goneTok := student(t, app, "Gone")
	walkIn, walkInTok := student(t, app, "WalkIn")
	stranger, strangerTok := student(t, app, "Stranger")
	testapp.Save(t, app, "registrations", map[string]any{"meetup": m.Id, "user": seated})
	testapp.Save(t, app, "registrations", map[string]any{"meetup": m.Id, "user": waiting}) // full: waitlisted
	r := testapp.Save(t, app, "registrations", map[string]any{"meetup": m.Id, "user": gone})
	r.Set("status", "cancelled")
	if err := app.Save(r); err != nil {
		t.Fatal(err)
	}
	code, body := testapp.Do(h, http.MethodPost, "/api/checkin", w.Token(w.Staff[access.CheckinScan]), map[string]any{"user": walkIn, "meetup": m.Id})
	if code != http.StatusOK {
		t.Fatalf("walk-in: %d %s", code, body)
	}
	draft := meetup(t, app, map[string]any{"status": "draft"})

	rate := func(token, meetup, user string) (int, string) {
		code, body := testapp.Do(h, http.MethodPost, "/api/collections/feedback/records", token, map[string]any{"meetup": meetup, "user": user, "rating": 4})
		var res struct {
			Data map[string]struct {
				Code string `json:"code"`
			} `json:"data"`
		}
		json.Unmarshal(body, &res)
		for _, f := range res.Data {
			return code, f.Code
		}
		return code, ""
	}
	for _, c := range []struct {
		name, token, meetup, user string
		status                    int
		reason                    string
	}{
		{"registered", seatedTok, m.Id, seated, 200, ""},
		{"checked in as a walk-in", walkInTok, m.Id, walkIn, 200, ""},
		{"waitlisted", waitingTok, m.Id, waiting, 400, "not_participant"},
		{"cancelled their registration", goneTok, m.Id, gone, 400, "not_participant"},
		{"never registered", strangerTok, m.Id, stranger, 400, "not_participant"},
		{"a draft meetup", seatedTok, draft.Id, seated, 400, "meetup_not_open"},
	} {
		before, _ := app.CountRecords("feedback")
		code, reason := rate(c.token, c.meetup, c.user)
		after, _ := app.CountRecords("feedback")
		if code != c.status || reason != c.reason {
			t.Errorf("%s: %d %q, want %d %q", c.name, code, reason, c.status, c.reason)
		}
		want := before
		if c.status == http.StatusOK {
			want++
		}
		if after != want {
			t.Errorf("%s: %d feedback rows, want %d", c.name, after, want)
		}
	}
}
