package meetups

import (
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"golang.org/x/net/html"
)

// defaultLength is how long a meetup without an end time lasts in a
// calendar: an event with no end shows as a zero-length point.
const defaultLength = 2 * time.Hour

// feedPast is how far back the feed reaches, so that a meetup does not
// vanish from subscribed calendars the moment it starts.
const feedPast = 30 * 24 * time.Hour

// feedLimit bounds the feed's size.
const feedLimit = 1000

// calendar writes meetups as one iCalendar object.
type calendar struct {
	// uidHost makes UIDs globally unique: "<meetup id>@<host>".
	uidHost string
}

func newCalendar(publicURL string) calendar {
	host := "questbase"
	if u, err := url.Parse(publicURL); err == nil && u.Hostname() != "" {
		host = u.Hostname()
	}
	return calendar{uidHost: host}
}

// render returns the iCalendar text of meetups, stamped now.
func (c calendar) render(app core.App, name string, meetups []*core.Record, now time.Time, feed bool) (string, error) {
	tags, err := tagNames(app, meetups)
	if err != nil {
		return "", err
	}
	var w icsWriter
	w.line("BEGIN", "VCALENDAR")
	w.line("VERSION", "2.0")
	w.line("PRODID", "-//questbase//meetups//RU")
	w.line("CALSCALE", "GREGORIAN")
	w.line("METHOD", "PUBLISH")
	w.text("X-WR-CALNAME", name)
	if feed {
		// subscribed calendars poll the feed this often
		w.line("REFRESH-INTERVAL;VALUE=DURATION", "PT1H")
		w.line("X-PUBLISHED-TTL", "PT1H")
	}
	for _, m := range meetups {
		c.event(&w, m, tags, now)
	}
	w.line("END", "VCALENDAR")
	return w.String(), nil
}

func (c calendar) event(w *icsWriter, m *core.Record, tags map[string]string, now time.Time) {
	start := m.GetDateTime("starts_at").Time()
	end := m.GetDateTime("ends_at").Time()
	if m.GetDateTime("ends_at").IsZero() || end.Before(start) {
		end = start.Add(defaultLength)
	}
	w.line("BEGIN", "VEVENT")
	w.text("UID", m.Id+"@"+c.uidHost)
	w.time("DTSTAMP", now)
	w.time("DTSTART", start)
	w.time("DTEND", end)
	if updated := m.GetDateTime("updated"); !updated.IsZero() {
		w.time("LAST-MODIFIED", updated.Time())
	}
	w.text("SUMMARY", m.GetString("title"))
	if d := description(m); d != "" {
		w.text("DESCRIPTION", d)
	}
	if loc := m.GetString("location"); loc != "" {
		w.text("LOCATION", loc)
	}
	var cats []string
	for _, t := range m.GetStringSlice("tags") {
		if n := tags[t]; n != "" {
			cats = append(cats, escapeText(n))
		}
	}
	if len(cats) > 0 {
		// the commas between categories are separators, not escaped
		w.line("CATEGORIES", strings.Join(cats, ","))
	}
	status := "CONFIRMED"
	if m.GetString("status") == StatusCancelled {
		status = "CANCELLED"
	}
	w.line("STATUS", status)
	w.line("END", "VEVENT")
}

// description is the meetup's description as plain text, followed by its
// agenda.
func description(m *core.Record) string {
	text := htmlToText(m.GetString("description"))
	var agenda []struct {
		At      string `json:"at"`
		Title   string `json:"title"`
		Speaker string `json:"speaker"`
	}
	if raw := m.GetString("agenda"); raw != "" && json.Unmarshal([]byte(raw), &agenda) == nil && len(agenda) > 0 {
		var b strings.Builder
		for _, it := range agenda {
			line := strings.TrimSpace(it.At + " " + it.Title)
			if it.Speaker != "" {
				line += " — " + it.Speaker
			}
			if line != "" {
				b.WriteString(line + "\n")
			}
		}
		if b.Len() > 0 {
			if text != "" {
				text += "\n\n"
			}
			text += strings.TrimRight(b.String(), "\n")
		}
	}
	return text
}

// htmlToText flattens the editor's HTML: text kept, blocks and line breaks
// as newlines, entities decoded.
func htmlToText(s string) string {
	if s == "" {
		return ""
	}
	z := html.NewTokenizer(strings.NewReader(s))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			if z.Err() != io.EOF {
				return strings.TrimSpace(b.String())
			}
			return strings.TrimSpace(collapseBlankLines(b.String()))
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch string(name) {
			case "br", "p", "div", "li", "h1", "h2", "h3", "h4", "h5", "h6", "tr", "ul", "ol", "blockquote", "pre":
				b.WriteByte('\n')
			}
		}
	}
}

func collapseBlankLines(s string) string {
	lines := strings.Split(s, "\n")
	out := lines[:0]
	blank := 0
	for _, l := range lines {
		l = strings.TrimRight(l, " \t")
		if l == "" {
			blank++
			if blank > 1 {
				continue
			}
		} else {
			blank = 0
		}
		out = append(out, l)
	}
	return strings.Join(out, "\n")
}

// tagNames maps the ids of the meetups' tags to their names.
func tagNames(app core.App, meetups []*core.Record) (map[string]string, error) {
	ids := map[string]bool{}
	for _, m := range meetups {
		for _, t := range m.GetStringSlice("tags") {
			ids[t] = true
		}
	}
	names := map[string]string{}
	if len(ids) == 0 {
		return names, nil
	}
	in := make([]any, 0, len(ids))
	for id := range ids {
		in = append(in, id)
	}
	var rows []struct {
		ID   string `db:"id"`
		Name string `db:"name"`
	}
	if err := app.DB().Select("id", "name").From("tags").Where(dbx.In("id", in...)).All(&rows); err != nil {
		return nil, fmt.Errorf("meetups: tag names: %w", err)
	}
	for _, r := range rows {
		names[r.ID] = r.Name
	}
	return names, nil
}
