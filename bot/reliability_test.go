package bot_test

import (
	"context"
	"fmt"
	"math/rand/v2"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"questbase/bot"
	"questbase/bot/telegramtest"
	"questbase/hooks/notify"
)

// students creates n students with Telegram ids base+1 … base+n in one
// transaction and returns their ids by Telegram id.
func (e *env) students(n int, base int64) map[int64]string {
	e.tb.Helper()
	ids := map[int64]string{}
	err := e.app.RunInTransaction(func(tx core.App) error {
		for i := 1; i <= n; i++ {
			tg := base + int64(i)
			ids[tg] = e.userIn(tx, tg)
		}
		return nil
	})
	if err != nil {
		e.tb.Fatal(err)
	}
	return ids
}

func (e *env) userIn(tx core.App, tg int64) string {
	col, err := tx.FindCachedCollectionByNameOrId("users")
	if err != nil {
		e.tb.Fatal(err)
	}
	u := core.NewRecord(col)
	u.Set("first_name", fmt.Sprintf("S%d", tg))
	u.Set("telegram_id", tg)
	u.SetRaw(core.FieldNamePassword, &core.PasswordFieldValue{Hash: "no-password"})
	u.RefreshTokenKey()
	if err := tx.Save(u); err != nil {
		e.tb.Fatal(err)
	}
	return u.Id
}

// 2,000 notifications against random 429s (with retry_after) and 5% of
// students who blocked the bot: every reachable student gets exactly one
// message, blocked ones none, and no call is made during a 429 pause.
func TestDelivery2000With429sAndBlocked(t *testing.T) {
	e := setup(t)
	const n = 2000
	ids := e.students(n, 100_000)
	blocked := map[int64]bool{}
	for tg := range ids {
		if tg%20 == 0 {
			blocked[tg] = true
			e.fake.Block(tg, tg%40 == 0) // half "blocked", half "deactivated"
		}
	}
	if len(blocked) != n/20 {
		t.Fatalf("%d blocked", len(blocked))
	}
	err := e.app.RunInTransaction(func(tx core.App) error {
		for tg, id := range ids {
			if _, err := notify.Enqueue(tx, notify.Message{User: id, Kind: "broadcast", Key: fmt.Sprint("bc:", tg), Payload: text(fmt.Sprint("hello ", tg))}); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}

	rnd := rand.New(rand.NewPCG(1, 2))
	var mu sync.Mutex
	injected := 0
	e.fake.Inject(func(c telegramtest.Call) *telegramtest.Fault {
		mu.Lock()
		defer mu.Unlock()
		if rnd.Float64() < 0.003 {
			injected++
			f := telegramtest.TooManyRequests(1)
			return &f
		}
		return nil
	})

	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	start := time.Now()
	for {
		left := e.statuses()[bot.StatusPending]
		if left == 0 {
			break
		}
		if ctx.Err() != nil {
			t.Fatalf("still %d pending", left)
		}
		if _, err := e.bot.Sender.DeliverDue(ctx); err != nil {
			t.Fatal(err)
		}
	}
	took := time.Since(start)

	got := map[int64]int{}
	calls := map[int64]int{}
	for _, c := range e.fake.Calls("sendMessage") {
		if c.InPause {
			t.Errorf("call to %d at %s during a 429 pause", c.ChatID, c.At.Format("15:04:05.000"))
		}
		calls[c.ChatID]++
		if c.Status == 200 {
			got[c.ChatID]++
			if c.Text() != fmt.Sprint("hello ", c.ChatID) {
				t.Errorf("%d got %q", c.ChatID, c.Text())
			}
		}
	}
	for tg := range ids {
		switch {
		case blocked[tg] && got[tg] != 0:
			t.Errorf("blocked %d got %d messages", tg, got[tg])
		case blocked[tg] && calls[tg] > 1+countInjectedFor(e, tg):
			t.Errorf("blocked %d was called %d times", tg, calls[tg])
		case !blocked[tg] && got[tg] != 1:
			t.Errorf("%d got %d messages, want exactly 1", tg, got[tg])
		}
	}
	st := e.statuses()
	if st[bot.StatusSent] != n-n/20 || st[bot.StatusBlocked] != n/20 || len(st) != 2 {
		t.Errorf("statuses %v", st)
	}
	var marked int
	if err := e.app.DB().NewQuery("SELECT COUNT(*) FROM users WHERE telegram_blocked").Row(&marked); err != nil {
		t.Fatal(err)
	}
	if marked != n/20 {
		t.Errorf("%d users marked blocked, want %d", marked, n/20)
	}
	if e.fake.Count429() != injected || injected == 0 {
		t.Errorf("429s answered %d, injected %d", e.fake.Count429(), injected)
	}
	t.Logf("%d rows in %s with %d injected 429s (retry_after 1s)", n, took.Round(time.Millisecond), injected)
}

// countInjectedFor is how many 429s the chat got (calls that did not count).
func countInjectedFor(e *env, chat int64) int {
	n := 0
	for _, c := range e.fake.Calls("sendMessage") {
		if c.ChatID == chat && c.Status == 429 {
			n++
		}
	}
	return n
}
