package stats

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// MeetupCounts are the figures of one meetup, one month or all of them.
// Rates are null when their denominator is zero.
type MeetupCounts struct {
	Registered int `json:"registered"`
	Waitlisted int `json:"waitlisted"`
	Cancelled  int `json:"cancelled"`
	// Registrations is registered + waitlisted + cancelled.
	Registrations int `json:"registrations"`
	CheckedIn     int `json:"checked_in"`
	// AttendanceRate is checked_in / registered.
	AttendanceRate *float64 `json:"attendance_rate"`
	// Points is the sum of check-in ledger rows.
	Points        int      `json:"points"`
	FeedbackCount int      `json:"feedback_count"`
	AvgRating     *float64 `json:"avg_rating"`

	ratingSum int
}

func (c *MeetupCounts) add(o *MeetupCounts) {
	c.Registered += o.Registered
	c.Waitlisted += o.Waitlisted
	c.Cancelled += o.Cancelled
	c.Registrations += o.Registrations
	c.CheckedIn += o.CheckedIn
	c.Points += o.Points
	c.FeedbackCount += o.FeedbackCount
	c.ratingSum += o.ratingSum
}

func (c *MeetupCounts) finish() {
	c.AttendanceRate = ratio(c.CheckedIn, c.Registered)
	c.AvgRating = ratio(c.ratingSum, c.FeedbackCount)
}

// MeetupStats is one meetup with its figures.
type MeetupStats struct {
	ID       string                  `db:"id" json:"id"`
	Title    string                  `db:"title" json:"title"`
	StartsAt types.DateTime          `db:"starts_at" json:"starts_at"`
	Status   string                  `db:"status" json:"status"`
	Tags     types.JSONArray[string] `db:"tags" json:"tags"`
	MeetupCounts
}

// MeetupMonth sums the meetups starting in one month (server local time).
type MeetupMonth struct {
	Month   string `json:"month"` // YYYY-MM
	Meetups int    `json:"meetups"`
	MeetupCounts
}

// MeetupTotals sums every selected meetup.
type MeetupTotals struct {
	Meetups int `json:"meetups"`
	MeetupCounts
}

// Popularity is a meetup's place by check-ins, ties broken by
// registrations; equal on both share a rank (1, 2, 2, 4).
type Popularity struct {
	Rank          int    `json:"rank"`
	ID            string `json:"id"`
	Title         string `json:"title"`
	CheckedIn     int    `json:"checked_in"`
	Registrations int    `json:"registrations"`
}

// MeetupsReport answers GET /api/stats/meetups.
type MeetupsReport struct {
	Filter     FilterEcho     `json:"filter"`
	Totals     MeetupTotals   `json:"totals"`
	Meetups    []*MeetupStats `json:"meetups"`
	Months     []*MeetupMonth `json:"months"`
	Popularity []Popularity   `json:"popularity"`
}

// Funnel answers GET /api/stats/meetups/{id}/funnel.
type Funnel struct {
	MeetupStats
	// QuizTakers counts the users with an attempt at one of the meetup's quizzes.
	QuizTakers int `json:"quiz_takers"`
}

// Meetups computes the figures of the meetups starting in the filter's
// range that carry one of its tags and that see admits (nil: all).
func Meetups(app core.App, f *Filter, see func(tags []string) bool) (*MeetupsReport, error) {
	where, params := f.where("starts_at")
	var rows []*MeetupStats
	err := app.DB().NewQuery("SELECT id, title, starts_at, status, tags FROM meetups WHERE " + where +
		" ORDER BY starts_at, id").Bind(params).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("stats: meetups: %w", err)
	}
	list := rows[:0]
	for _, m := range rows {
		if f.matchesTags(m.Tags) && (see == nil || see(m.Tags)) {
			list = append(list, m)
		}
	}
	if err := fillMeetups(app, list); err != nil {
		return nil, err
	}

	r := &MeetupsReport{Filter: f.echo(), Meetups: list, Months: []*MeetupMonth{}}
	months := map[string]*MeetupMonth{}
	for _, m := range list {
		r.Totals.Meetups++
		r.Totals.add(&m.MeetupCounts)
		key := monthOf(m.StartsAt)
		mo := months[key]
		if mo == nil {
			mo = &MeetupMonth{Month: key}
			months[key] = mo
			r.Months = append(r.Months, mo)
		}
		mo.Meetups++
		mo.add(&m.MeetupCounts)
	}
	r.Totals.finish()
	for _, mo := range r.Months {
		mo.finish()
	}
	slices.SortFunc(r.Months, func(a, b *MeetupMonth) int { return cmp.Compare(a.Month, b.Month) })
	r.Popularity = popularity(list)
	return r, nil
}

