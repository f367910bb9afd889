package bot

import (
	"database/sql"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/courses"
	"questbase/hooks/tickets"
)

// The courses screen: published courses, a course's card with its
// schedule, enrolling (and leaving), the course ticket hosts scan to mark
// attendance, and the student's own attendance: sessions attended out of
// those held, points earned, and what completion takes.
//
// Buttons (callback data after "courses:"):
//
//	""      the list, as a new message
//	p:N     page N of the list, in place
//	v:ID    the card
//	e:ID    enroll
//	c:ID    leave the course
//	t:ID    the course ticket
//	a:ID    my attendance

const coursesPerPage = 5

// scheduleMax is how many sessions a card lists.
const scheduleMax = 20

func coursesScreen(r *Router) {
	r.Callback(CBCourses, coursesButton)
}

func coursesButton(c *Context) error {
	if c.Data == "" {
		return courseList(c, 0, false)
	}
	action, arg, _ := strings.Cut(c.Data, ":")
	if action == "p" {
		return courseList(c, pageNumber(arg), true)
	}
	act := courseActions[action]
	if act == nil || !isRecordID(arg) {
		return staleCourseButton(c)
	}
	course, err := loadCourse(c, arg)
	if err != nil {
		return err
	}
	if course == nil {
		return courseGone(c)
	}
	enr, err := findEnrollment(c, course.Id)
	if err != nil {
		return err
	}
	return act(c, course, enr)
}

// courseActions are the buttons of a course card, by their action letter;
// each gets the course and the student's enrollment in it (nil for none).
var courseActions = map[string]func(c *Context, course, enr *core.Record) error{
	"v": showCourse,
	"e": enrollCourse,
	"c": leaveCourse,
	"t": courseTicket,
	"a": courseAttendance,
}

func staleCourseButton(c *Context) error {
	c.Answer(c.T("courses.stale", nil))
	return courseList(c, 0, false)
}

func courseGone(c *Context) error {
	c.Answer(c.T("courses.gone", nil))
	return courseList(c, 0, false)
}

// loadCourse finds a course students may see: published or finished (not
// drafts, not archived); nil otherwise.
func loadCourse(c *Context, id string) (*core.Record, error) {
	if !isRecordID(id) {
		return nil, nil
	}
	course, err := c.App.FindRecordById(courses.Collection, id)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("load course %s: %w", id, err)
	}
	if st := course.GetString("status"); st != courses.StatusPublished && st != courses.StatusFinished {
		return nil, nil
	}
	return course, nil
}

func findEnrollment(c *Context, course string) (*core.Record, error) {
	enr := &core.Record{}
	err := c.App.RecordQuery(courses.EnrollmentsCollection).
		Where(dbx.HashExp{"course": course, "user": c.User.Id}).Limit(1).One(enr)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find enrollment: %w", err)
	}
	return enr, nil
}

// active: enrolled or completed.
func enrollmentActive(enr *core.Record) bool {
	if enr == nil {
		return false
	}
	st := enr.GetString("status")
	return st == courses.Enrolled || st == courses.Completed
}

// courseDates words a course's dates ("" when it has none).
func (c *Context) courseDates(from, to types.DateTime) string {
	switch {
	case from.IsZero() && to.IsZero():
		return ""
	case to.IsZero():
		return c.T("courses.dates.from", map[string]any{"from": c.cardDay(from)})
	case from.IsZero():
		return c.T("courses.dates.until", map[string]any{"to": c.cardDay(to)})
	}
	return c.cardDay(from) + " – " + c.cardDay(to)
}

