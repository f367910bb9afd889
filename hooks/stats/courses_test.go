package stats_test

import (
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/access"
)

type attendance struct {
	Present int `json:"present"`
	Late    int `json:"late"`
	Absent  int `json:"absent"`
	Excused int `json:"excused"`
}

type courseRow struct {
	ID                string     `json:"id"`
	Title             string     `json:"title"`
	Tags              []string   `json:"tags"`
	Hosts             []string   `json:"hosts"`
	Enrolled          int        `json:"enrolled"`
	Completed         int        `json:"completed"`
	Cancelled         int        `json:"cancelled"`
	Participants      int        `json:"participants"`
	CompletionRate    *float64   `json:"completion_rate"`
	SessionsTotal     int        `json:"sessions_total"`
	SessionsHeld      int        `json:"sessions_held"`
	Attendance        attendance `json:"attendance"`
	AvgAttendanceRate *float64   `json:"avg_attendance_rate"`
	Points            int        `json:"points"`
	SessionPoints     int        `json:"session_points"`
	CompletionPoints  int        `json:"completion_points"`
	Sessions          []struct {
		ID             string     `json:"id"`
		Title          string     `json:"title"`
		StartsAt       string     `json:"starts_at"`
		Cancelled      bool       `json:"cancelled"`
		Held           bool       `json:"held"`
		Attendance     attendance `json:"attendance"`
		AttendanceRate *float64   `json:"attendance_rate"`
	} `json:"sessions"`
}

type coursesAnswer struct {
	Totals struct {
		Courses           int        `json:"courses"`
		Participants      int        `json:"participants"`
		Completed         int        `json:"completed"`
		SessionsHeld      int        `json:"sessions_held"`
		Attendance        attendance `json:"attendance"`
		AvgAttendanceRate *float64   `json:"avg_attendance_rate"`
		Points            int        `json:"points"`
	} `json:"totals"`
	Courses []courseRow `json:"courses"`
	Months  []struct {
		Month             string     `json:"month"`
		SessionsHeld      int        `json:"sessions_held"`
		Attendance        attendance `json:"attendance"`
		AvgAttendanceRate *float64   `json:"avg_attendance_rate"`
		Completions       int        `json:"completions"`
	} `json:"months"`
}

// courseTally is one course counted by the test from the stored rows.
type courseTally struct {
	row   courseRow
	rates []float64
	// held sessions (start, marks) and completion times, for months
	held        map[string]attendance
	heldRate    map[string]*float64
	completions []string
}

