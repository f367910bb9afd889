package meetups_test

import (
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/tools/router"

	"questbase/hooks/access"
	"questbase/hooks/audit"
	"questbase/hooks/meetups"
	"questbase/hooks/testapp"
)

// errCode returns the error code PocketBase would answer for field.
func errCode(err error, field string) string {
	var api *router.ApiError
	if !errors.As(err, &api) {
		return ""
	}
	raw, _ := json.Marshal(api.Data)
	var data map[string]struct{ Code string }
	json.Unmarshal(raw, &data)
	return data[field].Code
}

// Students register themselves only for a published meetup inside its
// registration window (open until the start when no window is set); staff
// may add people to a published meetup at any time. A refusal names the
// reason and stores nothing.
func TestRegistrationWindow(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	now := time.Now()
	cases := []struct {
		name string
		data map[string]any
		want string // error code on the meetup field, "" for accepted
	}{
		{"open until the start", nil, ""},
		{"window open", map[string]any{"registration_opens_at": now.Add(-time.Hour), "registration_closes_at": now.Add(time.Hour)}, ""},
		{"window not open yet", map[string]any{"registration_opens_at": now.Add(time.Hour)}, "registration_not_open"},
		{"window closed", map[string]any{"registration_closes_at": now.Add(-time.Minute)}, "registration_closed"},
		{"started, no window", map[string]any{"starts_at": now.Add(-time.Hour)}, "registration_closed"},
		{"a window beyond the start", map[string]any{"starts_at": now.Add(-time.Hour), "registration_closes_at": now.Add(time.Hour)}, ""},
		{"draft", map[string]any{"status": "draft"}, "meetup_not_open"},
		{"finished", map[string]any{"status": "finished"}, "meetup_not_open"},
		{"cancelled", map[string]any{"status": "cancelled"}, "meetup_cancelled"},
	}
	h := testapp.Handler(t, app)
	for _, c := range cases {
		m := meetup(t, app, c.data)
		// through the bot, which acts for the student
		u := testapp.Find(t, app, "users", w.Student2)
		_, err := meetups.Join(audit.WithActor(ctx, audit.Bot(u)), app, m.Id, w.Student2, meetups.SourceBot)
		if got := errCode(err, "meetup"); got != c.want || (c.want == "" && err != nil) {
			t.Errorf("%s, bot: %v (code %q), want %q", c.name, err, got, c.want)
		}
		// through the API
		status, body := register(h, w.Token(w.Student), m.Id, w.Student)
		if wantStatus := map[bool]int{true: 200, false: 400}[c.want == ""]; status != wantStatus {
			t.Errorf("%s, API: %d %v", c.name, status, body)
		}
		// staff add people to any published meetup, window or not
		if c.data["status"] == nil {
			if status, body := register(h, w.Token(w.Staff[access.MeetupsManage]), m.Id, w.Host); status != 200 {
				t.Errorf("%s, staff: %d %v", c.name, status, body)
			}
		}
		want := 0
		if c.want == "" {
			want = 2
		}
		if got := len(statuses(t, app, m.Id)) - map[bool]int{true: 1, false: 0}[c.data["status"] == nil]; got != want {
			t.Errorf("%s: %d student registrations stored, want %d", c.name, got, want)
		}
	}
}

// One registration per person and meetup; a student cannot register
// someone else, or claim a walk-in or admin registration.
func TestOneRegistrationPerPerson(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	status, body := register(h, w.Token(w.Student), w.Meetup, w.Student)
	if status != 400 || !strings.Contains(string(mustJSON(body)), "validation_not_unique") {
		t.Errorf("second registration: %d %v", status, body)
	}
	if status, body := register(h, w.Token(w.Student2), w.Meetup, w.Student); status != 400 {
		t.Errorf("registering someone else: %d %v", status, body)
	}
	status, raw := testapp.Do(h, http.MethodPost, recordsURL+"registrations/records", w.Token(w.Student2), map[string]any{"meetup": w.Meetup, "user": w.Student2, "source": "walk_in"})
	if status != 400 || !strings.Contains(string(raw), `"source"`) {
		t.Errorf("a student's walk-in: %d %s", status, raw)
	}
	if got := len(statuses(t, app, w.Meetup)); got != 1 {
		t.Errorf("%d registrations, want the fixture's one", got)
	}
}

