package stats_test

import (
	"cmp"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
)

// The answer's shape as the admin pages read it (decoded independently of
// the package's own types).
type meetupCounts struct {
	Registered     int      `json:"registered"`
	Waitlisted     int      `json:"waitlisted"`
	Cancelled      int      `json:"cancelled"`
	Registrations  int      `json:"registrations"`
	CheckedIn      int      `json:"checked_in"`
	AttendanceRate *float64 `json:"attendance_rate"`
	Points         int      `json:"points"`
	FeedbackCount  int      `json:"feedback_count"`
	AvgRating      *float64 `json:"avg_rating"`
}

type meetupRow struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	StartsAt string   `json:"starts_at"`
	Status   string   `json:"status"`
	Tags     []string `json:"tags"`
	meetupCounts
	QuizTakers int `json:"quiz_takers"`
}

type meetupsAnswer struct {
	Filter struct {
		From  string   `json:"from"`
		Until string   `json:"until"`
		Tags  []string `json:"tags"`
	} `json:"filter"`
	Totals struct {
		Meetups int `json:"meetups"`
		meetupCounts
	} `json:"totals"`
	Meetups []meetupRow `json:"meetups"`
	Months  []struct {
		Month   string `json:"month"`
		Meetups int    `json:"meetups"`
		meetupCounts
	} `json:"months"`
	Popularity []struct {
		Rank          int    `json:"rank"`
		ID            string `json:"id"`
		Title         string `json:"title"`
		CheckedIn     int    `json:"checked_in"`
		Registrations int    `json:"registrations"`
	} `json:"popularity"`
}

// tally is what the test counts itself, from the stored records.
type tally struct {
	registered, waitlisted, cancelled, checkedIn, points, feedback, ratingSum int
}

func (a *tally) add(b tally) {
	a.registered += b.registered
	a.waitlisted += b.waitlisted
	a.cancelled += b.cancelled
	a.checkedIn += b.checkedIn
	a.points += b.points
	a.feedback += b.feedback
	a.ratingSum += b.ratingSum
}

func (a tally) check(t testing.TB, what string, got meetupCounts) {
	t.Helper()
	want := meetupCounts{
		Registered: a.registered, Waitlisted: a.waitlisted, Cancelled: a.cancelled,
		Registrations: a.registered + a.waitlisted + a.cancelled, CheckedIn: a.checkedIn,
		AttendanceRate: rate(a.checkedIn, a.registered), Points: a.points,
		FeedbackCount: a.feedback, AvgRating: rate(a.ratingSum, a.feedback),
	}
	ar, rr := got.AttendanceRate, got.AvgRating
	got.AttendanceRate, got.AvgRating = want.AttendanceRate, want.AvgRating
	if got != want || !sameRate(ar, want.AttendanceRate) || !sameRate(rr, want.AvgRating) {
		got.AttendanceRate, got.AvgRating = ar, rr
		t.Errorf("%s:\n got %+v (rate %s, rating %s)\nwant %+v (rate %s, rating %s)", what,
			got, fmtRate(ar), fmtRate(rr), want, fmtRate(want.AttendanceRate), fmtRate(want.AvgRating))
	}
}

// meetupTallies counts every meetup's figures in Go from all stored rows.
func meetupTallies(t testing.TB, app core.App) map[string]tally {
	t.Helper()
	all := func(c string) []*core.Record {
		recs, err := app.FindAllRecords(c)
		if err != nil {
			t.Fatal(err)
		}
		return recs
	}
	out := map[string]tally{}
	for _, m := range all("meetups") {
		out[m.Id] = tally{}
	}
	bump := func(meetup string, f func(*tally)) {
		x := out[meetup]
		f(&x)
		out[meetup] = x
	}
	for _, r := range all("registrations") {
		bump(r.GetString("meetup"), func(x *tally) {
			switch r.GetString("status") {
			case "registered":
				x.registered++
			case "waitlisted":
				x.waitlisted++
			case "cancelled":
				x.cancelled++
			}
		})
	}
	for _, c := range all("checkins") {
		bump(c.GetString("meetup"), func(x *tally) { x.checkedIn++ })
	}
	for _, p := range all("points") {
		if _, isMeetup := out[p.GetString("ref")]; isMeetup && p.GetString("reason") == "checkin" {
			bump(p.GetString("ref"), func(x *tally) { x.points += p.GetInt("amount") })
		}
	}
	for _, fb := range all("feedback") {
		bump(fb.GetString("meetup"), func(x *tally) { x.feedback++; x.ratingSum += fb.GetInt("rating") })
	}
	return out
}

