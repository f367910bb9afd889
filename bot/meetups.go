package bot

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/tickets"
)

// The meetups screen: upcoming meetups with free seats, a meetup's card,
// registering (a seat or the waitlist, as the hooks decide), cancelling,
// the ticket's QR image, and after the meetup the feedback link or a 1–5
// rating with an optional comment. Deep link: /start meetup_<id>.
//
// Buttons (callback data after "meetups:"):
//
//	""        the list, as a new message
//	p:N       page N of the list, in place
//	h         the student's past meetups
//	v:ID      the card
//	r:ID      register (or join the waitlist)
//	c:ID      cancel the registration
//	t:ID      the ticket again
//	f:ID      feedback: the link, or the rating buttons
//	s:ID:N    rate N (1–5)
//	n:ID      no comment to the rating
//
// Every action re-reads the records, so a double tap or an old card gets
// the answer for how things stand now.

// meetupsPerPage is how many meetups one list message shows.
const meetupsPerPage = 5

// feedbackStateKey prefixes the app_state row that says a student was
// asked for a comment to their rating (value: "feedback-id unix-time").
const feedbackStateKey = "telegram.feedback_comment."

// commentWait is how long the bot takes the next text as the comment
// (unless the student presses another meetup button first).
const commentWait = 10 * time.Minute

func meetupsScreen(r *Router) {
	r.Callback(CBMeetups, meetupsButton)
	r.DeepLink("meetup", func(c *Context) error { return withMeetup(c, c.Args, "", showMeetup) })
	r.Dialog(feedbackComment)
	r.OnButton(endCommentQuestion)
}

// endCommentQuestion: any button but a rating itself ends the question for
// a comment to a rating, so that text meant for another screen is not
// taken as one.
func endCommentQuestion(c *Context) error {
	if strings.HasPrefix(c.Callback.Data, CBMeetups+":s:") {
		return nil
	}
	return deleteState(c.App, feedbackStateKey+c.User.Id)
}

func meetupsButton(c *Context) error {
	action, arg, _ := strings.Cut(c.Data, ":")
	if c.Data == "" {
		return meetupList(c, 0, false)
	}
	switch action {
	case "p":
		return meetupList(c, pageNumber(arg), true)
	case "h":
		return pastMeetups(c)
	}
	id, extra, _ := strings.Cut(arg, ":")
	if action == "n" && isRecordID(id) {
		return skipComment(c)
	}
	act := meetupActions[action]
	if act == nil || !isRecordID(id) {
		return staleMeetupButton(c)
	}
	return withMeetup(c, id, extra, act)
}

// meetupActions are the buttons of a meetup card, by their action letter;
// each gets the meetup and what follows its id in the button (a rating).
var meetupActions = map[string]func(c *Context, m *core.Record, arg string) error{
	"v": showMeetup,
	"r": registerMeetup,
	"c": cancelMeetup,
	"t": meetupTicket,
	"f": askRating,
	"s": saveRating,
}

// withMeetup runs act on a meetup students may see, or says it is gone.
func withMeetup(c *Context, id, arg string, act func(c *Context, m *core.Record, arg string) error) error {
	m, err := loadMeetup(c, id)
	if err != nil {
		return err
	}
	if m == nil {
		return meetupGone(c)
	}
	return act(c, m, arg)
}

func staleMeetupButton(c *Context) error {
	c.Answer(c.T("meetups.stale", nil))
	return meetupList(c, 0, false)
}

// meetupGone answers a button or link to a meetup that is not (or no
// longer) there, and shows what is.
func meetupGone(c *Context) error {
	c.Answer(c.T("meetups.gone", nil))
	if c.Callback == nil {
		c.Reply(c.T("meetups.gone", nil), nil)
	}
	return meetupList(c, 0, false)
}