func courseTallies(t testing.TB, app core.App, now time.Time) map[string]*courseTally {
	t.Helper()
	all := func(c string) []*core.Record {
		recs, err := app.FindAllRecords(c)
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	out := map[string]*courseTally{}
	for _, c := range all("courses") {
		out[c.Id] = &courseTally{held: map[string]attendance{}, heldRate: map[string]*float64{}}
	}
	enrCourse := map[string]string{}
	for _, e := range all("enrollments") {
		x := out[e.GetString("course")]
		enrCourse[e.Id] = e.GetString("course")
		switch e.GetString("status") {
		case "enrolled":
			x.row.Enrolled++
		case "completed":
			x.row.Completed++
			at := e.GetString("completed_at")
			if at == "" {
				at = e.GetString("updated")
			}
			x.completions = append(x.completions, at)
		case "cancelled":
			x.row.Cancelled++
		}
	}
	sessions := map[string]*core.Record{}
	for _, s := range all("course_sessions") {
		sessions[s.Id] = s
	}
	marks := map[string]attendance{}
	markSession := map[string]string{}
	for _, a := range all("attendance") {
		markSession[a.Id] = a.GetString("session")
		m := marks[a.GetString("session")]
		switch a.GetString("status") {
		case "present":
			m.Present++
		case "late":
			m.Late++
		case "absent":
			m.Absent++
		case "excused":
			m.Excused++
		}
		marks[a.GetString("session")] = m
	}
	for id, s := range sessions {
		x := out[s.GetString("course")]
		if s.GetBool("cancelled") {
			continue
		}
		x.row.SessionsTotal++
		if s.GetDateTime("starts_at").Time().After(now) {
			continue
		}
		x.row.SessionsHeld++
		m := marks[id]
		x.row.Attendance.Present += m.Present
		x.row.Attendance.Late += m.Late
		x.row.Attendance.Absent += m.Absent
		x.row.Attendance.Excused += m.Excused
		x.held[s.GetString("starts_at")] = m
		participants := 0
		for _, e := range all("enrollments") {
			if e.GetString("course") == s.GetString("course") && e.GetString("status") != "cancelled" {
				participants++
			}
		}
		r := rate(m.Present+m.Late, participants)
		x.heldRate[s.GetString("starts_at")] = r
		if r != nil {
			x.rates = append(x.rates, *r)
		}
	}
	for _, p := range all("points") {
		ref, amount := p.GetString("ref"), p.GetInt("amount")
		switch p.GetString("reason") {
		case "session":
			if s, ok := sessions[ref]; ok {
				out[s.GetString("course")].row.SessionPoints += amount
			}
		case "course_completion":
			if course, ok := enrCourse[ref]; ok {
				out[course].row.CompletionPoints += amount
			}
		}
	}
	for _, x := range out {
		x.row.Participants = x.row.Enrolled + x.row.Completed
		x.row.CompletionRate = rate(x.row.Completed, x.row.Participants)
		x.row.Points = x.row.SessionPoints + x.row.CompletionPoints
		x.row.AvgAttendanceRate = meanOf(x.rates)
	}
	return out
}

func meanOf(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	m := s / float64(len(xs))
	return &m
}

func (x *courseTally) check(t testing.TB, got courseRow) {
	t.Helper()
	w := x.row
	if got.Enrolled != w.Enrolled || got.Completed != w.Completed || got.Cancelled != w.Cancelled ||
		got.Participants != w.Participants || !sameRate(got.CompletionRate, w.CompletionRate) ||
		got.SessionsTotal != w.SessionsTotal || got.SessionsHeld != w.SessionsHeld || got.Attendance != w.Attendance ||
		!sameRate(got.AvgAttendanceRate, w.AvgAttendanceRate) || got.Points != w.Points ||
		got.SessionPoints != w.SessionPoints || got.CompletionPoints != w.CompletionPoints {
		t.Errorf("%s:\n got %+v\nwant %+v", got.Title, got, w)
	}
	for _, s := range got.Sessions {
		if !s.Held {
			continue
		}
		if s.Attendance != x.held[s.StartsAt] || !sameRate(s.AttendanceRate, x.heldRate[s.StartsAt]) {
			t.Errorf("%s session %s: %+v rate %s, want %+v rate %s", got.Title, s.Title,
				s.Attendance, fmtRate(s.AttendanceRate), x.held[s.StartsAt], fmtRate(x.heldRate[s.StartsAt]))
		}
	}
}

func TestCourseStats(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tallies := courseTallies(t, f.app, time.Now())
	everything := []string{"Go course", "Web course", "ML course", "Design studio"}
	cases := []struct {
		name, query, as string
		want            []string
		from, until     string // the range months are cut to
	}{
		{name: "everything", want: everything},
		{name: "first quarter", query: "from=2026-01-01&to=2026-03-31", want: []string{"Web course"}, from: "2026-01-01", until: "2026-04-01"},
		{name: "before April", query: "to=2026-03-31", want: []string{"Web course"}, until: "2026-04-01"},
		// the Web course has a session in 2035, so it runs until then
		{name: "from mid April", query: "from=2026-04-15", want: []string{"Go course", "Web course", "ML course"}, from: "2026-04-15"},
		{name: "ML by name", query: "tags=ml", want: []string{"Go course", "ML course"}},
		{name: "scoped to web", as: f.Scoped[access.StatsView], want: []string{"Web course"}},
		{name: "scoped to web, asking for ml", as: f.Scoped[access.StatsView], query: "tags=ml", want: []string{}},
		{name: "a host sees their courses", as: f.Host, want: []string{"Go course", "ML course"}},
		{name: "another host", as: f.Host2, query: "tags=web,ml", want: []string{"Web course"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := f.super
			if tc.as != "" {
				tok = f.token(t, tc.as)
			}
			var got coursesAnswer
			mustGet(t, f.h, "/api/stats/courses?"+tc.query, tok, &got)
			var titles []string
			for _, c := range got.Courses {
				titles = append(titles, c.Title)
			}
			if !sameSet(titles, tc.want) {
				t.Fatalf("courses %q, want %q", titles, tc.want)
			}
			wantMonths := map[string]attendance{}
			wantHeld := map[string]int{}
			wantDone := map[string]int{}
			var totalRates []float64
			inRange := func(at string) bool {
				return (tc.from == "" || at >= tc.from) && (tc.until == "" || at < tc.until)
			}
			var totalPoints, participants int
			for _, c := range got.Courses {
				x := tallies[c.ID]
				x.check(t, c)
				totalPoints += x.row.Points
				participants += x.row.Participants
				totalRates = append(totalRates, x.rates...)
				for at, m := range x.held {
					if !inRange(at) {
						continue
					}
					mo := month(t, at)
					w := wantMonths[mo]
					w.Present, w.Late, w.Absent, w.Excused = w.Present+m.Present, w.Late+m.Late, w.Absent+m.Absent, w.Excused+m.Excused
					wantMonths[mo] = w
					wantHeld[mo]++
				}
				for _, at := range x.completions {
					if inRange(at) {
						wantDone[month(t, at)]++
					}
				}
			}
			if got.Totals.Courses != len(tc.want) || got.Totals.Points != totalPoints || got.Totals.Participants != participants ||
				!sameRate(got.Totals.AvgAttendanceRate, meanOf(totalRates)) {
				t.Errorf("totals %+v, want %d courses, %d points, %d participants, rate %s", got.Totals, len(tc.want), totalPoints, participants, fmtRate(meanOf(totalRates)))
			}
			seen := map[string]bool{}
			for _, mo := range got.Months {
				seen[mo.Month] = true
				if mo.SessionsHeld != wantHeld[mo.Month] || mo.Attendance != wantMonths[mo.Month] || mo.Completions != wantDone[mo.Month] {
					t.Errorf("month %s: %+v, want %d held, %+v, %d completions", mo.Month, mo, wantHeld[mo.Month], wantMonths[mo.Month], wantDone[mo.Month])
				}
			}
			for mo := range wantHeld {
				if !seen[mo] {
					t.Errorf("month %s missing", mo)
				}
			}
			for mo := range wantDone {
				if !seen[mo] {
					t.Errorf("month %s missing", mo)
				}
			}
		})
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// The Web course's numbers as a person counts them from the fixture.
func TestCourseKnownNumbers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var got courseRow
	mustGet(t, f.h, "/api/stats/courses/"+f.course["Web course"], f.super, &got)
	r := func(x float64) *float64 { return &x }
	if got.Enrolled != 3 || got.Completed != 2 || got.Cancelled != 1 || got.Participants != 5 || !sameRate(got.CompletionRate, r(0.4)) {
		t.Errorf("enrollments: %+v", got)
	}
	if got.SessionsTotal != 4 || got.SessionsHeld != 3 || len(got.Sessions) != 5 {
		t.Errorf("sessions: total %d, held %d, listed %d; want 4, 3, 5", got.SessionsTotal, got.SessionsHeld, len(got.Sessions))
	}
	if got.Attendance != (attendance{Present: 8, Late: 2, Absent: 2, Excused: 1}) {
		t.Errorf("attendance %+v", got.Attendance)
	}
	wantRates := []*float64{r(0.8), r(0.6), nil, r(0.6), nil} // the cancelled and the future session have none
	for i, s := range got.Sessions {
		if !sameRate(s.AttendanceRate, wantRates[i]) {
			t.Errorf("session %s rate %s, want %s", s.Title, fmtRate(s.AttendanceRate), fmtRate(wantRates[i]))
		}
	}
	if !got.Sessions[2].Cancelled || got.Sessions[2].Held || got.Sessions[4].Held || !got.Sessions[0].Held {
		t.Errorf("held flags: %+v", got.Sessions)
	}
	if !sameRate(got.AvgAttendanceRate, r(2.0/3)) {
		t.Errorf("average attendance %s, want 0.6667", fmtRate(got.AvgAttendanceRate))
	}
	if got.SessionPoints != 50 || got.CompletionPoints != 100 || got.Points != 150 {
		t.Errorf("points %d (sessions %d, completion %d), want 150 (50, 100)", got.Points, got.SessionPoints, got.CompletionPoints)
	}

	mustGet(t, f.h, "/api/stats/courses/"+f.course["ML course"], f.super, &got)
	if got.SessionPoints != 16 || got.CompletionPoints != 40 || got.Completed != 1 || got.Participants != 4 || !sameRate(got.AvgAttendanceRate, r((0.75+0.25)/2)) {
		t.Errorf("ML course: %+v", got)
	}

	var all coursesAnswer
	mustGet(t, f.h, "/api/stats/courses?from=2026-01-01&to=2026-06-30", f.super, &all)
	var months []string
	for _, m := range all.Months {
		months = append(months, m.Month)
	}
	if !slices.Equal(months, []string{"2026-01", "2026-02", "2026-03", "2026-04", "2026-05"}) {
		t.Fatalf("months %q", months)
	}
	if m := all.Months[2]; m.SessionsHeld != 1 || m.Completions != 2 || m.Attendance != (attendance{Present: 2, Late: 1}) {
		t.Errorf("March: %+v", m)
	}
	if m := all.Months[4]; m.SessionsHeld != 1 || m.Completions != 1 || !sameRate(m.AvgAttendanceRate, r(0.25)) {
		t.Errorf("May: %+v", m)
	}
}

// Held means started and not cancelled: a session moved into the past
// counts from then on.
func TestSessionHeldFollowsTime(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var before courseRow
	mustGet(t, f.h, "/api/stats/courses/"+f.Course, f.super, &before)
	if before.SessionsHeld != 0 || before.Attendance != (attendance{}) {
		t.Fatalf("the fixture course's session is tomorrow, yet: %+v", before)
	}
	s, err := f.app.FindRecordById("course_sessions", f.Session)
	if err != nil {
		t.Fatal(err)
	}
	s.Set("starts_at", types.NowDateTime().Add(-time.Hour))
	if err := f.app.Save(s); err != nil {
		t.Fatal(err)
	}
	var after courseRow
	mustGet(t, f.h, "/api/stats/courses/"+f.Course, f.super, &after)
	if after.SessionsHeld != 1 || after.Attendance.Present != 1 || !sameRate(after.AvgAttendanceRate, rate(1, 1)) {
		t.Errorf("after the session started: %+v", after)
	}
}