// courseList shows a page of the courses open to students, and the
// finished ones the student took part in.
func courseList(c *Context, page int, edit bool) error {
	type row struct {
		ID       string         `db:"id"`
		Title    string         `db:"title"`
		StartsOn types.DateTime `db:"starts_on"`
		EndsOn   types.DateTime `db:"ends_on"`
		Sessions int            `db:"sessions"`
		Mine     string         `db:"mine"`
	}
	load := func(page int) ([]row, error) {
		var rows []row
		err := c.App.DB().NewQuery(`SELECT c.id, c.title, c.starts_on, c.ends_on,
				(SELECT count(*) FROM course_sessions s WHERE s.course = c.id AND s.cancelled = FALSE) AS sessions,
				COALESCE((SELECT e.status FROM enrollments e WHERE e.course = c.id AND e.user = {:user}), '') AS mine
			FROM courses c
			WHERE c.status = 'published' OR (c.status = 'finished' AND EXISTS (
				SELECT 1 FROM enrollments e WHERE e.course = c.id AND e.user = {:user} AND e.status IN ('enrolled', 'completed')))
			ORDER BY c.status = 'finished', c.starts_on, c.title, c.id LIMIT {:limit} OFFSET {:offset}`).
			Bind(dbx.Params{"user": c.User.Id, "limit": coursesPerPage + 1, "offset": page * coursesPerPage}).All(&rows)
		if err != nil {
			return nil, fmt.Errorf("list courses: %w", err)
		}
		return rows, nil
	}
	rows, page, more, err := loadPage(page, coursesPerPage, load)
	if err != nil {
		return err
	}
	var b strings.Builder
	kb := &Keyboard{}
	if len(rows) == 0 {
		b.WriteString(c.T("courses.list.empty", nil))
	} else {
		b.WriteString(c.T("courses.list.title", map[string]any{"page": page + 1, "paged": page > 0 || more}))
	}
	for i, r := range rows {
		n := page*coursesPerPage + i + 1
		mine := ""
		if r.Mine == courses.Enrolled || r.Mine == courses.Completed {
			mine = c.T("courses.mine."+r.Mine, nil)
		}
		b.WriteString("\n\n")
		b.WriteString(c.T("courses.list.item", map[string]any{
			"n": n, "title": r.Title, "dates": c.courseDates(r.StartsOn, r.EndsOn), "sessions": r.Sessions, "mine": mine,
		}))
		kb.Inline = append(kb.Inline, []Button{{Text: fmt.Sprintf("%d. %s", n, clip(r.Title, 40)), Data: CBCourses + ":v:" + r.ID}})
	}
	var nav []Button
	if page > 0 {
		nav = append(nav, Button{Text: c.T("meetups.btn.prev", nil), Data: CBCourses + ":p:" + strconv.Itoa(page-1)})
	}
	if more {
		nav = append(nav, Button{Text: c.T("meetups.btn.next", nil), Data: CBCourses + ":p:" + strconv.Itoa(page+1)})
	}
	if nav != nil {
		kb.Inline = append(kb.Inline, nav)
	}
	kb.Inline = append(kb.Inline, []Button{{Text: c.T("meetups.btn.menu", nil), Data: CBMenu}})
	if edit {
		c.Edit(b.String(), kb)
	} else {
		c.Reply(b.String(), kb)
	}
	return nil
}

// courseSession is one session of a course with the student's mark.
type courseSession struct {
	ID        string         `db:"id"`
	Title     string         `db:"title"`
	StartsAt  types.DateTime `db:"starts_at"`
	Location  string         `db:"location"`
	Cancelled bool           `db:"cancelled"`
	Mark      string         `db:"mark"`
	// Marked: anyone has a mark for it, so it took place.
	Marked bool `db:"marked"`
}

// held: the session took place (it started, or marks were made for it).
func (s courseSession) held(now time.Time) bool {
	return !s.Cancelled && (s.Marked || (!s.StartsAt.IsZero() && !s.StartsAt.Time().After(now)))
}

func (s courseSession) attended() bool {
	return !s.Cancelled && (s.Mark == courses.Present || s.Mark == courses.Late)
}

func loadSessions(c *Context, course string) ([]courseSession, error) {
	var rows []courseSession
	err := c.App.DB().NewQuery(`SELECT s.id, s.title, s.starts_at, s.location, s.cancelled,
			COALESCE((SELECT a.status FROM attendance a WHERE a.session = s.id AND a.user = {:user}), '') AS mark,
			EXISTS (SELECT 1 FROM attendance a WHERE a.session = s.id) AS marked
		FROM course_sessions s WHERE s.course = {:course} ORDER BY s.starts_at, s.id`).
		Bind(dbx.Params{"course": course, "user": c.User.Id}).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("sessions of %s: %w", course, err)
	}
	return rows, nil
}

func showCourse(c *Context, course, enr *core.Record) error {
	sessions, err := loadSessions(c, course.Id)
	if err != nil {
		return err
	}
	taken, err := countRows(c, `SELECT count(*) FROM enrollments WHERE course = {:c} AND status IN ('enrolled', 'completed')`, dbx.Params{"c": course.Id})
	if err != nil {
		return err
	}
	c.Answer("")
	sendCard(c, course, "banner", courseCard(c, course, enr, sessions, taken), courseKeyboard(c, course, enr))
	return nil
}

