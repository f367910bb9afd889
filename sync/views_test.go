package sync_test

import (
	"fmt"
	"math"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/testapp"
	qbsync "questbase/sync"
)

// insert writes a row straight into SQLite: the views are about numbers,
// so the fixture sets statuses and times that hooks would otherwise own.
func insert(t *testing.T, app core.App, table string, row dbx.Params) string {
	t.Helper()
	id := core.GenerateDefaultRandomId()
	row["id"] = id
	if _, ok := row["created"]; !ok {
		row["created"] = types.NowDateTime().String()
	}
	if _, ok := row["updated"]; !ok && table != "audit_log" {
		row["updated"] = row["created"]
	}
	if _, err := app.NonconcurrentDB().Insert(table, row).Execute(); err != nil {
		t.Fatalf("insert %s: %v", table, err)
	}
	return id
}

func stamp(s string) string { return s + ".000Z" }

// viewFixture adds meetups, courses, claims and ledger rows over three
// months, on top of the fixture world.
func viewFixture(t *testing.T, app core.App, w *testapp.World) {
	t.Helper()
	var users []string
	for i := range 6 {
		users = append(users, insert(t, app, "users", dbx.Params{"first_name": fmt.Sprint("u", i), "tokenKey": fmt.Sprint("tk", i), "password": "x", "email": "", "level": 1 + i%3, "points": 10 * i}))
	}
	mA := insert(t, app, "meetups", dbx.Params{"title": "A", "status": "finished", "starts_at": stamp("2026-03-10 18:00:00"), "tags": "[]"})
	mB := insert(t, app, "meetups", dbx.Params{"title": "B", "status": "published", "starts_at": stamp("2026-04-02 18:00:00"), "tags": "[]"})
	for i, st := range []string{"registered", "registered", "waitlisted", "cancelled", "registered"} {
		insert(t, app, "registrations", dbx.Params{"meetup": mA, "user": users[i], "status": st})
	}
	insert(t, app, "registrations", dbx.Params{"meetup": mB, "user": users[0], "status": "registered"})
	insert(t, app, "checkins", dbx.Params{"meetup": mA, "user": users[0], "created": stamp("2026-03-10 18:05:00")})
	insert(t, app, "checkins", dbx.Params{"meetup": mA, "user": users[1], "created": stamp("2026-03-10 18:07:00")})
	insert(t, app, "checkins", dbx.Params{"meetup": mB, "user": users[5], "created": stamp("2026-04-02 18:01:00")}) // walk-in
	q := insert(t, app, "quizzes", dbx.Params{"meetup": mA, "title": "Q"})
	q2 := insert(t, app, "quizzes", dbx.Params{"meetup": mA, "title": "Q2"})
	insert(t, app, "quiz_attempts", dbx.Params{"quiz": q, "user": users[0], "score": 3})
	insert(t, app, "quiz_attempts", dbx.Params{"quiz": q2, "user": users[0], "score": 1}) // one taker, two quizzes
	insert(t, app, "quiz_attempts", dbx.Params{"quiz": q2, "user": users[1], "score": 2})
	insert(t, app, "feedback", dbx.Params{"meetup": mA, "user": users[0], "rating": 4})
	insert(t, app, "feedback", dbx.Params{"meetup": mA, "user": users[1], "rating": 5})
	insert(t, app, "feedback", dbx.Params{"meetup": mA, "user": users[4], "rating": 2})

	c := insert(t, app, "courses", dbx.Params{"title": "C", "status": "published", "hosts": "[]", "tags": "[]"})
	past1 := insert(t, app, "course_sessions", dbx.Params{"course": c, "starts_at": stamp("2026-03-01 10:00:00")})
	past2 := insert(t, app, "course_sessions", dbx.Params{"course": c, "starts_at": stamp("2026-04-01 10:00:00")})
	cancelled := insert(t, app, "course_sessions", dbx.Params{"course": c, "starts_at": stamp("2026-03-15 10:00:00"), "cancelled": true})
	insert(t, app, "course_sessions", dbx.Params{"course": c, "starts_at": types.NowDateTime().Add(30 * 24 * time.Hour).String()})
	for i, st := range []string{"enrolled", "completed", "cancelled", "enrolled"} {
		insert(t, app, "enrollments", dbx.Params{"course": c, "user": users[i], "status": st})
	}
	for _, a := range []struct{ session, user, status string }{
		{past1, users[0], "present"}, {past1, users[1], "present"}, {past1, users[3], "late"},
		{past2, users[1], "late"}, {past2, users[0], "absent"}, {past2, users[3], "excused"},
		{cancelled, users[0], "present"},
	} {
		insert(t, app, "attendance", dbx.Params{"session": a.session, "user": a.user, "status": a.status})
	}

	for i, cl := range []struct {
		status, reviewer string
		points           int
		created, decided string
	}{
		{"approved", users[4], 30, "2026-03-01 10:00:00", "2026-03-02 10:00:00"},
		{"rejected", users[4], 0, "2026-03-03 10:00:00", "2026-03-03 16:00:00"},
		{"approved", users[5], 10, "2026-04-01 10:00:00", "2026-04-01 13:00:00"},
		{"approved", users[4], 5, "2026-04-05 10:00:00", "2026-04-07 10:00:00"},
		{"pending", "", 0, "2026-04-06 10:00:00", ""},
	} {
		row := dbx.Params{"user": users[i], "title": "claim", "status": cl.status, "points": cl.points, "reviewed_by": cl.reviewer,
			"created": stamp(cl.created), "attachments": "[]", "tags": "[]"}
		if cl.decided != "" {
			row["reviewed_at"] = stamp(cl.decided)
		}
		insert(t, app, "claims", row)
	}

	for i, p := range []struct {
		user   int
		amount int
		at     string
	}{
		{0, 10, "2026-03-10 18:05:00"}, {1, 10, "2026-03-10 18:07:00"}, {0, 5, "2026-03-20 12:00:00"},
		{1, -3, "2026-03-25 12:00:00"}, {5, 10, "2026-04-02 18:01:00"}, {2, 7, "2026-04-20 12:00:00"}, {2, -7, "2026-04-21 12:00:00"},
	} {
		insert(t, app, "points", dbx.Params{"user": users[p.user], "amount": p.amount, "reason": "correction", "ref": fmt.Sprint("v", i), "created": stamp(p.at), "tags": "[]"})
	}
}