// MeetupFunnel computes one meetup's funnel.
func MeetupFunnel(app core.App, id string) (*Funnel, error) {
	var m MeetupStats
	err := app.DB().Select("id", "title", "starts_at", "status", "tags").From("meetups").
		Where(dbx.HashExp{"id": id}).One(&m)
	if err != nil {
		return nil, err
	}
	if err := fillMeetups(app, []*MeetupStats{&m}); err != nil {
		return nil, err
	}
	fn := &Funnel{MeetupStats: m}
	err = app.DB().NewQuery(`SELECT count(DISTINCT a.user) FROM quizzes q
		JOIN quiz_attempts a ON a.quiz = q.id WHERE q.meetup = {:id}`).
		Bind(dbx.Params{"id": id}).Row(&fn.QuizTakers)
	if err != nil {
		return nil, fmt.Errorf("stats: quiz takers of %s: %w", id, err)
	}
	return fn, nil
}

// fillMeetups counts registrations, check-ins, points and feedback for the
// listed meetups: four grouped queries, each walking an index that starts
// with the meetup.
func fillMeetups(app core.App, list []*MeetupStats) error {
	if len(list) == 0 {
		return nil
	}
	byID := make(map[string]*MeetupStats, len(list))
	ids := make([]string, len(list))
	for i, m := range list {
		byID[m.ID] = m
		ids[i] = m.ID
	}
	params := dbx.Params{"ids": jsonIDs(ids)}

	var regs []struct {
		Meetup string `db:"meetup"`
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	err := app.DB().NewQuery(`SELECT meetup, status, count(*) AS n FROM registrations
		WHERE meetup IN ` + inIDs + ` GROUP BY meetup, status`).Bind(params).All(&regs)
	if err != nil {
		return fmt.Errorf("stats: registrations: %w", err)
	}
	for _, r := range regs {
		m := byID[r.Meetup]
		switch r.Status {
		case "registered":
			m.Registered += r.N
		case "waitlisted":
			m.Waitlisted += r.N
		case "cancelled":
			m.Cancelled += r.N
		}
		m.Registrations += r.N
	}

	var checkins []struct {
		Meetup string `db:"meetup"`
		N      int    `db:"n"`
	}
	err = app.DB().NewQuery(`SELECT meetup, count(*) AS n FROM checkins
		WHERE meetup IN ` + inIDs + ` GROUP BY meetup`).Bind(params).All(&checkins)
	if err != nil {
		return fmt.Errorf("stats: check-ins: %w", err)
	}
	for _, c := range checkins {
		byID[c.Meetup].CheckedIn = c.N
	}

	// A check-in award names the meetup as its ref (hooks/checkin), so the
	// ledger's (reason, ref) index answers per meetup.
	var pts []struct {
		Meetup string `db:"meetup"`
		Sum    int    `db:"pts"`
	}
	err = app.DB().NewQuery(`SELECT ref AS meetup, SUM(amount) AS pts FROM points
		WHERE reason = 'checkin' AND ref IN ` + inIDs + ` GROUP BY ref`).Bind(params).All(&pts)
	if err != nil {
		return fmt.Errorf("stats: check-in points: %w", err)
	}
	for _, p := range pts {
		byID[p.Meetup].Points = p.Sum
	}

	var fb []struct {
		Meetup string `db:"meetup"`
		N      int    `db:"n"`
		Sum    int    `db:"s"`
	}
	err = app.DB().NewQuery(`SELECT meetup, count(*) AS n, COALESCE(SUM(rating), 0) AS s FROM feedback
		WHERE meetup IN ` + inIDs + ` GROUP BY meetup`).Bind(params).All(&fb)
	if err != nil {
		return fmt.Errorf("stats: feedback: %w", err)
	}
	for _, r := range fb {
		m := byID[r.Meetup]
		m.FeedbackCount, m.ratingSum = r.N, r.Sum
	}

	for _, m := range list {
		m.finish()
	}
	return nil
}

// popularity ranks meetups by check-ins, then registrations.
func popularity(list []*MeetupStats) []Popularity {
	sorted := slices.Clone(list)
	slices.SortStableFunc(sorted, func(a, b *MeetupStats) int {
		if c := cmp.Compare(b.CheckedIn, a.CheckedIn); c != 0 {
			return c
		}
		return cmp.Compare(b.Registrations, a.Registrations)
	})
	out := make([]Popularity, len(sorted))
	for i, m := range sorted {
		rank := i + 1
		if i > 0 && m.CheckedIn == sorted[i-1].CheckedIn && m.Registrations == sorted[i-1].Registrations {
			rank = out[i-1].Rank
		}
		out[i] = Popularity{Rank: rank, ID: m.ID, Title: m.Title, CheckedIn: m.CheckedIn, Registrations: m.Registrations}
	}
	return out
}