func courseCard(c *Context, course, enr *core.Record, sessions []courseSession, taken int) string {
	lines := []string{c.T("courses.card.title", map[string]any{"title": course.GetString("title")})}
	if d := c.courseDates(course.GetDateTime("starts_on"), course.GetDateTime("ends_on")); d != "" {
		lines = append(lines, c.T("courses.card.dates", map[string]any{"dates": d}))
	}
	if pps, poc := course.GetInt("points_per_session"), course.GetInt("points_on_completion"); pps > 0 || poc > 0 {
		lines = append(lines, c.T("courses.card.points", map[string]any{"per_session": pps, "completion": poc}))
	}
	if share := course.GetFloat("completion_share"); share > 0 {
		lines = append(lines, c.T("courses.card.rule", map[string]any{"percent": int(math.Round(share * 100))}))
	}
	if course.GetString("status") == courses.StatusPublished && !enrollmentActive(enr) {
		lines = append(lines, c.T("courses.card.places", map[string]any{"places": c.coursePlaces(course.GetInt("capacity"), taken)}))
	}
	if d := plainText(course.GetString("description"), 600); d != "" {
		lines = append(lines, "", d)
	}
	if len(sessions) > 0 {
		lines = append(lines, "", c.T("courses.card.schedule", map[string]any{"n": len(sessions)}))
		for i, s := range sessions {
			if i == scheduleMax {
				lines = append(lines, c.T("courses.card.more_sessions", map[string]any{"n": len(sessions) - scheduleMax}))
				break
			}
			lines = append(lines, c.T("courses.card.session", map[string]any{
				"when": c.cardTime(s.StartsAt), "title": clip(s.Title, 100), "location": clip(s.Location, 100), "cancelled": s.Cancelled,
			}))
		}
	} else {
		lines = append(lines, "", c.T("courses.card.no_schedule", nil))
	}
	status := "courses.status.open"
	switch {
	case enr != nil && enr.GetString("status") == courses.Completed:
		status = "courses.status.completed"
	case enr != nil && enr.GetString("status") == courses.Enrolled:
		status = "courses.status.enrolled"
	case course.GetString("status") == courses.StatusFinished:
		status = "courses.status.finished"
	}
	lines = append(lines, "", c.T(status, nil))
	return strings.TrimSpace(strings.Join(lines, "\n"))
}

// coursePlaces words a course's free places.
func (c *Context) coursePlaces(capacity, taken int) string {
	switch {
	case capacity <= 0:
		return c.T("courses.places.unlimited", nil)
	case taken >= capacity:
		return c.T("courses.places.full", nil)
	}
	return c.T("courses.places.free", map[string]any{"free": capacity - taken})
}

func courseKeyboard(c *Context, course, enr *core.Record) *Keyboard {
	btn := func(key, action string) Button {
		return Button{Text: c.T(key, nil), Data: CBCourses + ":" + action + ":" + course.Id}
	}
	kb := &Keyboard{}
	switch {
	case enrollmentActive(enr):
		kb.Inline = append(kb.Inline, []Button{btn("courses.btn.attendance", "a"), btn("courses.btn.ticket", "t")})
		if enr.GetString("status") == courses.Enrolled && course.GetString("status") == courses.StatusPublished {
			kb.Inline = append(kb.Inline, []Button{btn("courses.btn.leave", "c")})
		}
	case course.GetString("status") == courses.StatusPublished:
		kb.Inline = append(kb.Inline, []Button{btn("courses.btn.enroll", "e")})
	}
	kb.Inline = append(kb.Inline, []Button{
		{Text: c.T("courses.btn.all", nil), Data: CBCourses},
		{Text: c.T("meetups.btn.menu", nil), Data: CBMenu},
	})
	return kb
}

func enrollCourse(c *Context, course, enr *core.Record) error {
	switch {
	case enrollmentActive(enr):
		c.Answer(c.T("courses.already_enrolled", nil))
		c.editKeyboard(courseKeyboard(c, course, enr))
		return nil
	case enr == nil:
		col, err := c.App.FindCachedCollectionByNameOrId(courses.EnrollmentsCollection)
		if err != nil {
			return err
		}
		enr = core.NewRecord(col)
		enr.Set("course", course.Id)
		enr.Set("user", c.User.Id)
	}
	enr.Set("status", courses.Enrolled)
	refused, err := c.saveOrRefusal(enr)
	if err != nil {
		return err
	}
	if refused != nil {
		c.Answer(c.hookRefusalText("courses.refused.", refused))
		return nil
	}
	// the rule may complete a renewed enrollment at once: read what was stored
	if enr, err = findEnrollment(c, course.Id); err != nil {
		return err
	}
	next := ""
	if sessions, err := loadSessions(c, course.Id); err != nil {
		return err
	} else {
		for _, s := range sessions {
			if !s.Cancelled && s.StartsAt.Time().After(time.Now()) {
				next = c.cardTime(s.StartsAt)
				break
			}
		}
	}
	c.Answer(c.T("courses.enrolled_toast", nil))
	c.Reply(c.T("courses.enrolled", map[string]any{"title": course.GetString("title"), "next": next}), nil)
	c.editKeyboard(courseKeyboard(c, course, enr))
	return nil
}