// loadMeetup finds a meetup students may see: nil for unknown ids and drafts.
func loadMeetup(c *Context, id string) (*core.Record, error) {
	if !isRecordID(id) {
		return nil, nil
	}
	m, err := c.App.FindRecordById("meetups", id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load meetup %s: %w", id, err)
	}
	if m.GetString("status") == "draft" {
		return nil, nil
	}
	return m, nil
}

// meetupOver reports whether a meetup has ended (or was marked finished).
func meetupOver(m *core.Record) bool {
	if m.GetString("status") == "finished" {
		return true
	}
	end := m.GetDateTime("ends_at")
	if end.IsZero() {
		end = m.GetDateTime("starts_at")
	}
	return !end.IsZero() && time.Now().After(end.Time())
}

// meetupOpen: published and not over, so registering makes sense.
func meetupOpen(m *core.Record) bool {
	return m.GetString("status") == "published" && !meetupOver(m)
}

func findRegistration(c *Context, meetup string) (*core.Record, error) {
	reg := &core.Record{}
	err := c.App.RecordQuery("registrations").
		Where(dbx.HashExp{"meetup": meetup, "user": c.User.Id}).Limit(1).One(reg)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find registration: %w", err)
	}
	return reg, nil
}

func countRows(c *Context, query string, params dbx.Params) (int, error) {
	var n int
	if err := c.App.DB().NewQuery(query).Bind(params).Row(&n); err != nil {
		return 0, fmt.Errorf("count: %w", err)
	}
	return n, nil
}

// meetupSeats words a meetup's free seats for taken seats of capacity.
func (c *Context) meetupSeats(capacity, taken int) string {
	switch {
	case capacity <= 0:
		return c.T("meetups.seats.unlimited", nil)
	case taken >= capacity:
		return c.T("meetups.seats.full", nil)
	}
	return c.T("meetups.seats.free", map[string]any{"free": capacity - taken, "capacity": capacity})
}

// meetupList shows a page of the upcoming published meetups, in place
// (edit) or as a new message.
func meetupList(c *Context, page int, edit bool) error {
	type row struct {
		ID       string         `db:"id"`
		Title    string         `db:"title"`
		StartsAt types.DateTime `db:"starts_at"`
		Capacity int            `db:"capacity"`
		Taken    int            `db:"taken"`
		Mine     string         `db:"mine"`
	}
	load := func(page int) ([]row, error) {
		var rows []row
		err := c.App.DB().NewQuery(`SELECT m.id, m.title, m.starts_at, m.capacity,
				(SELECT count(*) FROM registrations r WHERE r.meetup = m.id AND r.status = 'registered') AS taken,
				COALESCE((SELECT r.status FROM registrations r WHERE r.meetup = m.id AND r.user = {:user}), '') AS mine
			FROM meetups m
			WHERE m.status = 'published' AND (CASE WHEN m.ends_at != '' THEN m.ends_at ELSE m.starts_at END) >= {:now}
			ORDER BY m.starts_at, m.id LIMIT {:limit} OFFSET {:offset}`).
			Bind(dbx.Params{"user": c.User.Id, "now": types.NowDateTime().String(),
				"limit": meetupsPerPage + 1, "offset": page * meetupsPerPage}).All(&rows)
		if err != nil {
			return nil, fmt.Errorf("list meetups: %w", err)
		}
		return rows, nil
	}
	rows, page, more, err := loadPage(page, meetupsPerPage, load)
	if err != nil {
		return err
	}
	var b strings.Builder
	kb := &Keyboard{}
	if len(rows) == 0 {
		b.WriteString(c.T("meetups.list.empty", nil))
	} else {
		b.WriteString(c.T("meetups.list.title", map[string]any{"page": page + 1, "paged": page > 0 || more}))
	}
	for i, r := range rows {
		n := page*meetupsPerPage + i + 1
		mine := ""
		if r.Mine == "registered" || r.Mine == "waitlisted" {
			mine = c.T("meetups.mine."+r.Mine, nil)
		}
		b.WriteString("\n\n")
		b.WriteString(c.T("meetups.list.item", map[string]any{
			"n": n, "title": r.Title, "when": c.cardTime(r.StartsAt), "seats": c.meetupSeats(r.Capacity, r.Taken), "mine": mine,
		}))
		kb.Inline = append(kb.Inline, []Button{{Text: fmt.Sprintf("%d. %s", n, clip(r.Title, 40)), Data: CBMeetups + ":v:" + r.ID}})
	}
	var nav []Button
	if page > 0 {
		nav = append(nav, Button{Text: c.T("meetups.btn.prev", nil), Data: CBMeetups + ":p:" + strconv.Itoa(page-1)})
	}
	if more {
		nav = append(nav, Button{Text: c.T("meetups.btn.next", nil), Data: CBMeetups + ":p:" + strconv.Itoa(page+1)})
	}
	if nav != nil {
		kb.Inline = append(kb.Inline, nav)
	}
	kb.Inline = append(kb.Inline, []Button{
		{Text: c.T("meetups.btn.past", nil), Data: CBMeetups + ":h"},
		{Text: c.T("meetups.btn.menu", nil), Data: CBMenu},
	})
	if edit {
		c.Edit(b.String(), kb)
	} else {
		c.Reply(b.String(), kb)
	}
	return nil
}