func month(t testing.TB, s string) string {
	t.Helper()
	tm, err := time.Parse("2006-01-02 15:04:05.000Z", s)
	if err != nil {
		t.Fatal(err)
	}
	return tm.In(time.Local).Format("2006-01")
}

// Every filter gives the meetups it names, each with the numbers the test
// counts from the stored rows, the months and totals they sum to, and the
// ranking they imply.
func TestMeetupStats(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tallies := meetupTallies(t, f.app)
	world := "ML meetup"
	everything := []string{"Go basics", "ML 101", "ML for web", "Design review", "Open talk", "Cancelled party", world, "Draft"}
	f.meetup[world], f.meetup["Draft"] = f.Meetup, f.DraftMeetup

	cases := []struct {
		name, query, as string
		want            []string // titles
	}{
		{name: "everything", want: everything},
		{name: "january and february", query: "from=2030-01-01&to=2030-02-28", want: []string{"Go basics", "ML 101", "ML for web"}},
		{name: "to includes its day", query: "from=2030-01-20&to=2030-02-05", want: []string{"ML 101", "ML for web"}},
		{name: "instants are inclusive on both ends", query: "from=2030-01-20T18:00:00Z&to=2030-02-05T17:00:00Z", want: []string{"ML 101", "ML for web"}},
		{name: "one millisecond late", query: "from=2030-01-20T18:00:00.001Z&to=2030-02-05T16:59:59.999Z", want: []string{}},
		{name: "an offset", query: "from=2030-01-10T21:00:00%2B03:00&to=2030-01-10T21:00:00%2B03:00", want: []string{"Go basics"}},
		{name: "from only", query: "from=2030-03-01", want: []string{"Design review", "Open talk", "Cancelled party"}},
		{name: "to only", query: "to=2030-01-31", want: []string{world, "Draft", "Go basics", "ML 101"}},
		{name: "a tag by id", query: "tags=" + f.TagWeb, want: []string{"Go basics", "ML for web", "Cancelled party"}},
		{name: "tags by name", query: "tags=ml,design", want: []string{world, "Draft", "ML 101", "ML for web", "Design review"}},
		{name: "tags and dates", query: "tags=ml&from=2030-01-01", want: []string{"ML 101", "ML for web"}},
		{name: "scoped to web", as: f.Scoped[access.StatsView], want: []string{"Go basics", "ML for web", "Cancelled party"}},
		{name: "scoped to web, asking for ml", as: f.Scoped[access.StatsView], query: "tags=ml", want: []string{"ML for web"}},
		{name: "unscoped stats.view", as: f.Staff[access.StatsView], query: "tags=design", want: []string{"Design review"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			tok := f.super
			if tc.as != "" {
				tok = f.token(t, tc.as)
			}
			var got meetupsAnswer
			mustGet(t, f.h, "/api/stats/meetups?"+tc.query, tok, &got)

			want := map[string]bool{}
			for _, title := range tc.want {
				want[f.meetup[title]] = true
			}
			var titles []string
			var total tally
			months := map[string]tally{}
			monthMeetups := map[string]int{}
			for _, m := range got.Meetups {
				titles = append(titles, m.Title)
				tallies[m.ID].check(t, m.Title, m.meetupCounts)
				total.add(tallies[m.ID])
				mo := month(t, m.StartsAt)
				x := months[mo]
				x.add(tallies[m.ID])
				months[mo] = x
				monthMeetups[mo]++
			}
			if len(got.Meetups) != len(tc.want) {
				t.Fatalf("meetups %q, want %q", titles, tc.want)
			}
			for _, m := range got.Meetups {
				if !want[m.ID] {
					t.Fatalf("meetups %q, want %q", titles, tc.want)
				}
			}
			if !slices.IsSortedFunc(got.Meetups, func(a, b meetupRow) int { return cmp.Compare(a.StartsAt, b.StartsAt) }) {
				t.Errorf("meetups not in start order: %q", titles)
			}

			if got.Totals.Meetups != len(tc.want) {
				t.Errorf("totals count %d meetups, want %d", got.Totals.Meetups, len(tc.want))
			}
			total.check(t, "totals", got.Totals.meetupCounts)

			if len(got.Months) != len(months) {
				t.Errorf("%d months, want %d", len(got.Months), len(months))
			}
			for i, mo := range got.Months {
				if i > 0 && got.Months[i-1].Month >= mo.Month {
					t.Errorf("months out of order: %s after %s", mo.Month, got.Months[i-1].Month)
				}
				if mo.Meetups != monthMeetups[mo.Month] {
					t.Errorf("month %s has %d meetups, want %d", mo.Month, mo.Meetups, monthMeetups[mo.Month])
				}
				months[mo.Month].check(t, "month "+mo.Month, mo.meetupCounts)
			}

			// the ranking, from the counted numbers
			ranked := slices.Clone(got.Meetups)
			slices.SortStableFunc(ranked, func(a, b meetupRow) int {
				ta, tb := tallies[a.ID], tallies[b.ID]
				if c := cmp.Compare(tb.checkedIn, ta.checkedIn); c != 0 {
					return c
				}
				return cmp.Compare(tb.registered+tb.waitlisted+tb.cancelled, ta.registered+ta.waitlisted+ta.cancelled)
			})
			if len(got.Popularity) != len(ranked) {
				t.Fatalf("popularity has %d entries, want %d", len(got.Popularity), len(ranked))
			}
			for i, p := range got.Popularity {
				tw := tallies[ranked[i].ID]
				if p.CheckedIn != tw.checkedIn || p.Registrations != tw.registered+tw.waitlisted+tw.cancelled {
					t.Errorf("popularity %d: %+v, want the figures of %s", i, p, ranked[i].Title)
				}
				wantRank := i + 1
				if i > 0 && p.CheckedIn == got.Popularity[i-1].CheckedIn && p.Registrations == got.Popularity[i-1].Registrations {
					wantRank = got.Popularity[i-1].Rank
				}
				if p.Rank != wantRank {
					t.Errorf("popularity %d (%s): rank %d, want %d", i, p.Title, p.Rank, wantRank)
				}
			}
		})
	}
}

