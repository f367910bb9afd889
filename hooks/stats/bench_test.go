package stats_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"syscall"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/testapp"
)

// BenchmarkMeetupStats answers GET /api/stats/meetups over 500 meetups with
// 100 registrations each (80 registered, 10 waitlisted, 10 cancelled; 60
// check-ins with their ledger rows; 20 ratings) and reports the median
// milliseconds per call, next to a bare PocketBase list of the same 500
// meetup records measured in the same run.
func BenchmarkMeetupStats(b *testing.B) {
	app, w := testapp.New(b)
	start := time.Now()
	seedBench(b, app, 500, 100)
	b.Logf("seeded in %s", time.Since(start).Round(time.Millisecond))
	h := testapp.Handler(b, app)
	tok := w.Token(w.Superuser)
	call := func(url string) time.Duration {
		req := httptest.NewRequest(http.MethodGet, url, nil)
		req.Header.Set("Authorization", tok)
		rec := httptest.NewRecorder()
		t0 := time.Now()
		h.ServeHTTP(rec, req)
		d := time.Since(t0)
		if rec.Code != http.StatusOK {
			b.Fatalf("GET %s: %d %s", url, rec.Code, rec.Body.Bytes())
		}
		return d
	}
	median := func(ds []time.Duration) float64 {
		slices.Sort(ds)
		return float64(ds[len(ds)/2].Microseconds()) / 1000
	}
	var base []time.Duration
	for range 21 {
		base = append(base, call("/api/collections/meetups/records?perPage=500&skipTotal=1"))
	}
	baseMs := median(base)

	for _, bc := range []struct{ name, url string }{
		{"all-500", "/api/stats/meetups"},
		{"one-tag", "/api/stats/meetups?tags=web"},
		{"one-month", "/api/stats/meetups?from=2030-03-01&to=2030-03-31"},
		{"funnel", "/api/stats/meetups/bench0000000250/funnel"},
	} {
		b.Run(bc.name, func(b *testing.B) {
			times := make([]time.Duration, 0, b.N)
			cpu0 := cpuTime()
			for range b.N {
				times = append(times, call(bc.url))
			}
			ms := median(times)
			b.ReportMetric(ms, "ms/call")
			// the machine is shared: CPU time per call is the steadier number
			b.ReportMetric(float64((cpuTime()-cpu0).Microseconds())/1000/float64(b.N), "cpu-ms/call")
			b.ReportMetric(baseMs, "list-ms/call")
			b.ReportMetric(ms/baseMs, "ratio-to-list")
		})
	}
}

// cpuTime is the CPU time this process has used (user and system).
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// seedBench inserts meetups and their rows directly (the hooks are not
// what this benchmark measures, and 110,000 hooked saves would take
// minutes).
func seedBench(b *testing.B, app core.App, meetups, perMeetup int) {
	b.Helper()
	tags := map[int]string{}
	for i, name := range []string{"ml", "web", "design"} {
		var id string
		if err := app.DB().NewQuery("SELECT id FROM tags WHERE name = {:n}").Bind(dbx.Params{"n": name}).Row(&id); err != nil {
			if _, err := app.DB().Insert("tags", dbx.Params{"id": "benchtag" + name, "name": name}).Execute(); err != nil {
				b.Fatal(err)
			}
			id = "benchtag" + name
		}
		tags[i] = id
	}
	now := "2026-11-28 12:00:00.000Z"
	err := app.RunInTransaction(func(tx core.App) error {
		ins := func(table string, p dbx.Params) error {
			p["created"], p["updated"] = now, now
			_, err := tx.DB().Insert(table, p).Execute()
			return err
		}
		users := make([]string, perMeetup)
		for i := range users {
			users[i] = fmt.Sprintf("benchuser%06d", i)
			if err := ins("users", dbx.Params{
				"id": users[i], "email": users[i] + "@bench.test", "tokenKey": users[i], "password": "x",
				"first_name": "Bench", "level": 1, "verification_status": "none",
			}); err != nil {
				return err
			}
		}
		for m := range meetups {
			id := fmt.Sprintf("bench%010d", m)
			at := time.Date(2030, time.Month(1+m%12), 1+m%28, 18, 0, 0, 0, time.UTC).Format("2006-01-02 15:04:05.000Z")
			if err := ins("meetups", dbx.Params{
				"id": id, "title": "Bench meetup " + id, "starts_at": at, "status": "finished", "points": 10,
				"tags": fmt.Sprintf(`[%q]`, tags[m%3]),
			}); err != nil {
				return err
			}
			for u := range perMeetup {
				reg := fmt.Sprintf("r%s%04d", id[5:], u)
				status := "registered"
				switch {
				case u >= perMeetup*9/10:
					status = "cancelled"
				case u >= perMeetup*8/10:
					status = "waitlisted"
				}
				if err := ins("registrations", dbx.Params{"id": reg, "meetup": id, "user": users[u], "status": status}); err != nil {
					return err
				}
				if u < perMeetup*6/10 {
					chk := fmt.Sprintf("c%s%04d", id[5:], u)
					if err := ins("checkins", dbx.Params{"id": chk, "meetup": id, "user": users[u], "registration": reg}); err != nil {
						return err
					}
					if err := ins("points", dbx.Params{"id": "p" + chk[1:], "user": users[u], "amount": 10, "reason": "checkin", "ref": id}); err != nil {
						return err
					}
				}
				if u < perMeetup*2/10 {
					if err := ins("feedback", dbx.Params{"id": fmt.Sprintf("f%s%04d", id[5:], u), "meetup": id, "user": users[u], "rating": 1 + u%5}); err != nil {
						return err
					}
				}
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
}