// pastMeetups lists the meetups the student took part in that are over,
// the way to their feedback.
func pastMeetups(c *Context) error {
	var rows []struct {
		ID       string         `db:"id"`
		Title    string         `db:"title"`
		StartsAt types.DateTime `db:"starts_at"`
	}
	err := c.App.DB().NewQuery(`SELECT m.id, m.title, m.starts_at FROM meetups m
		WHERE m.status IN ('published', 'finished')
			AND (m.status = 'finished' OR (CASE WHEN m.ends_at != '' THEN m.ends_at ELSE m.starts_at END) < {:now})
			AND (EXISTS (SELECT 1 FROM registrations r WHERE r.meetup = m.id AND r.user = {:user} AND r.status = 'registered')
				OR EXISTS (SELECT 1 FROM checkins k WHERE k.meetup = m.id AND k.user = {:user}))
		ORDER BY m.starts_at DESC, m.id LIMIT 10`).
		Bind(dbx.Params{"user": c.User.Id, "now": types.NowDateTime().String()}).All(&rows)
	if err != nil {
		return fmt.Errorf("past meetups: %w", err)
	}
	kb := &Keyboard{}
	text := c.T("meetups.past.title", nil)
	if len(rows) == 0 {
		text = c.T("meetups.past.empty", nil)
	}
	for _, r := range rows {
		kb.Inline = append(kb.Inline, []Button{{Text: clip(c.cardDay(r.StartsAt)+" · "+r.Title, 60), Data: CBMeetups + ":v:" + r.ID}})
	}
	kb.Inline = append(kb.Inline, []Button{
		{Text: c.T("meetups.btn.all", nil), Data: CBMeetups},
		{Text: c.T("meetups.btn.menu", nil), Data: CBMenu},
	})
	c.Reply(text, kb)
	return nil
}

// meetupState is what a card shows of one student and one meetup.
type meetupState struct {
	m        *core.Record
	reg      *core.Record // nil: never registered
	taken    int          // registered people
	position int          // place on the waitlist, when waitlisted
	attended bool
	feedback *core.Record
}

func (s *meetupState) status() string {
	if s.reg == nil {
		return ""
	}
	return s.reg.GetString("status")
}

// participant: may give feedback (was registered or came).
func (s *meetupState) participant() bool { return s.attended || s.status() == "registered" }

