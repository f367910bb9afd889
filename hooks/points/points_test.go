package points_test

import (
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/points"
	"questbase/hooks/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

var ctx = context.Background()

func balance(t testing.TB, app core.App, user string) (pts, level int) {
	t.Helper()
	u, err := app.FindRecordById("users", user)
	if err != nil {
		t.Fatal(err)
	}
	return u.GetInt("points"), u.GetInt("level")
}

func ledgerSum(t testing.TB, app core.App, user string) int {
	t.Helper()
	var sum int
	if err := app.DB().NewQuery("SELECT COALESCE(SUM(amount),0) FROM points WHERE user={:u}").Bind(dbx.Params{"u": user}).Row(&sum); err != nil {
		t.Fatal(err)
	}
	return sum
}

type outboxRow struct {
	User, Kind, Key string
	Payload         map[string]any
}

// outbox returns the user's outbox rows in insertion order.
func outbox(t testing.TB, app core.App, user string) []outboxRow {
	t.Helper()
	var rows []struct {
		User    string `db:"user"`
		Kind    string `db:"kind"`
		Key     string `db:"dedupe_key"`
		Payload string `db:"payload"`
	}
	err := app.DB().NewQuery("SELECT user, kind, dedupe_key, payload FROM outbox WHERE user={:u} AND kind != 'test' ORDER BY rowid").
		Bind(dbx.Params{"u": user}).All(&rows)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]outboxRow, len(rows))
	for i, r := range rows {
		out[i] = outboxRow{User: r.User, Kind: r.Kind, Key: r.Key}
		json.Unmarshal([]byte(r.Payload), &out[i].Payload)
	}
	return out
}

func TestAwardIsIdempotent(t *testing.T) {
	app, w := testapp.New(t)
	before, _ := balance(t, app, w.Student2)
	e := points.Entry{User: w.Student2, Amount: 15, Reason: points.ReasonQuiz, Ref: "quiz1"}
	for i, want := range []bool{true, false, false} {
		got, err := points.Award(ctx, app, e)
		if err != nil || got != want {
			t.Fatalf("award #%d: created=%v err=%v, want created=%v", i+1, got, err, want)
		}
	}
	if pts, _ := balance(t, app, w.Student2); pts != before+15 {
		t.Fatalf("balance %d, want %d", pts, before+15)
	}
	if n := len(outbox(t, app, w.Student2)); n != 1 {
		t.Fatalf("want one notification for one award, got %d", n)
	}
	if created, err := points.Award(ctx, app, points.Entry{User: w.Student2, Amount: 0, Reason: points.ReasonQuiz, Ref: "quiz2"}); created || err != nil {
		t.Fatalf("a zero award is no award: %v %v", created, err)
	}
}