func mustJSON(v any) []byte { b, _ := json.Marshal(v); return b }

// A full meetup puts newcomers on the waitlist in order; a cancelled seat
// goes to the first waiting, who is told; a waitlisted person cancelling
// frees nothing; registering again after cancelling queues at the end; a
// larger capacity promotes the next in line.
func TestWaitlistPromotion(t *testing.T) {
	t.Parallel()
	app, _ := testapp.New(t)
	h := testapp.Handler(t, app)
	m := meetup(t, app, map[string]any{"capacity": 2})
	ids, toks := make([]string, 5), make([]string, 5)
	regs := make([]string, 5)
	for i := range ids {
		ids[i], toks[i] = student(t, app, string(rune('A'+i)))
		status, body := register(h, toks[i], m.Id, ids[i])
		if status != 200 {
			t.Fatalf("register %d: %d %v", i, status, body)
		}
		regs[i] = body["id"].(string)
		want := "registered"
		if i >= 2 {
			want = "waitlisted"
		}
		if body["status"] != want {
			t.Fatalf("person %d: %v, want %s", i, body["status"], want)
		}
	}
	patch := func(i int, status string) (int, []byte) {
		return testapp.Do(h, http.MethodPatch, recordsURL+"registrations/records/"+regs[i], toks[i], map[string]any{"status": status})
	}
	expect := func(step string, want ...string) {
		t.Helper()
		got := statuses(t, app, m.Id)
		for i, st := range want {
			if got[ids[i]] != st {
				t.Errorf("%s: person %d is %s, want %s (all: %v)", step, i, got[ids[i]], st, want)
			}
		}
	}

	// a waitlisted person cannot take a seat themselves
	if status, _ := patch(2, "registered"); status != 404 {
		t.Errorf("waitlisted takes a seat: %d", status)
	}
	if status, body := patch(0, "cancelled"); status != 200 {
		t.Fatalf("cancel: %d %s", status, body)
	}
	expect("A cancelled", "cancelled", "registered", "registered", "waitlisted", "waitlisted")
	if got := notices(t, app, ids[2], "waitlist_promoted"); len(got) != 1 {
		t.Errorf("C got %d promotion notices, want 1", len(got))
	}
	if testapp.Find(t, app, "registrations", regs[2]).GetDateTime("promoted_at").IsZero() {
		t.Error("promoted_at not set")
	}
	if testapp.Find(t, app, "registrations", regs[0]).GetDateTime("cancelled_at").IsZero() {
		t.Error("cancelled_at not set")
	}
	patch(3, "cancelled")
	expect("D (waitlisted) cancelled", "cancelled", "registered", "registered", "cancelled", "waitlisted")

	// A comes back: the meetup is full, so behind E
	if status, body := patch(0, "registered"); status != 200 || !strings.Contains(string(body), `"status":"waitlisted"`) {
		t.Fatalf("A registers again: %d %s", status, body)
	}
	patch(1, "cancelled")
	expect("B cancelled", "waitlisted", "cancelled", "registered", "cancelled", "registered")
	if got := notices(t, app, ids[4], "waitlist_promoted"); len(got) != 1 {
		t.Errorf("E got %d promotion notices, want 1", len(got))
	}

	// more seats: A, the next in line, gets one
	mm := testapp.Find(t, app, "meetups", m.Id)
	mm.Set("capacity", 3)
	if err := app.Save(mm); err != nil {
		t.Fatal(err)
	}
	expect("capacity 3", "registered", "cancelled", "registered", "cancelled", "registered")
	// promoted, cancelled, re-registered, promoted again: told each time
	for i, want := range []int{1, 0, 1, 0, 1} {
		if got := len(notices(t, app, ids[i], "waitlist_promoted")); got != want {
			t.Errorf("person %d: %d promotion notices, want %d", i, got, want)
		}
	}
	// a student cannot move their registration or set the service's fields
	status, _ := testapp.Do(h, http.MethodPatch, recordsURL+"registrations/records/"+regs[0], toks[0], map[string]any{"promoted_at": ""})
	if status != 404 {
		t.Errorf("clearing promoted_at: %d", status)
	}
}

