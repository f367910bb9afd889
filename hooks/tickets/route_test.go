package tickets_test

import (
	"bytes"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"questbase/hooks/testapp"
	"questbase/hooks/tickets"
)

type ticketBody struct {
	Kind      string `json:"kind"`
	ID        string `json:"id"`
	Meetup    string `json:"meetup"`
	Course    string `json:"course"`
	Code      string `json:"code"`
	QR        string `json:"qr"`
	Live      bool   `json:"live"`
	ExpiresAt string `json:"expires_at"`
}

// The owner of a registration gets its code and a QR image that an
// independent decoder reads back as the same code, which verifies as the
// registration; the PNG form is the same image.
func TestOwnerGetsTicketWithReadableQR(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	signer := tickets.New(app, testapp.TestConfig().TicketSecret)

	status, hdr, body := get(h, "/api/tickets/"+w.Registration, w.Token(w.Student))
	if status != http.StatusOK {
		t.Fatalf("GET ticket: %d %s", status, body)
	}
	if cc := hdr.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
		t.Errorf("Cache-Control %q: a ticket must not be cached", cc)
	}
	var tb ticketBody
	decodeJSON(t, body, &tb)
	if tb.Kind != "registration" || tb.ID != w.Registration || tb.Meetup != w.Meetup || tb.Live {
		t.Errorf("ticket %+v", tb)
	}
	got, err := signer.Verify(tb.Code, time.Now())
	if err != nil || got.ID != w.Registration || got.Kind != tickets.Registration {
		t.Fatalf("the code %q verifies as %+v, %v", tb.Code, got, err)
	}
	png, ok := strings.CutPrefix(tb.QR, "data:image/png;base64,")
	if !ok {
		t.Fatalf("qr is not a PNG data URL: %.40s", tb.QR)
	}
	raw, err := base64.StdEncoding.DecodeString(png)
	if err != nil {
		t.Fatal(err)
	}
	if text := readQR(t, bytes.NewReader(raw)); text != tb.Code {
		t.Errorf("the QR image reads %q, want %q", text, tb.Code)
	}

	status, hdr, img := get(h, "/api/tickets/"+w.Registration+"?format=png", w.Token(w.Student))
	if status != http.StatusOK || hdr.Get("Content-Type") != "image/png" {
		t.Fatalf("PNG form: %d %s", status, hdr.Get("Content-Type"))
	}
	if text := readQR(t, bytes.NewReader(img)); text != tb.Code {
		t.Errorf("the PNG reads %q, want %q", text, tb.Code)
	}
}

// Tickets are their owner's: another student, staff and superusers get a
// 404 as for a record they cannot see, a guest a 401; a waitlisted or
// cancelled registration has no ticket yet; enrollments have tickets too,
// and the live form is a rotating code.
func TestTicketAccessAndState(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	url := "/api/tickets/" + w.Registration
	for _, c := range []struct {
		who, token string
		want       int
	}{
		{"another student", w.Token(w.Student2), 404},
		{"a scanner", w.Token(w.Staff["checkin.scan"]), 404},
		{"a superuser", w.Token(w.Superuser), 404},
		{"a guest", "", 401},
	} {
		if status, _, body := get(h, url, c.token); status != c.want {
			t.Errorf("%s: %d, want %d: %s", c.who, status, c.want, body)
		}
	}
	if status, _, _ := get(h, "/api/tickets/nosuchrecord123", w.Token(w.Student)); status != 404 {
		t.Errorf("missing record: %d", status)
	}
	if status, _, body := get(h, url+"?format=gif", w.Token(w.Student)); status != 400 || !strings.Contains(string(body), `"format"`) {
		t.Errorf("unknown format: %d %s", status, body)
	}

	// the enrollment's ticket, in the live form
	status, _, body := get(h, "/api/tickets/"+w.Enrollment+"?live=1", w.Token(w.Student))
	if status != 200 {
		t.Fatalf("enrollment ticket: %d %s", status, body)
	}
	var tb ticketBody
	decodeJSON(t, body, &tb)
	got, err := tickets.New(app, testapp.TestConfig().TicketSecret).Verify(tb.Code, time.Now())
	if err != nil || got != (tickets.Ticket{Kind: tickets.Enrollment, ID: w.Enrollment, Rotating: true}) || !tb.Live || tb.Course != w.Course || tb.ExpiresAt == "" {
		t.Errorf("live enrollment ticket %+v verifies as %+v, %v", tb, got, err)
	}

	for _, st := range []string{"waitlisted", "cancelled"} {
		// written directly: the hooks would give the free seat right back
		if _, err := app.DB().Update("registrations", dbx.Params{"status": st}, dbx.HashExp{"id": w.Registration}).Execute(); err != nil {
			t.Fatal(err)
		}
		status, _, body := get(h, url, w.Token(w.Student))
		if status != 400 || !strings.Contains(string(body), `"code":"`+st+`"`) {
			t.Errorf("%s registration: %d %s", st, status, body)
		}
	}
}

// With QB_TICKET_WINDOW set, a live ticket says when its window (counted
// from the Unix epoch) ends, both as a time and as milliseconds from now,
// and a Signer with the same window verifies it while one with the
// default window does not.
func TestLiveTicketFollowsConfiguredWindow(t *testing.T) {
	t.Parallel()
	cfg := testapp.TestConfig()
	cfg.TicketWindow = 7 * time.Second
	app, w := testapp.NewWith(t, testapp.Options{Config: &cfg})
	h := testapp.Handler(t, app)

	before := time.Now()
	status, _, body := get(h, "/api/tickets/"+w.Registration+"?live=1", w.Token(w.Student))
	if status != 200 {
		t.Fatalf("live ticket: %d %s", status, body)
	}
	var tb struct {
		ticketBody
		RefreshIn int64 `json:"refresh_in"`
	}
	decodeJSON(t, body, &tb)
	end, err := time.Parse("2006-01-02 15:04:05.000Z", tb.ExpiresAt)
	if err != nil {
		t.Fatalf("expires_at %q: %v", tb.ExpiresAt, err)
	}
	if end.Unix()%7 != 0 || end.Before(before) || end.Sub(before) > 7*time.Second {
		t.Errorf("expires_at %s is not the end of the current 7 s window (asked at %s)", end, before)
	}
	if tb.RefreshIn <= 0 || tb.RefreshIn > 7000 {
		t.Errorf("refresh_in %d ms, want within one 7 s window", tb.RefreshIn)
	}
	if _, err := tickets.NewWithWindow(app, cfg.TicketSecret, cfg.TicketWindow).Verify(tb.Code, time.Now()); err != nil {
		t.Errorf("the same window refuses the code: %v", err)
	}
	if _, err := tickets.New(app, cfg.TicketSecret).Verify(tb.Code, time.Now()); tickets.ReasonOf(err) != "expired" {
		t.Errorf("the default window: %v, want expired (window numbers differ)", err)
	}
}
