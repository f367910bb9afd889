package stats

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Attendance counts attendance marks by status.
type Attendance struct {
	Present int `json:"present"`
	Late    int `json:"late"`
	Absent  int `json:"absent"`
	Excused int `json:"excused"`
}

func (a *Attendance) add(o Attendance) {
	a.Present += o.Present
	a.Late += o.Late
	a.Absent += o.Absent
	a.Excused += o.Excused
}

// attended counts the students who came (late or not).
func (a Attendance) attended() int { return a.Present + a.Late }

// SessionStats is one session of a course with its attendance.
type SessionStats struct {
	ID        string         `db:"id" json:"id"`
	Course    string         `db:"course" json:"-"`
	Title     string         `db:"title" json:"title"`
	StartsAt  types.DateTime `db:"starts_at" json:"starts_at"`
	Cancelled bool           `db:"cancelled" json:"cancelled"`
	// Held: not cancelled and already started.
	Held       bool       `db:"-" json:"held"`
	Attendance Attendance `db:"-" json:"attendance"`
	// AttendanceRate is (present + late) / participants, for held sessions.
	AttendanceRate *float64 `db:"-" json:"attendance_rate"`
}

// CourseCounts are the figures of one course or of all selected courses.
type CourseCounts struct {
	// Enrolled counts enrollments in progress, Completed the completed
	// ones; Participants is both.
	Enrolled     int `json:"enrolled"`
	Completed    int `json:"completed"`
	Cancelled    int `json:"cancelled"`
	Participants int `json:"participants"`
	// CompletionRate is completed / participants.
	CompletionRate *float64 `json:"completion_rate"`
	// SessionsTotal counts sessions that are not cancelled.
	SessionsTotal int        `json:"sessions_total"`
	SessionsHeld  int        `json:"sessions_held"`
	Attendance    Attendance `json:"attendance"`
	// AvgAttendanceRate is the mean attendance rate of the held sessions.
	AvgAttendanceRate *float64 `json:"avg_attendance_rate"`
	// Points sums the ledger rows of attended sessions and of completions.
	Points           int `json:"points"`
	SessionPoints    int `json:"session_points"`
	CompletionPoints int `json:"completion_points"`

	rates []float64
}

func (c *CourseCounts) add(o *CourseCounts) {
	c.Enrolled += o.Enrolled
	c.Completed += o.Completed
	c.Cancelled += o.Cancelled
	c.Participants += o.Participants
	c.SessionsTotal += o.SessionsTotal
	c.SessionsHeld += o.SessionsHeld
	c.Attendance.add(o.Attendance)
	c.Points += o.Points
	c.SessionPoints += o.SessionPoints
	c.CompletionPoints += o.CompletionPoints
	c.rates = append(c.rates, o.rates...)
}

func (c *CourseCounts) finish() {
	c.CompletionRate = ratio(c.Completed, c.Participants)
	c.AvgAttendanceRate = mean(c.rates)
}

// CourseStats is one course with its figures and sessions.
type CourseStats struct {
	ID       string                  `db:"id" json:"id"`
	Title    string                  `db:"title" json:"title"`
	StartsOn types.DateTime          `db:"starts_on" json:"starts_on"`
	EndsOn   types.DateTime          `db:"ends_on" json:"ends_on"`
	Status   string                  `db:"status" json:"status"`
	Tags     types.JSONArray[string] `db:"tags" json:"tags"`
	Hosts    types.JSONArray[string] `db:"hosts" json:"hosts"`
	CourseCounts
	Sessions []*SessionStats `db:"-" json:"sessions"`

	completions []types.DateTime
}

// CourseMonth sums, for one month (server local time), the sessions held
// and the completions within the filter's range.
type CourseMonth struct {
	Month             string     `json:"month"` // YYYY-MM
	SessionsHeld      int        `json:"sessions_held"`
	Attendance        Attendance `json:"attendance"`
	AvgAttendanceRate *float64   `json:"avg_attendance_rate"`
	Completions       int        `json:"completions"`

	rates []float64
}

// CourseTotals sums every selected course.
type CourseTotals struct {
	Courses int `json:"courses"`
	CourseCounts
}

// CoursesReport answers GET /api/stats/courses.
type CoursesReport struct {
	Filter  FilterEcho     `json:"filter"`
	Totals  CourseTotals   `json:"totals"`
	Courses []*CourseStats `json:"courses"`
	Months  []*CourseMonth `json:"months"`
}