func loadMeetupState(c *Context, m *core.Record) (*meetupState, error) {
	s := &meetupState{m: m}
	var err error
	if s.reg, err = findRegistration(c, m.Id); err != nil {
		return nil, err
	}
	p := dbx.Params{"m": m.Id, "u": c.User.Id}
	if s.taken, err = countRows(c, `SELECT count(*) FROM registrations WHERE meetup = {:m} AND status = 'registered'`, p); err != nil {
		return nil, err
	}
	if s.status() == "waitlisted" {
		p["seq"] = s.reg.GetInt("seq")
		if s.position, err = countRows(c, `SELECT count(*) FROM registrations WHERE meetup = {:m} AND status = 'waitlisted' AND seq <= {:seq}`, p); err != nil {
			return nil, err
		}
	}
	n, err := countRows(c, `SELECT count(*) FROM checkins WHERE meetup = {:m} AND user = {:u}`, p)
	if err != nil {
		return nil, err
	}
	s.attended = n > 0
	fb, err := c.App.FindFirstRecordByFilter("feedback", "meetup = {:m} && user = {:u}", p)
	switch {
	case err == nil:
		s.feedback = fb
	case !errors.Is(err, sql.ErrNoRows):
		return nil, fmt.Errorf("find feedback: %w", err)
	}
	return s, nil
}

// showMeetup sends a meetup's card.
func showMeetup(c *Context, m *core.Record, _ string) error {
	s, err := loadMeetupState(c, m)
	if err != nil {
		return err
	}
	c.Answer("")
	sendCard(c, m, "banner", meetupCard(c, s), meetupKeyboard(c, s))
	return nil
}

type agendaItem struct {
	At      string `json:"at"`
	Title   string `json:"title"`
	Speaker string `json:"speaker"`
}

