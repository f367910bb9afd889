package checkin_test

import (
	"bytes"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
	"questbase/hooks/tickets"
)

// A scanner checks a registered student in with their ticket: the answer
// is the student's card (name, group, level, verification status and a
// photo link that works for the scanner), the meetup's points are paid
// once, the row names the scanner, and the audit log says "scan". The
// second scan, by someone else, answers "already" with when and by whom
// the first was made, and pays nothing.
func TestScanChecksInOnce(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	reg := testapp.Save(t, app, "registrations", map[string]any{"meetup": w.Meetup, "user": w.Student2})
	photo := uploadPhoto(t, app, w.Student2)
	before := balance(t, app, w.Student2)
	scannerID := w.Staff[access.CheckinScan]
	c := code(t, app, tickets.Registration, reg.Id)

	status, res, raw := scan(t, h, w.Token(scannerID), map[string]any{"code": c, "meetup": w.Meetup})
	if status != 200 || res.Result != "checked_in" {
		t.Fatalf("scan: %d %s", status, raw)
	}
	card := res.User
	if card.ID != w.Student2 || card.Name != "Борис Петров" || card.StudyGroup != "ИТ-22" || card.Level != 1 || card.LevelTitle == "" || card.VerificationStatus != "pending" {
		t.Errorf("card %+v", card)
	}
	if res.By != "Staff checkin.scan" || res.ByID != scannerID || res.Method != "qr" || res.Points != 10 || res.At == "" || res.Meetup.ID != w.Meetup || res.Registration != reg.Id {
		t.Errorf("answer %+v", res)
	}
	if !strings.HasPrefix(card.PhotoURL, "/api/files/users/"+w.Student2+"/") {
		t.Fatalf("photo_url %q", card.PhotoURL)
	}
	for _, u := range []string{card.PhotoURL, card.PhotoThumbURL} {
		st, body := testapp.Do(h, http.MethodGet, u, "", nil)
		if st != 200 || (u == card.PhotoURL && !bytes.Equal(body, photo)) {
			t.Errorf("GET %s: %d, %d bytes", u, st, len(body))
		}
	}
	if got := balance(t, app, w.Student2); got != before+10 {
		t.Errorf("balance %d, want %d", got, before+10)
	}
	row := testapp.Find(t, app, "checkins", res.Checkin)
	if row.GetString("scanned_by") != scannerID || row.GetString("registration") != reg.Id || row.GetString("method") != "qr" {
		t.Errorf("check-in row %v", row.FieldsData())
	}
	var action string
	app.DB().NewQuery("SELECT module || '/' || action FROM audit_log WHERE record = {:id}").Bind(dbx.Params{"id": res.Checkin}).Row(&action)
	if action != "checkin/scan" {
		t.Errorf("audit %q, want checkin/scan", action)
	}
	var notes int
	app.DB().NewQuery("SELECT count(*) FROM outbox WHERE user = {:u} AND kind = 'points'").Bind(dbx.Params{"u": w.Student2}).Row(&notes)
	if notes != 1 {
		t.Errorf("%d points notices, want 1", notes)
	}

	rows := countRows(t, app)
	for _, other := range []string{w.Superuser, w.Staff[access.CheckinScan]} {
		status, again, raw := scan(t, h, w.Token(other), map[string]any{"code": c, "meetup": w.Meetup})
		if status != 200 || again.Result != "already" || again.At != res.At || again.By != "Staff checkin.scan" || again.Points != 0 || again.User.ID != w.Student2 {
			t.Errorf("second scan: %d %s", status, raw)
		}
	}
	if after := countRows(t, app); after != rows {
		t.Errorf("a second scan wrote rows: %+v → %+v", rows, after)
	}
	if got := ledgerRows(t, app, w.Student2, "checkin"); len(got) != 1 || got[0] != 10 {
		t.Errorf("ledger %v, want one row of 10", got)
	}
	// the meetup is optional: the ticket names it
	if status, again, _ := scan(t, h, w.Token(scannerID), map[string]any{"code": strings.ToLower(c), "method": "code"}); status != 200 || again.Result != "already" {
		t.Errorf("typed code without the meetup: %d %+v", status, again)
	}
}

