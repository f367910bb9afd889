package checkin_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
	"questbase/hooks/tickets"
)

const (
	benchPeople   = 5000
	benchScanners = 16
)

// BenchmarkCheckinHTTP checks in the 5,000 registered people of a meetup
// over HTTP with 16 scanners at once (each scan: ticket verification,
// permission, seat check, check-in row, ledger row, balance, audit and
// outbox rows, the card), next to bare PocketBase creates of the same
// check-in rows by a superuser on an app without questbase's hooks,
// measured the same way in the same run. Target: ratio ≥ 0.5, p99 < 100 ms.
func BenchmarkCheckinHTTP(b *testing.B) {
	hooked, w := testapp.New(b)
	bare, _ := testapp.NewWith(b, testapp.Options{NoHooks: true})
	sign := signer(hooked)
	var scanTokens []string
	for i := range benchScanners {
		scanTokens = append(scanTokens, token(b, scannerLike(b, hooked, w.Staff[access.CheckinScan], fmt.Sprint("Scanner", i))))
	}
	su, _ := bare.FindRecordById(core.CollectionNameSuperusers, w.Superuser)
	suToken, _ := su.NewAuthToken()
	hookedSrv := httptest.NewServer(testapp.Handler(b, hooked))
	defer hookedSrv.Close()
	bareSrv := httptest.NewServer(testapp.Handler(b, bare))
	defer bareSrv.Close()

	var scan, create latencies
	for i := range b.N {
		b.StopTimer()
		meetup, regs := seedMeetup(b, hooked, w, fmt.Sprint("h", i))
		bareMeetup, bareUsers := seedMeetup(b, bare, w, fmt.Sprint("b", i))
		codes := make([]string, len(regs))
		for j, r := range regs {
			codes[j], _ = sign.Sign(tickets.Registration, r.reg)
		}
		b.StartTimer()
		scan.add(run(b, hookedSrv.URL+"/api/checkin", len(codes), func(j, worker int) (string, any) {
			return scanTokens[worker], map[string]any{"code": codes[j], "meetup": meetup}
		}))
		b.StopTimer()
		create.add(run(b, bareSrv.URL+"/api/collections/checkins/records", len(bareUsers), func(j, _ int) (string, any) {
			return suToken, map[string]any{"meetup": bareMeetup, "user": bareUsers[j].user}
		}))
		var n int
		hooked.DB().NewQuery("SELECT count(*) FROM points WHERE ref = {:m}").Bind(dbx.Params{"m": meetup}).Row(&n)
		if n != benchPeople {
			b.Fatalf("%d ledger rows, want %d", n, benchPeople)
		}
		b.StartTimer()
	}
	b.ReportMetric(scan.rate(), "scans/s")
	b.ReportMetric(scan.pct(50), "scan-p50-ms")
	b.ReportMetric(scan.pct(99), "scan-p99-ms")
	b.ReportMetric(create.rate(), "bare-creates/s")
	b.ReportMetric(create.pct(50), "bare-p50-ms")
	b.ReportMetric(create.pct(99), "bare-p99-ms")
	b.ReportMetric(scan.rate()/create.rate(), "ratio")
}

type seeded struct{ user, reg string }

// seedMeetup inserts a published meetup with benchPeople registered people
// directly (seeding through the hooks would dominate the run).
func seedMeetup(b *testing.B, app core.App, w *testapp.World, tag string) (string, []seeded) {
	b.Helper()
	now := types.NowDateTime().String()
	meetup := core.GenerateDefaultRandomId()
	people := make([]seeded, benchPeople)
	err := app.RunInTransaction(func(tx core.App) error {
		if _, err := tx.DB().Insert("meetups", dbx.Params{
			"id": meetup, "title": "Bench " + tag, "starts_at": now, "status": "published", "points": 10,
			"tags": `["` + w.TagML + `"]`, "created": now, "updated": now,
		}).Execute(); err != nil {
			return err
		}
		for i := range people {
			p := seeded{user: core.GenerateDefaultRandomId(), reg: core.GenerateDefaultRandomId()}
			people[i] = p
			if _, err := tx.DB().Insert("users", dbx.Params{
				"id": p.user, "first_name": "Bench", "last_name": fmt.Sprint(tag, i), "password": "x",
				"tokenKey": core.GenerateDefaultRandomId() + p.user, "level": 1, "verification_status": "none",
				"created": now, "updated": now,
			}).Execute(); err != nil {
				return err
			}
			if _, err := tx.DB().Insert("registrations", dbx.Params{
				"id": p.reg, "meetup": meetup, "user": p.user, "status": "registered", "source": "bot",
				"seq": i + 1, "created": now, "updated": now,
			}).Execute(); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	return meetup, people
}

// run sends n requests with benchScanners workers and returns their
// latencies and the wall time.
func run(b *testing.B, url string, n int, request func(j, worker int) (token string, body any)) latencies {
	b.Helper()
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: benchScanners}}
	var next atomic.Int64
	per := make([][]time.Duration, benchScanners)
	var failed atomic.Value
	start := time.Now()
	var wg sync.WaitGroup
	for worker := range benchScanners {
		wg.Go(func() {
			for {
				j := int(next.Add(1)) - 1
				if j >= n {
					return
				}
				tok, body := request(j, worker)
				raw, _ := json.Marshal(body)
				req, _ := http.NewRequest(http.MethodPost, url, bytes.NewReader(raw))
				req.Header.Set("Content-Type", "application/json")
				req.Header.Set("Authorization", tok)
				t0 := time.Now()
				res, err := client.Do(req)
				if err != nil {
					failed.Store(err.Error())
					return
				}
				var out bytes.Buffer
				out.ReadFrom(res.Body)
				res.Body.Close()
				per[worker] = append(per[worker], time.Since(t0))
				if res.StatusCode != http.StatusOK {
					failed.Store(fmt.Sprintf("%s: %d %s", url, res.StatusCode, out.String()))
					return
				}
			}
		})
	}
	wg.Wait()
	if msg := failed.Load(); msg != nil {
		b.Fatal(msg)
	}
	var l latencies
	for _, p := range per {
		l.all = append(l.all, p...)
	}
	l.wall = time.Since(start)
	return l
}

type latencies struct {
	all  []time.Duration
	wall time.Duration
}

func (l *latencies) add(o latencies) {
	l.all = append(l.all, o.all...)
	l.wall += o.wall
}

func (l *latencies) rate() float64 { return float64(len(l.all)) / l.wall.Seconds() }

func (l *latencies) pct(p int) float64 {
	s := slices.Clone(l.all)
	slices.Sort(s)
	if len(s) == 0 {
		return 0
	}
	return float64(s[(len(s)-1)*p/100].Microseconds()) / 1000
}