func meetupCard(c *Context, s *meetupState) string {
	m := s.m
	lines := []string{c.T("meetups.card.title", map[string]any{"title": m.GetString("title")})}
	lines = append(lines, c.T("meetups.card.when", map[string]any{
		"when": c.cardTime(m.GetDateTime("starts_at")), "until": c.cardUntil(m.GetDateTime("starts_at"), m.GetDateTime("ends_at")),
	}))
	if loc := strings.TrimSpace(m.GetString("location")); loc != "" {
		lines = append(lines, c.T("meetups.card.where", map[string]any{"location": loc}))
	}
	if p := m.GetInt("points"); p > 0 {
		lines = append(lines, c.T("meetups.card.points", map[string]any{"points": p}))
	}
	if meetupOpen(m) {
		lines = append(lines, c.T("meetups.card.seats", map[string]any{"seats": c.meetupSeats(m.GetInt("capacity"), s.taken)}))
	}
	if d := plainText(m.GetString("description"), 700); d != "" {
		lines = append(lines, "", d)
	}
	var agenda []agendaItem
	if raw, ok := m.Get("agenda").(types.JSONRaw); ok && len(raw) > 0 && json.Unmarshal(raw, &agenda) == nil && len(agenda) > 0 {
		lines = append(lines, "", c.T("meetups.card.agenda", nil))
		for i, a := range agenda {
			if i == 15 {
				lines = append(lines, "…")
				break
			}
			if strings.TrimSpace(a.Title) == "" {
				continue
			}
			lines = append(lines, c.T("meetups.card.agenda_item", map[string]any{
				"at": clip(a.At, 20), "title": clip(a.Title, 150), "speaker": clip(a.Speaker, 100),
			}))
		}
	}
	lines = append(lines, "", meetupStatusLine(c, s))
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// cardUntil is the end time of a meetup: the time alone on the same day.
func (c *Context) cardUntil(start, end types.DateTime) string {
	if end.IsZero() {
		return ""
	}
	if !start.IsZero() && start.Time().In(time.Local).YearDay() == end.Time().In(time.Local).YearDay() &&
		start.Time().In(time.Local).Year() == end.Time().In(time.Local).Year() {
		return end.Time().In(time.Local).Format("15:04")
	}
	return c.cardTime(end)
}

func meetupStatusLine(c *Context, s *meetupState) string {
	switch {
	case s.m.GetString("status") == "cancelled":
		return c.T("meetups.status.cancelled", nil)
	case meetupOver(s.m) && s.feedback != nil:
		return c.T("meetups.status.rated", map[string]any{"rating": s.feedback.GetInt("rating")})
	case meetupOver(s.m) && s.attended:
		return c.T("meetups.status.attended", nil)
	case meetupOver(s.m):
		return c.T("meetups.status.over", nil)
	case s.status() == "registered":
		return c.T("meetups.status.registered", nil)
	case s.status() == "waitlisted":
		return c.T("meetups.status.waitlisted", map[string]any{"position": s.position})
	}
	return c.T("meetups.status.open", nil)
}

func meetupKeyboard(c *Context, s *meetupState) *Keyboard {
	m := s.m
	id := m.Id
	btn := func(key, action string) Button {
		return Button{Text: c.T(key, nil), Data: CBMeetups + ":" + action + ":" + id}
	}
	kb := &Keyboard{}
	switch {
	case meetupOpen(m):
		switch s.status() {
		case "registered":
			kb.Inline = append(kb.Inline, []Button{btn("meetups.btn.ticket", "t")}, []Button{btn("meetups.btn.cancel", "c")})
		case "waitlisted":
			kb.Inline = append(kb.Inline, []Button{btn("meetups.btn.leave_waitlist", "c")})
		default:
			if cp := m.GetInt("capacity"); cp > 0 && s.taken >= cp {
				kb.Inline = append(kb.Inline, []Button{btn("meetups.btn.waitlist", "r")})
			} else {
				kb.Inline = append(kb.Inline, []Button{btn("meetups.btn.register", "r")})
			}
		}
	case meetupOver(m) && m.GetString("status") != "cancelled" && s.participant():
		if url := m.GetString("feedback_url"); url != "" {
			kb.Inline = append(kb.Inline, []Button{{Text: c.T("meetups.btn.feedback_form", nil), URL: url}})
		} else if s.feedback == nil {
			kb.Inline = append(kb.Inline, []Button{btn("meetups.btn.rate", "f")})
		}
	}
	kb.Inline = append(kb.Inline, []Button{
		{Text: c.T("meetups.btn.all", nil), Data: CBMeetups},
		{Text: c.T("meetups.btn.menu", nil), Data: CBMenu},
	})
	return kb
}

// refreshCard puts the card's buttons in line with the state after an action.
func refreshCard(c *Context, m *core.Record) error {
	s, err := loadMeetupState(c, m)
	if err != nil {
		return err
	}
	c.editKeyboard(meetupKeyboard(c, s))
	return nil
}

func registerMeetup(c *Context, m *core.Record, _ string) error {
	reg, err := findRegistration(c, m.Id)
	if err != nil {
		return err
	}
	switch {
	case reg != nil && reg.GetString("status") != "cancelled" && m.GetString("status") == "cancelled":
		c.Answer(c.T("meetups.refused.meetup_cancelled", nil))
		return refreshCard(c, m)
	case reg != nil && reg.GetString("status") == "registered":
		c.Answer(c.T("meetups.already_registered", nil))
		return refreshCard(c, m)
	case reg != nil && reg.GetString("status") == "waitlisted":
		c.Answer(c.T("meetups.already_waitlisted", nil))
		return refreshCard(c, m)
	case reg == nil:
		col, err := c.App.FindCachedCollectionByNameOrId("registrations")
		if err != nil {
			return err
		}
		reg = core.NewRecord(col)
		reg.Set("meetup", m.Id)
		reg.Set("user", c.User.Id)
		reg.Set("source", "bot")
	}
	// the hook decides between a seat and the waitlist
	reg.Set("status", "registered")
	refused, err := c.saveOrRefusal(reg)
	if err != nil {
		return err
	}
	if refused != nil {
		c.Answer(c.hookRefusalText("meetups.refused.", refused))
		return refreshCard(c, m)
	}
	s, err := loadMeetupState(c, m)
	if err != nil {
		return err
	}
	if s.status() == "waitlisted" {
		c.Answer(c.T("meetups.waitlisted_toast", nil))
		c.Reply(c.T("meetups.waitlisted", map[string]any{"title": m.GetString("title"), "position": s.position}), nil)
	} else {
		c.Answer(c.T("meetups.registered_toast", nil))
		if err := sendTicket(c, m, reg); err != nil {
			return err
		}
	}
	c.editKeyboard(meetupKeyboard(c, s))
	return nil
}

// sendTicket sends the registration's ticket: the QR image of its signed
// code, with the code in the caption for typing it in.
func sendTicket(c *Context, m, reg *core.Record) error {
	return sendQR(c, tickets.Registration, reg.Id, c.T("meetups.ticket", map[string]any{
		"title": m.GetString("title"), "when": c.cardTime(m.GetDateTime("starts_at")),
	}))
}

// sendQR sends the ticket of a registration or enrollment as a QR image
// with caption (the code is added as {{.code}} would be: at its end). The
// image is drawn after the update's transaction, keeping the write lock
// short.
func sendQR(c *Context, kind tickets.Kind, id, caption string) error {
	code, err := c.bot.tickets.Sign(kind, id)
	if err != nil {
		return fmt.Errorf("sign ticket: %w", err)
	}
	chat := c.ChatID
	c.out = append(c.out, func(ctx context.Context, tg Telegram) error {
		png, err := tickets.QR(code)
		if err != nil {
			return err
		}
		_, err = tg.Send(ctx, Outgoing{ChatID: chat, Photo: &File{Name: "ticket.png", Bytes: png}, Text: caption + " " + code})
		return err
	})
	return nil
}

func cancelMeetup(c *Context, m *core.Record, _ string) error {
	reg, err := findRegistration(c, m.Id)
	if err != nil {
		return err
	}
	if reg == nil || reg.GetString("status") == "cancelled" {
		c.Answer(c.T("meetups.not_registered", nil))
		return refreshCard(c, m)
	}
	reg.Set("status", "cancelled")
	refused, err := c.saveOrRefusal(reg)
	if err != nil {
		return err
	}
	if refused != nil {
		c.Answer(c.hookRefusalText("meetups.refused.", refused))
		return refreshCard(c, m)
	}
	c.Answer(c.T("meetups.cancelled_toast", nil))
	c.Reply(c.T("meetups.cancelled", map[string]any{"title": m.GetString("title")}), nil)
	return refreshCard(c, m)
}

func meetupTicket(c *Context, m *core.Record, _ string) error {
	if m.GetString("status") == "cancelled" {
		c.Answer(c.T("meetups.status.cancelled", nil))
		return refreshCard(c, m)
	}
	reg, err := findRegistration(c, m.Id)
	if err != nil {
		return err
	}
	switch {
	case reg != nil && reg.GetString("status") == "registered":
		c.Answer("")
		return sendTicket(c, m, reg)
	case reg != nil && reg.GetString("status") == "waitlisted":
		c.Answer(c.T("meetups.ticket_waitlisted", nil))
	default:
		c.Answer(c.T("meetups.not_registered", nil))
	}
	return refreshCard(c, m)
}

// feedbackAllowed checks that the student may rate a meetup now, and
// answers them if not.
func feedbackAllowed(c *Context, s *meetupState) bool {
	switch {
	case s.m.GetString("status") == "cancelled":
		c.Answer(c.T("meetups.status.cancelled", nil))
	case !meetupOver(s.m):
		c.Answer(c.T("meetups.feedback_early", nil))
	case !s.participant():
		c.Answer(c.T("meetups.feedback_not_participant", nil))
	case s.feedback != nil:
		c.Answer(c.T("meetups.feedback_already", map[string]any{"rating": s.feedback.GetInt("rating")}))
	default:
		return true
	}
	return false
}

func askRating(c *Context, m *core.Record, _ string) error {
	s, err := loadMeetupState(c, m)
	if err != nil {
		return err
	}
	if url := m.GetString("feedback_url"); url != "" && meetupOver(m) && s.participant() {
		c.Answer("")
		c.Reply(c.T("meetups.feedback_link", map[string]any{"title": m.GetString("title")}),
			&Keyboard{Inline: [][]Button{{{Text: c.T("meetups.btn.feedback_form", nil), URL: url}}}})
		return nil
	}
	if !feedbackAllowed(c, s) {
		return nil
	}
	c.Answer("")
	row := make([]Button, 5)
	for i := range row {
		row[i] = Button{Text: strconv.Itoa(i+1) + "⭐", Data: fmt.Sprintf("%s:s:%s:%d", CBMeetups, m.Id, i+1)}
	}
	c.Reply(c.T("meetups.rate_prompt", map[string]any{"title": m.GetString("title")}), &Keyboard{Inline: [][]Button{row}})
	return nil
}

func saveRating(c *Context, m *core.Record, arg string) error {
	rating, err := strconv.Atoi(arg)
	if err != nil || rating < 1 || rating > 5 {
		return staleMeetupButton(c)
	}
	s, err := loadMeetupState(c, m)
	if err != nil {
		return err
	}
	if !feedbackAllowed(c, s) {
		c.editKeyboard(nil)
		return nil
	}
	col, err := c.App.FindCachedCollectionByNameOrId("feedback")
	if err != nil {
		return err
	}
	fb := core.NewRecord(col)
	fb.Set("meetup", m.Id)
	fb.Set("user", c.User.Id)
	fb.Set("rating", rating)
	refused, err := c.saveOrRefusal(fb)
	if err != nil {
		return err
	}
	if refused != nil {
		c.Answer(c.hookRefusalText("meetups.refused.", refused))
		return nil
	}
	if err := writeState(c.App, feedbackStateKey+c.User.Id, fb.Id+" "+strconv.FormatInt(time.Now().Unix(), 10)); err != nil {
		return err
	}
	c.Answer(c.T("meetups.rated_toast", nil))
	c.editKeyboard(nil)
	c.Reply(c.T("meetups.comment_prompt", map[string]any{"rating": rating}),
		&Keyboard{Inline: [][]Button{{{Text: c.T("meetups.btn.no_comment", nil), Data: CBMeetups + ":n:" + m.Id}}}})
	return nil
}

func skipComment(c *Context) error {
	if err := deleteState(c.App, feedbackStateKey+c.User.Id); err != nil {
		return err
	}
	c.Answer(c.T("meetups.feedback_thanks", nil))
	c.editKeyboard(nil)
	return nil
}

// feedbackComment takes the text after a rating as its comment.
func feedbackComment(c *Context) (bool, error) {
	if c.Message == nil || strings.TrimSpace(c.Message.Text) == "" {
		return false, nil
	}
	key := feedbackStateKey + c.User.Id
	v, err := readState(c.App, key)
	if err != nil || v == "" {
		return false, err
	}
	id, at, _ := strings.Cut(v, " ")
	since, _ := strconv.ParseInt(at, 10, 64)
	if err := deleteState(c.App, key); err != nil {
		return false, err
	}
	if time.Since(time.Unix(since, 0)) > commentWait {
		return false, nil
	}
	fb, err := c.App.FindRecordById("feedback", id)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("load feedback %s: %w", id, err)
	}
	if fb.GetString("user") != c.User.Id || fb.GetString("comment") != "" {
		return false, nil
	}
	fb.Set("comment", clip(strings.TrimSpace(c.Message.Text), 2000))
	refused, err := c.saveOrRefusal(fb)
	if err != nil {
		return true, err
	}
	if refused != nil {
		c.Reply(c.hookRefusalText("meetups.refused.", refused), nil)
		return true, nil
	}
	c.Reply(c.T("meetups.comment_saved", nil), nil)
	return true, nil
}