// Forged, malformed, expired, cancelled, waitlisted and other meetups'
// tickets, and bad bodies, are a 400 with a reason, and change nothing.
func TestScanRefusals(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	full := testapp.Save(t, app, "meetups", map[string]any{"title": "Full", "starts_at": time.Now().Add(time.Hour), "status": "published", "capacity": 1, "tags": []string{w.TagML}})
	testapp.Save(t, app, "registrations", map[string]any{"meetup": full.Id, "user": w.Student})
	waiting := testapp.Save(t, app, "registrations", map[string]any{"meetup": full.Id, "user": w.Student2})
	if waiting.GetString("status") != "waitlisted" {
		t.Fatal("setup: not waitlisted")
	}
	left := testapp.Save(t, app, "registrations", map[string]any{"meetup": w.Meetup, "user": w.Student2})
	left.Set("status", "cancelled")
	if err := app.Save(left); err != nil {
		t.Fatal(err)
	}
	gone := testapp.Save(t, app, "registrations", map[string]any{"meetup": w.Meetup, "user": w.Host})
	if err := app.Delete(gone); err != nil {
		t.Fatal(err)
	}
	cancelled := testapp.Save(t, app, "meetups", map[string]any{"title": "Off", "starts_at": time.Now().Add(time.Hour), "status": "published", "tags": []string{w.TagML}})
	offReg := testapp.Save(t, app, "registrations", map[string]any{"meetup": cancelled.Id, "user": w.Student2})
	cancelled.Set("status", "cancelled")
	if err := app.Save(cancelled); err != nil {
		t.Fatal(err)
	}

	valid := code(t, app, tickets.Registration, w.Registration)
	forged := valid[:len(valid)-3] + "AAA"
	if forged == valid {
		forged = valid[:len(valid)-3] + "BBB"
	}
	cases := []struct {
		name          string
		body          any
		field, reason string
	}{
		{"malformed", map[string]any{"code": "hello", "meetup": w.Meetup}, "code", "malformed"},
		{"forged", map[string]any{"code": forged, "meetup": w.Meetup}, "code", "invalid_signature"},
		{"another key", map[string]any{"code": func() string { c, _ := tickets.New(app, "other").Sign(tickets.Registration, w.Registration); return c }(), "meetup": w.Meetup}, "code", "invalid_signature"},
		{"expired live code", map[string]any{"code": rotating(t, app, tickets.Registration, w.Registration, time.Now().Add(-2*time.Minute)), "meetup": w.Meetup}, "code", "expired"},
		{"another meetup's ticket", map[string]any{"code": valid, "meetup": full.Id}, "code", "wrong_meetup"},
		{"cancelled registration", map[string]any{"code": code(t, app, tickets.Registration, left.Id), "meetup": w.Meetup}, "code", "cancelled"},
		{"waitlisted", map[string]any{"code": code(t, app, tickets.Registration, waiting.Id), "meetup": full.Id}, "code", "waitlisted"},
		{"deleted registration", map[string]any{"code": code(t, app, tickets.Registration, gone.Id), "meetup": w.Meetup}, "code", "not_registered"},
		{"cancelled meetup", map[string]any{"code": code(t, app, tickets.Registration, offReg.Id)}, "meetup", "meetup_cancelled"},
		{"a course ticket at a meetup", map[string]any{"code": code(t, app, tickets.Enrollment, w.Enrollment), "meetup": w.Meetup}, "code", "wrong_kind"},
		{"a meetup ticket at a session", map[string]any{"code": valid, "session": w.Session}, "code", "wrong_kind"},
		{"no code", map[string]any{"meetup": w.Meetup}, "code", "validation_required"},
		{"number as code", map[string]any{"code": 42, "meetup": w.Meetup}, "code", "validation_invalid_type"},
		{"unknown key", map[string]any{"code": valid, "meetup": w.Meetup, "points": 100}, "points", "validation_unknown_key"},
		{"unknown method", map[string]any{"code": valid, "method": "nfc"}, "method", "validation_invalid_value"},
		{"code and user", map[string]any{"code": valid, "user": w.Student, "meetup": w.Meetup}, "user", "validation_conflict"},
		{"not JSON", "code=" + valid, "code", "validation_invalid_body"},
		{"unknown meetup", map[string]any{"code": valid, "meetup": "nosuchmeetup000"}, "meetup", "not_found"},
	}
	before := countRows(t, app)
	tok := w.Token(w.Staff[access.CheckinScan])
	for _, c := range cases {
		status, _, raw := scan(t, h, tok, c.body)
		if status != 400 {
			t.Errorf("%s: %d %s", c.name, status, raw)
			continue
		}
		r := refusal(t, raw)
		fe, _ := r.Data[c.field].(map[string]any)
		if r.Reason != c.reason || fe["code"] != c.reason || r.Message == "" {
			t.Errorf("%s: %s, want %s on %s", c.name, raw, c.reason, c.field)
		}
	}
	if after := countRows(t, app); after != before {
		t.Errorf("refused scans wrote rows: %+v → %+v", before, after)
	}
}

