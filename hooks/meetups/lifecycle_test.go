package meetups_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
)

// A meetup moves draft → published → finished, or to cancelled; other
// moves are refused naming the status; unpublishing is refused while
// people are registered; an end before the start is refused.
func TestMeetupLifecycle(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	tok := w.Token(w.Staff[access.MeetupsManage])
	m := testapp.Save(t, app, "meetups", map[string]any{"title": "Go night", "starts_at": time.Now().Add(48 * time.Hour), "tags": []string{w.TagML}})
	if got := m.GetString("status"); got != "draft" {
		t.Fatalf("a new meetup is %s, want draft", got)
	}
	url := recordsURL + "meetups/records/" + m.Id
	steps := []struct {
		body map[string]any
		want int
		code string
	}{
		{map[string]any{"status": "finished"}, 400, "validation_invalid_transition"},
		{map[string]any{"status": "published"}, 200, ""},
		{map[string]any{"ends_at": time.Now().Add(time.Hour).UTC().Format(time.RFC3339)}, 400, "validation_end_before_start"},
		{map[string]any{"registration_opens_at": time.Now().UTC().Format(time.RFC3339), "registration_closes_at": time.Now().Add(-time.Hour).UTC().Format(time.RFC3339)}, 400, "validation_window_closed"},
		{map[string]any{"status": "finished"}, 200, ""},
		{map[string]any{"status": "published"}, 200, ""}, // reopened: finished by mistake
	}
	for i, s := range steps {
		status, body := testapp.Do(h, http.MethodPatch, url, tok, s.body)
		if status != s.want || !strings.Contains(string(body), s.code) {
			t.Fatalf("step %d %v: %d %s", i, s.body, status, body)
		}
	}
	// someone registers: unpublishing would strand them
	testapp.Save(t, app, "registrations", map[string]any{"meetup": m.Id, "user": w.Student2})
	if status, body := testapp.Do(h, http.MethodPatch, url, tok, map[string]any{"status": "draft"}); status != 400 || !strings.Contains(string(body), "validation_has_registrations") {
		t.Errorf("unpublish with registrations: %d %s", status, body)
	}
	if status, _ := testapp.Do(h, http.MethodPatch, url, tok, map[string]any{"status": "cancelled"}); status != 200 {
		t.Fatalf("cancel: %d", status)
	}
	for _, st := range []string{"published", "draft", "finished"} {
		if status, _ := testapp.Do(h, http.MethodPatch, url, tok, map[string]any{"status": st}); status != 400 {
			t.Errorf("cancelled → %s: %d, want 400", st, status)
		}
	}
	if got := testapp.Find(t, app, "meetups", m.Id).GetString("status"); got != "cancelled" {
		t.Errorf("status %s after refused moves", got)
	}
	var actions []string
	app.DB().NewQuery("SELECT action FROM audit_log WHERE collection = 'meetups' AND record = {:id} ORDER BY created").Bind(map[string]any{"id": m.Id}).Column(&actions)
	if got := strings.Join(actions, ","); got != "create,publish,finish,publish,cancel" {
		t.Errorf("audit actions %s", got)
	}
}

// Cancelling a meetup tells everyone registered or waitlisted, once, and
// nobody who had cancelled; moving a published meetup's time or place
// tells them too, each move once; a new title tells nobody.
func TestMeetupNotices(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	m := meetup(t, app, map[string]any{"capacity": 1})
	a, _ := student(t, app, "A")
	b, _ := student(t, app, "B")
	c, _ := student(t, app, "C")
	for _, u := range []string{a, b, c} {
		testapp.Save(t, app, "registrations", map[string]any{"meetup": m.Id, "user": u})
	}
	regC, _ := app.FindFirstRecordByFilter("registrations", "user = {:u}", map[string]any{"u": c})
	regC.Set("status", "cancelled")
	if err := app.Save(regC); err != nil {
		t.Fatal(err)
	}
	if got := statuses(t, app, m.Id); got[a] != "registered" || got[b] != "waitlisted" {
		t.Fatalf("statuses %v", got)
	}

	rec := testapp.Find(t, app, "meetups", m.Id)
	rec.Set("title", "Renamed")
	mustUpdate(t, app, rec)
	rec.Set("location", "Room 101")
	mustUpdate(t, app, rec)
	rec.Set("starts_at", time.Now().Add(72*time.Hour))
	mustUpdate(t, app, rec)
	for _, u := range []string{a, b} {
		if got := notices(t, app, u, "meetup_changed"); len(got) != 2 {
			t.Errorf("%s: %d change notices, want 2 (place, time)", u, len(got))
		}
	}
	if got := notices(t, app, c, "meetup_changed"); len(got) != 0 {
		t.Errorf("a cancelled registration was told of a change")
	}

	rec.Set("status", "cancelled")
	mustUpdate(t, app, rec)
	rec.Set("description", "<p>Sorry</p>")
	mustUpdate(t, app, rec)
	for u, want := range map[string]int{a: 1, b: 1, c: 0, w.Student: 0} {
		if got := notices(t, app, u, "meetup_cancelled"); len(got) != want {
			t.Errorf("%s: %d cancellation notices, want %d", u, len(got), want)
		}
	}
}

func mustUpdate(t testing.TB, app core.App, rec *core.Record) {
	t.Helper()
	if err := app.Save(rec); err != nil {
		t.Fatalf("save %s: %v", rec.Id, err)
	}
}

// The organizer's counters: registered, waitlisted, cancelled and checked
// in, for the meetup's staff only.
func TestMeetupCounts(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	m := meetup(t, app, map[string]any{"capacity": 1, "tags": []string{w.TagWeb}})
	testapp.Save(t, app, "registrations", map[string]any{"meetup": m.Id, "user": w.Student})
	testapp.Save(t, app, "registrations", map[string]any{"meetup": m.Id, "user": w.Student2})
	testapp.Save(t, app, "checkins", map[string]any{"meetup": m.Id, "user": w.Student})
	url := "/api/meetups/" + m.Id + "/counts"
	for _, who := range []string{w.Staff[access.CheckinScan], w.Scoped[access.CheckinScan], w.Scoped[access.MeetupsManage], w.Staff[access.StatsView], w.Superuser} {
		status, body := testapp.Do(h, http.MethodGet, url, w.Token(who), nil)
		if status != 200 || !strings.Contains(string(body), `"registered":1,"waitlisted":1,"cancelled":0,"checked_in":1`) {
			t.Errorf("%s: %d %s", who, status, body)
		}
	}
	for who, want := range map[string]int{w.Student: 403, w.Host: 403, "": 401} {
		tok := ""
		if who != "" {
			tok = w.Token(who)
		}
		if status, _ := testapp.Do(h, http.MethodGet, url, tok, nil); status != want {
			t.Errorf("%q: %d, want %d", who, status, want)
		}
	}
	// scoped to Web: not the ML meetup's counters
	if status, _ := testapp.Do(h, http.MethodGet, "/api/meetups/"+w.Meetup+"/counts", w.Token(w.Scoped[access.CheckinScan]), nil); status != 403 {
		t.Errorf("Web scanner on the ML meetup: %d", status)
	}
}