// Courses computes the figures of the courses whose dates overlap the
// filter's range, that carry one of its tags and that see admits (nil:
// all). A course's dates run from the earlier of starts_on and its first
// session to the later of ends_on and its last session; a course with no
// dates at all is selected only when the range is open on both sides.
// Course figures are whole-course; months count what falls in the range.
func Courses(app core.App, f *Filter, see func(c *CourseStats) bool, now time.Time) (*CoursesReport, error) {
	var rows []*CourseStats
	err := app.DB().NewQuery("SELECT id, title, starts_on, ends_on, status, tags, hosts FROM courses ORDER BY starts_on, id").All(&rows)
	if err != nil {
		return nil, fmt.Errorf("stats: courses: %w", err)
	}
	list := rows[:0]
	for _, c := range rows {
		if f.matchesTags(c.Tags) && (see == nil || see(c)) {
			list = append(list, c)
		}
	}
	if err := loadSessions(app, list); err != nil {
		return nil, err
	}
	if !f.From.IsZero() || !f.Until.IsZero() {
		kept := list[:0]
		for _, c := range list {
			if c.overlaps(f) {
				kept = append(kept, c)
			}
		}
		list = kept
	}
	if err := fillCourses(app, list, now); err != nil {
		return nil, err
	}

	r := &CoursesReport{Filter: f.echo(), Courses: list, Months: []*CourseMonth{}}
	months := map[string]*CourseMonth{}
	month := func(t types.DateTime) *CourseMonth {
		key := monthOf(t)
		mo := months[key]
		if mo == nil {
			mo = &CourseMonth{Month: key}
			months[key] = mo
			r.Months = append(r.Months, mo)
		}
		return mo
	}
	for _, c := range list {
		r.Totals.Courses++
		r.Totals.add(&c.CourseCounts)
		for _, s := range c.Sessions {
			if !s.Held || !f.contains(s.StartsAt.Time()) {
				continue
			}
			mo := month(s.StartsAt)
			mo.SessionsHeld++
			mo.Attendance.add(s.Attendance)
			if s.AttendanceRate != nil {
				mo.rates = append(mo.rates, *s.AttendanceRate)
			}
		}
		for _, t := range c.completions {
			if f.contains(t.Time()) {
				month(t).Completions++
			}
		}
	}
	r.Totals.finish()
	for _, mo := range r.Months {
		mo.AvgAttendanceRate = mean(mo.rates)
	}
	slices.SortFunc(r.Months, func(a, b *CourseMonth) int { return cmp.Compare(a.Month, b.Month) })
	return r, nil
}

// Course computes one course's figures.
func Course(app core.App, id string, now time.Time) (*CourseStats, error) {
	var c CourseStats
	err := app.DB().Select("id", "title", "starts_on", "ends_on", "status", "tags", "hosts").From("courses").
		Where(dbx.HashExp{"id": id}).One(&c)
	if err != nil {
		return nil, err
	}
	list := []*CourseStats{&c}
	if err := loadSessions(app, list); err != nil {
		return nil, err
	}
	if err := fillCourses(app, list, now); err != nil {
		return nil, err
	}
	return &c, nil
}

// overlaps reports whether the course's dates meet the filter's range.
func (c *CourseStats) overlaps(f *Filter) bool {
	var start, end time.Time
	widen := func(t types.DateTime) {
		if t.IsZero() {
			return
		}
		tt := t.Time()
		if start.IsZero() || tt.Before(start) {
			start = tt
		}
		if end.IsZero() || tt.After(end) {
			end = tt
		}
	}
	widen(c.StartsOn)
	widen(c.EndsOn)
	for _, s := range c.Sessions {
		widen(s.StartsAt)
	}
	if start.IsZero() {
		return false
	}
	return (f.Until.IsZero() || start.Before(f.Until)) && (f.From.IsZero() || !end.Before(f.From))
}

// loadSessions reads the sessions of the listed courses in start order
// through the (course, starts_at) index.
func loadSessions(app core.App, list []*CourseStats) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[string]*CourseStats, len(list))
	ids := make([]string, len(list))
	for i, c := range list {
		byID[c.ID] = c
		ids[i] = c.ID
		c.Sessions = []*SessionStats{}
	}
	var sessions []*SessionStats
	err := app.DB().NewQuery(`SELECT id, course, title, starts_at, cancelled FROM course_sessions
		WHERE course IN ` + inIDs + ` ORDER BY course, starts_at, id`).
		Bind(dbx.Params{"ids": jsonIDs(ids)}).All(&sessions)
	if err != nil {
		return fmt.Errorf("stats: sessions: %w", err)
	}
	for _, s := range sessions {
		c := byID[s.Course]
		c.Sessions = append(c.Sessions, s)
	}
	return nil
}