// The fixture's numbers as a person counts them from the specs, so that
// the Go tally above is checked too.
func TestMeetupKnownNumbers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var got meetupsAnswer
	mustGet(t, f.h, "/api/stats/meetups?from=2030-01-01&to=2030-12-31", f.super, &got)
	byTitle := map[string]meetupRow{}
	for _, m := range got.Meetups {
		byTitle[m.Title] = m
	}
	r := func(x float64) *float64 { return &x }
	want := map[string]meetupCounts{
		"Go basics":       {Registered: 4, Waitlisted: 1, Cancelled: 1, Registrations: 6, CheckedIn: 3, AttendanceRate: r(0.75), Points: 30, FeedbackCount: 2, AvgRating: r(4.5)},
		"ML 101":          {Registered: 5, Waitlisted: 1, Cancelled: 1, Registrations: 7, CheckedIn: 4, AttendanceRate: r(0.8), Points: 40, FeedbackCount: 3, AvgRating: r(4)},
		"ML for web":      {Registered: 6, Cancelled: 2, Registrations: 8, CheckedIn: 6, AttendanceRate: r(1), Points: 90, FeedbackCount: 1, AvgRating: r(4)},
		"Design review":   {Registered: 3, Registrations: 3, CheckedIn: 3, AttendanceRate: r(1), Points: 30},
		"Open talk":       {Registered: 3, Registrations: 3, CheckedIn: 3, AttendanceRate: r(1), Points: 15, FeedbackCount: 1, AvgRating: r(2)},
		"Cancelled party": {Cancelled: 4, Registrations: 4},
	}
	for title, w := range want {
		g := byTitle[title].meetupCounts
		if g.Registered != w.Registered || g.Waitlisted != w.Waitlisted || g.Cancelled != w.Cancelled ||
			g.Registrations != w.Registrations || g.CheckedIn != w.CheckedIn || g.Points != w.Points ||
			g.FeedbackCount != w.FeedbackCount || !sameRate(g.AttendanceRate, w.AttendanceRate) || !sameRate(g.AvgRating, w.AvgRating) {
			t.Errorf("%s: got %+v, want %+v", title, g, w)
		}
	}
	if byTitle["Cancelled party"].Status != "cancelled" || len(byTitle["ML for web"].Tags) != 2 {
		t.Errorf("meetup fields: %+v %+v", byTitle["Cancelled party"], byTitle["ML for web"])
	}
	wantMonths := []string{"2030-01", "2030-02", "2030-03", "2030-04"}
	var months []string
	for _, m := range got.Months {
		months = append(months, m.Month)
	}
	if !slices.Equal(months, wantMonths) {
		t.Fatalf("months %q, want %q", months, wantMonths)
	}
	jan := got.Months[0]
	if jan.Meetups != 2 || jan.Registered != 9 || jan.CheckedIn != 7 || jan.Points != 70 || !sameRate(jan.AttendanceRate, r(7.0/9)) || !sameRate(jan.AvgRating, r(21.0/5)) {
		t.Errorf("January: %+v", jan)
	}
	// ML for web leads; Design review and Open talk tie on both counts
	var order []string
	var ranks []int
	for _, p := range got.Popularity {
		order = append(order, p.Title)
		ranks = append(ranks, p.Rank)
	}
	if !slices.Equal(order[:4], []string{"ML for web", "ML 101", "Go basics", "Design review"}) && !slices.Equal(order[:4], []string{"ML for web", "ML 101", "Go basics", "Open talk"}) {
		t.Errorf("popularity order %q", order)
	}
	if !slices.Equal(ranks, []int{1, 2, 3, 4, 4, 6}) {
		t.Errorf("ranks %v, want [1 2 3 4 4 6]", ranks)
	}
}