func leaveCourse(c *Context, course, enr *core.Record) error {
	if !enrollmentActive(enr) {
		c.Answer(c.T("courses.not_enrolled", nil))
		c.editKeyboard(courseKeyboard(c, course, enr))
		return nil
	}
	enr.Set("status", courses.Cancelled)
	refused, err := c.saveOrRefusal(enr)
	if err != nil {
		return err
	}
	if refused != nil {
		c.Answer(c.hookRefusalText("courses.refused.", refused))
		return nil
	}
	c.Answer(c.T("courses.left_toast", nil))
	c.Reply(c.T("courses.left", map[string]any{"title": course.GetString("title")}), nil)
	c.editKeyboard(courseKeyboard(c, course, enr))
	return nil
}

func courseTicket(c *Context, course, enr *core.Record) error {
	if !enrollmentActive(enr) {
		c.Answer(c.T("courses.not_enrolled", nil))
		return nil
	}
	c.Answer("")
	return sendQR(c, tickets.Enrollment, enr.Id, c.T("courses.ticket", map[string]any{"title": course.GetString("title")}))
}

// attendanceSummary is a student's record in one course, as the bot shows it.
type attendanceSummary struct {
	// Attended counts sessions marked present or late; Held the sessions
	// that took place (started, or marked); Scheduled every session not
	// cancelled.
	Attended, Held, Scheduled int
	// Points is what the course paid them: sessions and completion.
	Points int
}

func courseAttendance(c *Context, course, enr *core.Record) error {
	if enr == nil {
		c.Answer(c.T("courses.not_enrolled", nil))
		return nil
	}
	sessions, err := loadSessions(c, course.Id)
	if err != nil {
		return err
	}
	now := time.Now()
	var a attendanceSummary
	var lines []string
	for _, s := range sessions {
		if !s.Cancelled {
			a.Scheduled++
		}
		if s.held(now) {
			a.Held++
		}
		if s.attended() {
			a.Attended++
		}
		mark := s.Mark
		switch {
		case s.Cancelled:
			mark = "cancelled"
		case mark == "" && s.held(now):
			mark = "unmarked"
		case mark == "":
			mark = "upcoming"
		}
		lines = append(lines, c.T("courses.att.session."+mark, map[string]any{"when": c.cardTime(s.StartsAt), "title": clip(s.Title, 100)}))
	}
	err = c.App.DB().NewQuery(`SELECT COALESCE(SUM(amount), 0) FROM points WHERE user = {:user} AND (
			(reason = 'session' AND ref IN (SELECT id FROM course_sessions WHERE course = {:course}))
			OR (reason = 'course_completion' AND ref = {:enrollment}))`).
		Bind(dbx.Params{"user": c.User.Id, "course": course.Id, "enrollment": enr.Id}).Row(&a.Points)
	if err != nil {
		return fmt.Errorf("course points: %w", err)
	}
	summary := []string{c.T("courses.att.title", map[string]any{"title": course.GetString("title")}), c.T("courses.att.summary", map[string]any{
		"attended": a.Attended, "held": a.Held, "scheduled": a.Scheduled, "points": a.Points,
	})}
	switch p, err := courses.ProgressOf(c.App, course, c.User.Id); {
	case err != nil:
		return err
	case enr.GetString("status") == courses.Completed:
		summary = append(summary, c.T("courses.att.completed", nil))
	case p.Share > 0 && p.Sessions > 0:
		need := int(math.Ceil(p.Share*float64(p.Sessions) - 1e-9))
		summary = append(summary, c.T("courses.att.rule", map[string]any{"need": need, "scheduled": p.Sessions, "left": max(0, need-p.Attended)}))
	}
	if len(lines) > 0 {
		summary = append(summary, "")
	}
	text := strings.Join(append(summary, lines...), "\n")
	c.Answer("")
	c.Reply(clip(text, 4000), &Keyboard{Inline: [][]Button{{
		{Text: c.T("courses.btn.back", nil), Data: CBCourses + ":v:" + course.Id},
		{Text: c.T("meetups.btn.menu", nil), Data: CBMenu},
	}}})
	return nil
}