// Fifty students register at once for ten seats: exactly ten get seats,
// forty wait, and the queue numbers follow the order the service accepted
// them; then three seats freed at once go to the first three waiting.
func TestConcurrentRegistrationsKeepCapacity(t *testing.T) {
	t.Parallel()
	app, _ := testapp.New(t)
	h := testapp.Handler(t, app)
	m := meetup(t, app, map[string]any{"capacity": 10})
	const n = 50
	ids, toks := make([]string, n), make([]string, n)
	for i := range n {
		ids[i], toks[i] = student(t, app, "S")
	}
	codes := make([]int, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			codes[i], _ = register(h, toks[i], m.Id, ids[i])
		})
	}
	close(start)
	wg.Wait()
	for i, c := range codes {
		if c != 200 {
			t.Fatalf("registration %d: %d", i, c)
		}
	}
	type row struct {
		ID     string `db:"id"`
		User   string `db:"user"`
		Status string `db:"status"`
		Seq    int    `db:"seq"`
	}
	load := func() []row {
		var rows []row
		if err := app.DB().Select("id", "user", "status", "seq").From("registrations").Where(dbx.HashExp{"meetup": m.Id}).OrderBy("seq").All(&rows); err != nil {
			t.Fatal(err)
		}
		return rows
	}
	rows := load()
	if len(rows) != n {
		t.Fatalf("%d registrations, want %d", len(rows), n)
	}
	for i, r := range rows {
		want := "registered"
		if i >= 10 {
			want = "waitlisted"
		}
		if r.Seq != i+1 || r.Status != want {
			t.Fatalf("queue position %d: seq %d %s, want seq %d %s", i, r.Seq, r.Status, i+1, want)
		}
	}

	// three of the seated cancel at once
	for i := range 3 {
		wg.Go(func() {
			reg := rows[i*3]
			tok := toks[slices.Index(ids, reg.User)]
			if st, body := testapp.Do(h, http.MethodPatch, recordsURL+"registrations/records/"+reg.ID, tok, map[string]any{"status": "cancelled"}); st != 200 {
				t.Errorf("cancel: %d %s", st, body)
			}
		})
	}
	wg.Wait()
	after := load()
	seated := 0
	for i, r := range after {
		if r.Status == "registered" {
			seated++
		}
		if i >= 10 && i < 13 && r.Status != "registered" {
			t.Errorf("queue position %d (first waiting) is %s", i, r.Status)
		}
		if i >= 13 && r.Status != "waitlisted" {
			t.Errorf("queue position %d is %s, want waitlisted", i, r.Status)
		}
	}
	if seated != 10 {
		t.Errorf("%d seated after three cancellations, want 10", seated)
	}
}

// Go code (the bot) registers and cancels through Join and Leave, by the
// same rules; leaving twice changes nothing.
func TestJoinAndLeave(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	m := meetup(t, app, map[string]any{"capacity": 1})
	u2 := testapp.Find(t, app, "users", w.Student2)
	bot := audit.WithActor(ctx, audit.Bot(u2))
	reg, err := meetups.Join(bot, app, m.Id, w.Student2, meetups.SourceBot)
	if err != nil || reg.GetString("status") != "registered" || reg.GetString("source") != "bot" {
		t.Fatalf("join: %v %v", err, reg)
	}
	again, err := meetups.Join(bot, app, m.Id, w.Student2, meetups.SourceBot)
	if err != nil || again.Id != reg.Id {
		t.Fatalf("joining twice: %v", err)
	}
	host := testapp.Find(t, app, "users", w.Host)
	if r, err := meetups.Join(audit.WithActor(ctx, audit.Bot(host)), app, m.Id, w.Host, meetups.SourceBot); err != nil || r.GetString("status") != "waitlisted" {
		t.Fatalf("second person: %v %v", err, r)
	}
	for range 2 {
		if r, err := meetups.Leave(bot, app, m.Id, w.Student2); err != nil || r.GetString("status") != "cancelled" {
			t.Fatalf("leave: %v %v", err, r)
		}
	}
	if got := statuses(t, app, m.Id)[w.Host]; got != "registered" {
		t.Errorf("the host after the student left: %s", got)
	}
	var rows int
	app.DB().NewQuery("SELECT count(*) FROM audit_log WHERE collection = 'registrations' AND action = 'cancel'").Row(&rows)
	if rows != 1 {
		t.Errorf("%d cancel audit rows, want 1", rows)
	}
	if _, err := meetups.Leave(bot, app, m.Id, w.Student); err == nil {
		t.Error("leaving a meetup one never joined")
	}
}