// A funnel holds the meetup's numbers plus its distinct quiz takers.
func TestMeetupFunnel(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	tallies := meetupTallies(t, f.app)
	takers := map[string]map[string]bool{}
	quizzes, _ := f.app.FindAllRecords("quizzes")
	quizMeetup := map[string]string{}
	for _, q := range quizzes {
		quizMeetup[q.Id] = q.GetString("meetup")
	}
	attempts, _ := f.app.FindAllRecords("quiz_attempts")
	for _, a := range attempts {
		m := quizMeetup[a.GetString("quiz")]
		if takers[m] == nil {
			takers[m] = map[string]bool{}
		}
		takers[m][a.GetString("user")] = true
	}
	f.meetup["ML meetup"] = f.Meetup
	wantTakers := map[string]int{"Go basics": 2, "ML for web": 3, "ML meetup": 1, "ML 101": 0}
	for title, id := range f.meetup {
		var got meetupRow
		mustGet(t, f.h, "/api/stats/meetups/"+url.PathEscape(id)+"/funnel", f.super, &got)
		if got.ID != id || got.Title != title {
			t.Errorf("funnel of %s names %s %q", id, got.ID, got.Title)
		}
		tallies[id].check(t, "funnel "+title, got.meetupCounts)
		if got.QuizTakers != len(takers[id]) {
			t.Errorf("%s: %d quiz takers, want %d", title, got.QuizTakers, len(takers[id]))
		}
		if n, ok := wantTakers[title]; ok && got.QuizTakers != n {
			t.Errorf("%s: %d quiz takers, want %d", title, got.QuizTakers, n)
		}
	}
}