func all(t *testing.T, app core.App, collection string) []*core.Record {
	t.Helper()
	recs, err := app.FindAllRecords(collection)
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

func near(a, b any) bool {
	fa, aok := a.(float64)
	fb, bok := b.(float64)
	if !aok || !bok {
		return a == b
	}
	return math.Abs(fa-fb) < 1e-9
}

func assertRow(t *testing.T, what string, got map[string]any, want map[string]any) {
	t.Helper()
	for k, v := range want {
		if !near(got[k], v) {
			t.Errorf("%s: %s = %#v, want %#v", what, k, got[k], v)
		}
	}
}

func ratio(a, b int) any {
	if b == 0 {
		return nil
	}
	return float64(a) / float64(b)
}

// The reporting views give the numbers computed here from the same
// records through PocketBase.
func TestReportingViews(t *testing.T) {
	app, w := newApp(t)
	viewFixture(t, app, w)
	m, conn := mirrorOf(t, app, qbsync.Options{})
	run(t, m, qbsync.RunOptions{})

	t.Run("meetup funnel", func(t *testing.T) {
		rows := query(t, conn, `SELECT * FROM questbase.report_meetup_funnel`)
		byID := map[string]map[string]any{}
		for _, r := range rows {
			byID[r["meetup"].(string)] = r
		}
		meetups := all(t, app, "meetups")
		if len(rows) != len(meetups) {
			t.Fatalf("%d funnel rows for %d meetups", len(rows), len(meetups))
		}
		quizMeetup := map[string]string{}
		for _, q := range all(t, app, "quizzes") {
			quizMeetup[q.Id] = q.GetString("meetup")
		}
		for _, mt := range meetups {
			want := map[string]any{}
			regs := map[string]int{}
			total := 0
			for _, r := range all(t, app, "registrations") {
				if r.GetString("meetup") == mt.Id {
					regs[r.GetString("status")]++
					total++
				}
			}
			checked := map[string]bool{}
			for _, c := range all(t, app, "checkins") {
				if c.GetString("meetup") == mt.Id {
					checked[c.GetString("user")] = true
				}
			}
			takers := map[string]bool{}
			for _, a := range all(t, app, "quiz_attempts") {
				if quizMeetup[a.GetString("quiz")] == mt.Id {
					takers[a.GetString("user")] = true
				}
			}
			n, sum := 0, 0
			for _, f := range all(t, app, "feedback") {
				if f.GetString("meetup") == mt.Id {
					n++
					sum += f.GetInt("rating")
				}
			}
			want["registrations"] = float64(total)
			want["registered"] = float64(regs["registered"])
			want["waitlisted"] = float64(regs["waitlisted"])
			want["cancelled"] = float64(regs["cancelled"])
			want["checked_in"] = float64(len(checked))
			want["quiz_takers"] = float64(len(takers))
			want["feedback_count"] = float64(n)
			want["avg_rating"] = ratio(sum, n)
			want["attendance_rate"] = ratio(len(checked), regs["registered"])
			assertRow(t, "meetup "+mt.GetString("title"), byID[mt.Id], want)
		}
	})

	t.Run("activity by month", func(t *testing.T) {
		type month struct{ checkins, attendance, awarded, deducted int }
		want := map[string]*month{}
		at := func(k string) *month {
			if want[k] == nil {
				want[k] = &month{}
			}
			return want[k]
		}
		for _, c := range all(t, app, "checkins") {
			at(c.GetDateTime("created").Time().Format("2006-01")).checkins++
		}
		sessions := map[string]*core.Record{}
		for _, s := range all(t, app, "course_sessions") {
			sessions[s.Id] = s
		}
		for _, a := range all(t, app, "attendance") {
			s := sessions[a.GetString("session")]
			if (a.GetString("status") == "present" || a.GetString("status") == "late") && !s.GetBool("cancelled") {
				at(s.GetDateTime("starts_at").Time().Format("2006-01")).attendance++
			}
		}
		for _, p := range all(t, app, "points") {
			m := at(p.GetDateTime("created").Time().Format("2006-01"))
			if a := p.GetInt("amount"); a > 0 {
				m.awarded += a
			} else {
				m.deducted -= a
			}
		}
		rows := query(t, conn, `SELECT to_char(month, 'YYYY-MM') AS month, checkins, session_attendance, points_awarded, points_deducted FROM questbase.report_activity_by_month`)
		if len(rows) != len(want) {
			t.Errorf("%d months in the view, want %d", len(rows), len(want))
		}
		for _, r := range rows {
			w := want[r["month"].(string)]
			if w == nil {
				t.Errorf("unexpected month %v", r["month"])
				continue
			}
			assertRow(t, "month "+r["month"].(string), r, map[string]any{
				"checkins": float64(w.checkins), "session_attendance": float64(w.attendance),
				"points_awarded": float64(w.awarded), "points_deducted": float64(w.deducted),
			})
		}
		if w := want["2026-03"]; w == nil || w.checkins != 2 || w.awarded != 25 || w.deducted != 3 {
			t.Errorf("March from the fixture: %+v", w)
		}
	})

	t.Run("course stats", func(t *testing.T) {
		rows := query(t, conn, `SELECT * FROM questbase.report_course_stats`)
		byID := map[string]map[string]any{}
		for _, r := range rows {
			byID[r["course"].(string)] = r
		}
		now := time.Now()
		for _, c := range all(t, app, "courses") {
			st := map[string]int{}
			total := 0
			for _, e := range all(t, app, "enrollments") {
				if e.GetString("course") == c.Id {
					st[e.GetString("status")]++
					total++
				}
			}
			sessions, held := 0, 0
			counted := map[string]bool{}
			for _, s := range all(t, app, "course_sessions") {
				if s.GetString("course") != c.Id || s.GetBool("cancelled") {
					continue
				}
				sessions++
				counted[s.Id] = true
				if !s.GetDateTime("starts_at").Time().After(now) {
					held++
				}
			}
			attended := 0
			for _, a := range all(t, app, "attendance") {
				if counted[a.GetString("session")] && (a.GetString("status") == "present" || a.GetString("status") == "late") {
					attended++
				}
			}
			participants := st["enrolled"] + st["completed"]
			assertRow(t, "course "+c.GetString("title"), byID[c.Id], map[string]any{
				"enrollments": float64(total), "participants": float64(participants), "completed": float64(st["completed"]),
				"cancelled": float64(st["cancelled"]), "sessions": float64(sessions), "sessions_held": float64(held),
				"attended": float64(attended), "attendance_rate": ratio(attended, held*participants),
				"completion_rate": ratio(st["completed"], participants),
			})
		}
	})

	t.Run("claim outcomes", func(t *testing.T) {
		type key struct{ status, reviewer string }
		type agg struct {
			n, points int
			hours     float64
			decided   int
		}
		want := map[key]*agg{}
		for _, c := range all(t, app, "claims") {
			k := key{c.GetString("status"), c.GetString("reviewed_by")}
			if want[k] == nil {
				want[k] = &agg{}
			}
			a := want[k]
			a.n++
			if k.status == "approved" {
				a.points += c.GetInt("points")
			}
			if r := c.GetDateTime("reviewed_at"); !r.IsZero() {
				a.hours += r.Time().Sub(c.GetDateTime("created").Time()).Hours()
				a.decided++
			}
		}
		rows := query(t, conn, `SELECT status, coalesce(reviewer, '') AS reviewer, claims, points_approved, avg_hours_to_decision FROM questbase.report_claim_outcomes`)
		if len(rows) != len(want) {
			t.Errorf("%d outcome rows, want %d", len(rows), len(want))
		}
		for _, r := range rows {
			k := key{r["status"].(string), r["reviewer"].(string)}
			a := want[k]
			if a == nil {
				t.Errorf("unexpected outcome %v", k)
				continue
			}
			var hours any
			if a.decided > 0 {
				hours = a.hours / float64(a.decided)
			}
			assertRow(t, fmt.Sprint(k), r, map[string]any{"claims": float64(a.n), "points_approved": float64(a.points), "avg_hours_to_decision": hours})
		}
	})

	t.Run("level distribution", func(t *testing.T) {
		users := all(t, app, "users")
		rows := query(t, conn, `SELECT * FROM questbase.report_level_distribution`)
		levels := all(t, app, "levels")
		if len(rows) != len(levels) {
			t.Fatalf("%d level rows for %d levels", len(rows), len(levels))
		}
		for _, r := range rows {
			n := 0
			for _, u := range users {
				if float64(u.GetInt("level")) == r["level"] {
					n++
				}
			}
			assertRow(t, fmt.Sprint("level ", r["level"]), r, map[string]any{"users": float64(n), "share": ratio(n, len(users))})
		}
	})
}