// fillCourses counts enrollments, attendance and points for the listed
// courses, whose sessions are loaded.
func fillCourses(app core.App, list []*CourseStats, now time.Time) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[string]*CourseStats, len(list))
	ids := make([]string, len(list))
	sessions := map[string]*SessionStats{}
	var sessionIDs []string
	for i, c := range list {
		byID[c.ID] = c
		ids[i] = c.ID
		for _, s := range c.Sessions {
			sessions[s.ID] = s
			sessionIDs = append(sessionIDs, s.ID)
		}
	}
	params := dbx.Params{"ids": jsonIDs(ids)}

	var enr []struct {
		Course string `db:"course"`
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	err := app.DB().NewQuery(`SELECT course, status, count(*) AS n FROM enrollments
		WHERE course IN ` + inIDs + ` GROUP BY course, status`).Bind(params).All(&enr)
	if err != nil {
		return fmt.Errorf("stats: enrollments: %w", err)
	}
	for _, e := range enr {
		c := byID[e.Course]
		switch e.Status {
		case "enrolled":
			c.Enrolled += e.N
		case "completed":
			c.Completed += e.N
		case "cancelled":
			c.Cancelled += e.N
		}
	}

	var done []struct {
		Course string         `db:"course"`
		At     types.DateTime `db:"at"`
	}
	err = app.DB().NewQuery(`SELECT course, CASE WHEN completed_at != '' THEN completed_at ELSE updated END AS at
		FROM enrollments WHERE course IN ` + inIDs + ` AND status = 'completed'`).Bind(params).All(&done)
	if err != nil {
		return fmt.Errorf("stats: completions: %w", err)
	}
	for _, d := range done {
		c := byID[d.Course]
		c.completions = append(c.completions, d.At)
	}

	var marks []struct {
		Session string `db:"session"`
		Status  string `db:"status"`
		N       int    `db:"n"`
	}
	err = app.DB().NewQuery(`SELECT session, status, count(*) AS n FROM attendance
		WHERE session IN ` + inIDs + ` GROUP BY session, status`).
		Bind(dbx.Params{"ids": jsonIDs(sessionIDs)}).All(&marks)
	if err != nil {
		return fmt.Errorf("stats: attendance: %w", err)
	}
	for _, m := range marks {
		a := &sessions[m.Session].Attendance
		switch m.Status {
		case "present":
			a.Present += m.N
		case "late":
			a.Late += m.N
		case "absent":
			a.Absent += m.N
		case "excused":
			a.Excused += m.N
		}
	}

	// Session awards name the session (hooks/courses), completion awards
	// the enrollment.
	var pts []struct {
		Course string `db:"c"`
		Reason string `db:"reason"`
		Sum    int    `db:"pts"`
	}
	err = app.DB().NewQuery(`SELECT c, reason, SUM(amount) AS pts FROM (
			SELECT s.course AS c, p.reason AS reason, p.amount AS amount FROM course_sessions s
			JOIN points p ON p.reason = 'session' AND p.ref = s.id
			WHERE s.course IN ` + inIDs + `
			UNION ALL
			SELECT e.course, p.reason, p.amount FROM enrollments e
			JOIN points p ON p.reason = 'course_completion' AND p.ref = e.id
			WHERE e.course IN ` + inIDs + `
		) GROUP BY c, reason`).Bind(params).All(&pts)
	if err != nil {
		return fmt.Errorf("stats: course points: %w", err)
	}
	for _, p := range pts {
		c := byID[p.Course]
		if p.Reason == "session" {
			c.SessionPoints += p.Sum
		} else {
			c.CompletionPoints += p.Sum
		}
	}

	for _, c := range list {
		c.Participants = c.Enrolled + c.Completed
		c.Points = c.SessionPoints + c.CompletionPoints
		for _, s := range c.Sessions {
			if s.Cancelled {
				continue
			}
			c.SessionsTotal++
			s.Held = !s.StartsAt.Time().After(now)
			if !s.Held {
				continue
			}
			c.SessionsHeld++
			c.Attendance.add(s.Attendance)
			if s.AttendanceRate = ratio(s.Attendance.attended(), c.Participants); s.AttendanceRate != nil {
				c.rates = append(c.rates, *s.AttendanceRate)
			}
		}
		c.finish()
	}
	return nil
}
