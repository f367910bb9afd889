package meetups_test

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	ics "github.com/arran4/golang-ical"

	"questbase/hooks/testapp"
)

func getICS(t *testing.T, h http.Handler, url string) (int, http.Header, string) {
	t.Helper()
	req := httptest.NewRequest(http.MethodGet, url, nil)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Header(), rec.Body.String()
}

// checkFraming asserts RFC 5545's line rules on a whole object.
func checkFraming(t *testing.T, body string) {
	t.Helper()
	if !strings.HasSuffix(body, "\r\n") {
		t.Error("the object does not end with CRLF")
	}
	for i, line := range strings.Split(strings.TrimSuffix(body, "\r\n"), "\r\n") {
		if len(line) > 75 {
			t.Errorf("line %d has %d octets: %q", i, len(line), line)
		}
		if strings.ContainsAny(line, "\r\n") {
			t.Errorf("line %d has a bare line break: %q", i, line)
		}
	}
}

// A meetup exports as one event that a calendar library reads back with
// the same title, description, place and times (in UTC), a UID that stays
// the same between downloads, and a cancelled meetup as cancelled.
func TestMeetupCalendarEvent(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	start := time.Date(2030, 3, 14, 15, 30, 0, 0, time.FixedZone("MSK", 3*3600))
	title := `Go, Rust; и "всё\остальное" — ` + strings.Repeat("очень длинное название ", 5)
	m := meetup(t, app, map[string]any{
		"title": title, "starts_at": start, "ends_at": start.Add(90 * time.Minute),
		"location":    "Корпус 2, ауд. 404; вход со двора",
		"description": "<p>First line, with <b>bold</b> &amp; more</p><p>Second; line</p>",
		"agenda":      []map[string]any{{"at": "18:30", "title": "Talk", "speaker": "Вера"}},
		"tags":        []string{w.TagML, w.TagWeb},
	})
	url := "/api/meetups/" + m.Id + "/calendar.ics"
	status, hdr, body := getICS(t, h, url)
	if status != 200 || !strings.HasPrefix(hdr.Get("Content-Type"), "text/calendar") {
		t.Fatalf("GET %s: %d %s\n%s", url, status, hdr.Get("Content-Type"), body)
	}
	checkFraming(t, body)
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatalf("parse: %v\n%s", err, body)
	}
	events := cal.Events()
	if len(events) != 1 {
		t.Fatalf("%d events", len(events))
	}
	ev := events[0]
	prop := func(p ics.ComponentProperty) string {
		if v := ev.GetProperty(p); v != nil {
			return v.Value
		}
		return ""
	}
	if got := prop(ics.ComponentPropertySummary); got != title {
		t.Errorf("SUMMARY %q, want %q", got, title)
	}
	if got, want := prop(ics.ComponentPropertyDescription), "First line, with bold & more\n\nSecond; line\n\n18:30 Talk — Вера"; got != want {
		t.Errorf("DESCRIPTION %q, want %q", got, want)
	}
	if got := prop(ics.ComponentPropertyLocation); got != "Корпус 2, ауд. 404; вход со двора" {
		t.Errorf("LOCATION %q", got)
	}
	if got := prop(ics.ComponentPropertyDtStart); got != "20300314T123000Z" {
		t.Errorf("DTSTART %q, want UTC 20300314T123000Z", got)
	}
	if got := prop(ics.ComponentPropertyDtEnd); got != "20300314T140000Z" {
		t.Errorf("DTEND %q", got)
	}
	if got, err := ev.GetStartAt(); err != nil || !got.Equal(start) {
		t.Errorf("start %v (%v), want %v", got, err, start)
	}
	if prop(ics.ComponentPropertyDtstamp) == "" || prop(ics.ComponentPropertyStatus) != "CONFIRMED" {
		t.Errorf("DTSTAMP %q STATUS %q", prop(ics.ComponentPropertyDtstamp), prop(ics.ComponentPropertyStatus))
	}
	if got := prop(ics.ComponentPropertyCategories); got != "ml,web" && got != "web,ml" {
		t.Errorf("CATEGORIES %q", got)
	}
	uid := ev.Id()
	if uid != m.Id+"@questbase" {
		t.Errorf("UID %q", uid)
	}

	rec := testapp.Find(t, app, "meetups", m.Id)
	rec.Set("status", "cancelled")
	mustUpdate(t, app, rec)
	_, _, body = getICS(t, h, url)
	cal, err = ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	ev = cal.Events()[0]
	if ev.Id() != uid || ev.GetProperty(ics.ComponentPropertyStatus).Value != "CANCELLED" {
		t.Errorf("after cancelling: UID %q STATUS %q", ev.Id(), ev.GetProperty(ics.ComponentPropertyStatus).Value)
	}

	for _, id := range []string{w.DraftMeetup, "nosuchmeetup000"} {
		if status, _, _ := getICS(t, h, "/api/meetups/"+id+"/calendar.ics"); status != 404 {
			t.Errorf("%s: %d, want 404", id, status)
		}
	}
}

// The feed lists published and cancelled meetups from the last 30 days on,
// never drafts, optionally for one tag; a meetup without an end lasts two
// hours.
func TestMeetupCalendarFeed(t *testing.T) {
	t.Parallel()
	app, w := testapp.New(t)
	h := testapp.Handler(t, app)
	now := time.Now()
	web := meetup(t, app, map[string]any{"title": "Web", "tags": []string{w.TagWeb}})
	gone := meetup(t, app, map[string]any{"title": "Gone", "status": "cancelled"})
	past := meetup(t, app, map[string]any{"title": "Long ago", "starts_at": now.AddDate(0, -2, 0)})
	status, _, body := getICS(t, h, "/api/meetups/calendar.ics")
	if status != 200 {
		t.Fatalf("feed: %d", status)
	}
	checkFraming(t, body)
	cal, err := ics.ParseCalendar(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]*ics.VEvent{}
	for _, ev := range cal.Events() {
		got[strings.TrimSuffix(ev.Id(), "@questbase")] = ev
	}
	for id, want := range map[string]bool{w.Meetup: true, web.Id: true, gone.Id: true, past.Id: false, w.DraftMeetup: false} {
		if _, ok := got[id]; ok != want {
			t.Errorf("meetup %s in the feed: %v, want %v", id, ok, want)
		}
	}
	ev := got[web.Id]
	s, _ := ev.GetStartAt()
	e, _ := ev.GetEndAt()
	if e.Sub(s) != 2*time.Hour {
		t.Errorf("a meetup without an end lasts %s", e.Sub(s))
	}

	_, _, body = getICS(t, h, "/api/meetups/calendar.ics?tag="+w.TagWeb)
	cal, _ = ics.ParseCalendar(strings.NewReader(body))
	if evs := cal.Events(); len(evs) != 1 || !strings.HasPrefix(evs[0].Id(), web.Id) {
		t.Errorf("Web feed: %d events", len(evs))
	}
}