// 50 concurrent identical awards store one ledger row and move the balance once.
func TestConcurrentIdenticalAwards(t *testing.T) {
	app, w := testapp.New(t)
	before, _ := balance(t, app, w.Student2)
	var wg sync.WaitGroup
	var mu sync.Mutex
	created := 0
	for range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ok, err := points.Award(ctx, app, points.Entry{User: w.Student2, Amount: 7, Reason: points.ReasonCheckin, Ref: "same-checkin"})
			if err != nil {
				t.Error(err)
			}
			if ok {
				mu.Lock()
				created++
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	var rows int
	app.DB().NewQuery("SELECT count(*) FROM points WHERE ref='same-checkin'").Row(&rows)
	if rows != 1 || created != 1 {
		t.Fatalf("rows=%d created=%d, want 1 and 1", rows, created)
	}
	if pts, _ := balance(t, app, w.Student2); pts != before+7 {
		t.Fatalf("balance %d, want %d", pts, before+7)
	}
}

// 1,000 concurrent random awards across 100 users leave every balance equal
// to the sum of its ledger rows and every level matching it.
func TestConcurrentRandomAwardsKeepBalances(t *testing.T) {
	app, _ := testapp.New(t)
	users := make([]string, 100)
	col, _ := app.FindCollectionByNameOrId("users")
	for i := range users {
		u := core.NewRecord(col)
		u.Set("first_name", fmt.Sprint("u", i))
		u.SetRaw(core.FieldNamePassword, &core.PasswordFieldValue{Hash: "x"}) // unusable; hashing 100 passwords would dominate the test
		if err := app.Save(u); err != nil {
			t.Fatal(err)
		}
		users[i] = u.Id
	}
	var wg sync.WaitGroup
	sem := make(chan struct{}, 32)
	for i := range 1000 {
		wg.Add(1)
		sem <- struct{}{}
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			r := rand.New(rand.NewPCG(uint64(i), 1))
			amount := r.IntN(200) - 40 // some corrections below zero
			if amount == 0 {
				amount = 1
			}
			e := points.Entry{User: users[r.IntN(len(users))], Amount: amount, Reason: points.ReasonQuiz, Ref: fmt.Sprint("r", r.IntN(700))}
			if amount < 0 {
				e.Reason, e.Note = points.ReasonCorrection, "test correction"
			}
			if _, err := points.Award(ctx, app, e); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	for _, u := range users {
		pts, _ := balance(t, app, u)
		if sum := ledgerSum(t, app, u); pts != sum {
			t.Errorf("%s: balance %d, ledger %d", u, pts, sum)
		}
	}
	rep, err := points.Verify(ctx, app, false)
	if err != nil || len(rep.Users) != 0 || rep.StaleBuckets != 0 {
		t.Fatalf("verify after the storm: %v %+v", err, rep)
	}
}

// Crossing a threshold moves the level and tells the student; a negative
// correction moves it back down and tells them too.
func TestLevelsFollowPointsAndNotify(t *testing.T) {
	app, w := testapp.New(t)
	pts, lvl := balance(t, app, w.Student2)
	if pts != 0 || lvl != 1 {
		t.Fatalf("fresh student: %d points, level %d", pts, lvl)
	}
	if _, err := points.Award(ctx, app, points.Entry{User: w.Student2, Amount: 130, Reason: points.ReasonClaim, Ref: "c1"}); err != nil {
		t.Fatal(err)
	}
	if pts, lvl = balance(t, app, w.Student2); pts != 130 || lvl != 2 {
		t.Fatalf("after 130 points: %d points, level %d; want level 2 (120)", pts, lvl)
	}
	if _, err := points.Award(ctx, app, points.Entry{User: w.Student2, Amount: -20, Reason: points.ReasonCorrection, Ref: "fix1", Note: "double counted"}); err != nil {
		t.Fatal(err)
	}
	if pts, lvl = balance(t, app, w.Student2); pts != 110 || lvl != 1 {
		t.Fatalf("after the correction: %d points, level %d", pts, lvl)
	}
	got := outbox(t, app, w.Student2)
	want := []struct{ kind string }{{"points"}, {"level_up"}, {"points"}, {"level_down"}}
	if len(got) != len(want) {
		t.Fatalf("outbox: %+v", got)
	}
	for i := range want {
		if got[i].Kind != want[i].kind {
			t.Fatalf("row %d: %+v, want kind %s", i, got[i], want[i].kind)
		}
	}
	if p := got[0].Payload; p["amount"] != 130.0 || p["balance"] != 130.0 || p["reason"] != "claim" {
		t.Errorf("points payload: %+v", p)
	}
	if p := got[1].Payload; p["from"] != 1.0 || p["to"] != 2.0 || p["title"] != "Участник" {
		t.Errorf("level-up payload: %+v", p)
	}
	if p := got[3].Payload; p["from"] != 2.0 || p["to"] != 1.0 {
		t.Errorf("level-down payload: %+v", p)
	}
}

// Changing the level table re-levels everyone in the same transaction.
func TestLevelTableChangeRelevelsEveryone(t *testing.T) {
	app, w := testapp.New(t)
	points.Award(ctx, app, points.Entry{User: w.Student2, Amount: 100, Reason: points.ReasonClaim, Ref: "c1"})
	if _, lvl := balance(t, app, w.Student2); lvl != 1 {
		t.Fatalf("100 points is level 1, got %d", lvl)
	}
	l2, err := app.FindFirstRecordByData("levels", "number", 2)
	if err != nil {
		t.Fatal(err)
	}
	l2.Set("min_points", 90)
	if err := app.Save(l2); err != nil {
		t.Fatal(err)
	}
	if _, lvl := balance(t, app, w.Student2); lvl != 2 {
		t.Fatalf("after lowering level 2 to 90 points: level %d", lvl)
	}
	rows := outbox(t, app, w.Student2)
	if last := rows[len(rows)-1]; last.Kind != "level_up" || last.Payload["to"] != 2.0 {
		t.Fatalf("no level-up notification: %+v", rows)
	}
	if rep, _ := points.Verify(ctx, app, false); len(rep.Users) != 0 {
		t.Fatalf("levels disagree with the table: %+v", rep)
	}
}

// Verify finds balances that drifted from the ledger and --fix repairs them.
func TestVerifyReportsAndFixes(t *testing.T) {
	app, w := testapp.New(t)
	if rep, err := points.Verify(ctx, app, false); err != nil || len(rep.Users) != 0 || rep.StaleBuckets != 0 {
		t.Fatalf("a consistent world: %v %+v", err, rep)
	}
	sum := ledgerSum(t, app, w.Student)
	app.DB().NewQuery("UPDATE users SET points = 999, level = 7 WHERE id = {:u}").Bind(dbx.Params{"u": w.Student}).Execute()
	rep, err := points.Verify(ctx, app, false)
	diffs := rep.Users
	if err != nil || len(diffs) != 1 || diffs[0].User != w.Student || diffs[0].Points != 999 || diffs[0].LedgerPoints != sum || diffs[0].LedgerLevel != 1 {
		t.Fatalf("want one difference for the student: %v %+v", err, diffs)
	}
	if pts, _ := balance(t, app, w.Student); pts != 999 {
		t.Fatal("verify without fix changed the balance")
	}
	if _, err := points.Verify(ctx, app, true); err != nil {
		t.Fatal(err)
	}
	if pts, lvl := balance(t, app, w.Student); pts != sum || lvl != 1 {
		t.Fatalf("after fix: %d points, level %d", pts, lvl)
	}
	if rep, _ := points.Verify(ctx, app, false); len(rep.Users) != 0 {
		t.Fatalf("still differs after fix: %+v", rep)
	}
}

// Leaderboard sums that drifted from the ledger are reported and rebuilt.
func TestVerifyRebuildsLeaderboardSums(t *testing.T) {
	app, w := testapp.New(t)
	if _, err := points.Award(ctx, app, points.Entry{User: w.Student2, Amount: 40, Reason: points.ReasonQuiz, Ref: "q", Tags: []string{w.TagML}}); err != nil {
		t.Fatal(err)
	}
	var n int
	app.DB().NewQuery("SELECT count(*) FROM leaderboard_buckets WHERE user = {:u} AND amount = 40").Bind(dbx.Params{"u": w.Student2}).Row(&n)
	if n != 5 { // month, semester; tagged ML: month, semester, all time
		t.Fatalf("the award filled %d buckets, want 5", n)
	}
	app.DB().NewQuery("UPDATE leaderboard_buckets SET amount = 1 WHERE user = {:u}").Bind(dbx.Params{"u": w.Student2}).Execute()
	rep, err := points.Verify(ctx, app, false)
	if err != nil || rep.StaleBuckets != 5 || len(rep.Users) != 0 {
		t.Fatalf("want 5 stale sums: %v %+v", err, rep)
	}
	if _, err := points.Verify(ctx, app, true); err != nil {
		t.Fatal(err)
	}
	if rep, _ := points.Verify(ctx, app, false); rep.StaleBuckets != 0 {
		t.Fatalf("still stale after fix: %+v", rep)
	}
	u, _ := app.FindRecordById("users", w.Student2)
	if err := app.Delete(u); err != nil {
		t.Fatal(err)
	}
	app.DB().NewQuery("SELECT count(*) FROM leaderboard_buckets WHERE user = {:u}").Bind(dbx.Params{"u": w.Student2}).Row(&n)
	if n != 0 {
		t.Fatalf("a deleted user left %d sums", n)
	}
}

// A save from a stale copy of a user cannot undo an award made meanwhile.
func TestStaleUserSaveKeepsBalance(t *testing.T) {
	app, w := testapp.New(t)
	stale, _ := app.FindRecordById("users", w.Student2)
	points.Award(ctx, app, points.Entry{User: w.Student2, Amount: 40, Reason: points.ReasonQuiz, Ref: "q"})
	stale.Set("study_group", "ИТ-99")
	if err := app.Save(stale); err != nil {
		t.Fatal(err)
	}
	if pts, _ := balance(t, app, w.Student2); pts != 40 {
		t.Fatalf("stale save overwrote the balance: %d", pts)
	}
}