// Only holders of checkin.scan for the meetup's tags (and superusers)
// check people in; nobody checks themselves in. A scanner scoped to Web
// checks in at a Web meetup and sees the photo of whom they scan.
func TestScanPermissions(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	reg := testapp.Save(t, app, "registrations", map[string]any{"meetup": w.Meetup, "user": w.Student2})
	c := code(t, app, tickets.Registration, reg.Id)
	for who, want := range map[string]int{
		w.Student2: 403, w.Student: 403, w.Host: 403,
		w.Scoped[access.CheckinScan]: 403, w.Staff[access.MeetupsManage]: 403, "": 401,
	} {
		tok := ""
		if who != "" {
			tok = w.Token(who)
		}
		if status, _, raw := scan(t, h, tok, map[string]any{"code": c, "meetup": w.Meetup}); status != want {
			t.Errorf("%s: %d %s, want %d", who, status, raw, want)
		}
	}
	if n := countRows(t, app).Checkins; n != 1 {
		t.Fatalf("%d check-ins after refused scans, want the fixture's 1", n)
	}

	web := testapp.Save(t, app, "meetups", map[string]any{"title": "Web", "starts_at": time.Now().Add(time.Hour), "status": "published", "points": 3, "tags": []string{w.TagWeb}})
	webReg := testapp.Save(t, app, "registrations", map[string]any{"meetup": web.Id, "user": w.Student2})
	photo := uploadPhoto(t, app, w.Student2)
	status, res, raw := scan(t, h, w.Token(w.Scoped[access.CheckinScan]), map[string]any{"code": code(t, app, tickets.Registration, webReg.Id), "meetup": web.Id})
	if status != 200 || res.Result != "checked_in" || res.User.PhotoURL == "" {
		t.Fatalf("Web scanner at the Web meetup: %d %s", status, raw)
	}
	if st, body := testapp.Do(h, http.MethodGet, res.User.PhotoURL, "", nil); st != 200 || !bytes.Equal(body, photo) {
		t.Errorf("the Web scanner's photo link: %d", st)
	}
	// their file token does not open the photo of someone not at their meetups
	uploadPhoto(t, app, w.Student)
	stu := testapp.Find(t, app, "users", w.Student)
	tok, _ := testapp.Find(t, app, "users", w.Scoped[access.CheckinScan]).NewFileToken()
	if st, _ := testapp.Do(h, http.MethodGet, "/api/files/users/"+w.Student+"/"+stu.GetString("verification_photo")+"?token="+tok, "", nil); st != 404 {
		t.Errorf("the Web scanner fetches an ML student's photo: %d", st)
	}
	// nor lists users
	if st, body := testapp.Do(h, http.MethodGet, "/api/collections/users/records", w.Token(w.Scoped[access.CheckinScan]), nil); st != 200 || strings.Contains(string(body), w.Student2) {
		t.Errorf("the Web scanner lists users: %d %s", st, body)
	}

	// a scanner with a ticket of their own
	self := scannerLike(t, app, w.Staff[access.CheckinScan], "Self")
	own := testapp.Save(t, app, "registrations", map[string]any{"meetup": w.Meetup, "user": self.Id})
	if status, _, raw := scan(t, h, token(t, self), map[string]any{"code": code(t, app, tickets.Registration, own.Id), "meetup": w.Meetup}); status != 403 {
		t.Errorf("checking oneself in: %d %s", status, raw)
	}
}

// A hundred organizers scan one ticket at once: one check-in, one ledger
// row, ninety-nine "already".
func TestConcurrentScansOfOneTicket(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	reg := testapp.Save(t, app, "registrations", map[string]any{"meetup": w.Meetup, "user": w.Student2})
	c := code(t, app, tickets.Registration, reg.Id)
	const n = 100
	toks := make([]string, n)
	for i := range toks {
		toks[i] = token(t, scannerLike(t, app, w.Staff[access.CheckinScan], "Org"))
	}
	results := make([]string, n)
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range n {
		wg.Go(func() {
			<-start
			status, res, raw := scan(t, h, toks[i], map[string]any{"code": c, "meetup": w.Meetup})
			if status != 200 {
				results[i] = string(raw)
				return
			}
			results[i] = res.Result
		})
	}
	close(start)
	wg.Wait()
	tally := map[string]int{}
	for _, r := range results {
		tally[r]++
	}
	if tally["checked_in"] != 1 || tally["already"] != n-1 {
		t.Fatalf("results %v", tally)
	}
	var rows int
	app.DB().NewQuery("SELECT count(*) FROM checkins WHERE user = {:u}").Bind(dbx.Params{"u": w.Student2}).Row(&rows)
	if rows != 1 {
		t.Errorf("%d check-ins", rows)
	}
	if got := ledgerRows(t, app, w.Student2, "checkin"); len(got) != 1 {
		t.Errorf("ledger rows %v, want 1", got)
	}
}

// The Mini App's live code checks in like the static one, recorded as a
// rotating_qr check-in.
func TestRotatingCodeChecksIn(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	reg := testapp.Save(t, app, "registrations", map[string]any{"meetup": w.Meetup, "user": w.Student2})
	status, raw := testapp.Do(h, http.MethodGet, "/api/tickets/"+reg.Id+"?live=1", w.Token(w.Student2), nil)
	if status != 200 {
		t.Fatalf("live ticket: %d %s", status, raw)
	}
	var tk struct{ Code string }
	decode(t, raw, &tk)
	status, res, raw := scan(t, h, w.Token(w.Staff[access.CheckinScan]), map[string]any{"code": tk.Code, "meetup": w.Meetup})
	if status != 200 || res.Result != "checked_in" || res.Method != "rotating_qr" {
		t.Errorf("live code: %d %s", status, raw)
	}
}
