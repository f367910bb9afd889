package bot_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"questbase/bot"
	"questbase/bot/telegramtest"
	"questbase/hooks/notify"
)

func text(s string) map[string]any { return map[string]any{"text": s} }

// Each answer of Telegram leads to its status: 403 blocks the user (their
// later rows are skipped without a call), 400 fails for good, 5xx retries
// with backoff and gives up after MaxAttempts, and a user who writes to
// the bot again is written to again.
func TestSenderOutcomes(t *testing.T) {
	e := setup(t)
	e.bot.Sender.MaxAttempts = 3
	blocked, gone, flaky, dead := e.user(8001, "ru"), e.user(8002, "ru"), e.user(8003, "ru"), e.user(8004, "ru")
	e.fake.Block(8001, false)
	e.fake.Forget(8002)
	var mu sync.Mutex
	fails := map[int64]int{8003: 1, 8004: 99}
	e.fake.Inject(func(c telegramtest.Call) *telegramtest.Fault {
		mu.Lock()
		defer mu.Unlock()
		if fails[c.ChatID] > 0 {
			fails[c.ChatID]--
			if c.ChatID == 8003 {
				return &telegramtest.InternalError
			}
			return &telegramtest.BadGateway
		}
		return nil
	})
	e.enqueue(blocked.Id, "x", "b1", text("one"))
	e.enqueue(blocked.Id, "x", "b2", text("two"))
	e.enqueue(gone.Id, "x", "g1", text("hello"))
	e.enqueue(flaky.Id, "x", "f1", text("retry me"))
	e.enqueue(dead.Id, "x", "d1", text("never"))
	e.drain()

	if r := e.row("b1"); r.GetString("status") != bot.StatusBlocked || r.GetString("last_error") != "Forbidden: bot was blocked by the user" {
		t.Errorf("403: %s %q", r.GetString("status"), r.GetString("last_error"))
	}
	if r := e.row("b2"); r.GetString("status") != bot.StatusBlocked || r.GetInt("attempts") != 0 {
		t.Errorf("blocked user's next row must be skipped without a call: %s attempts %d", r.GetString("status"), r.GetInt("attempts"))
	}
	if n := len(e.fake.Calls("sendMessage")); n == 0 {
		t.Fatal("no calls")
	}
	var toBlocked int
	for _, c := range e.fake.Calls("sendMessage") {
		if c.ChatID == 8001 {
			toBlocked++
		}
	}
	if toBlocked != 1 {
		t.Errorf("calls to the blocked chat: %d, want 1", toBlocked)
	}
	if u, _ := e.app.FindRecordById("users", blocked.Id); !u.GetBool("telegram_blocked") {
		t.Error("user not marked telegram_blocked")
	}
	if r := e.row("g1"); r.GetString("status") != bot.StatusFailed || r.GetString("last_error") != "Bad Request: chat not found" {
		t.Errorf("400: %s %q", r.GetString("status"), r.GetString("last_error"))
	}
	f1 := e.row("f1")
	if f1.GetString("status") != bot.StatusPending || f1.GetInt("attempts") != 1 || !strings.Contains(f1.GetString("last_error"), "500") ||
		!f1.GetDateTime("send_after").Time().After(time.Now()) {
		t.Errorf("5xx must retry later: %s attempts %d %q after %s", f1.GetString("status"), f1.GetInt("attempts"), f1.GetString("last_error"), f1.GetDateTime("send_after"))
	}

	// after the backoff: the flaky one goes through, the dead one gives up
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) && (e.row("f1").GetString("status") == bot.StatusPending || e.row("d1").GetString("status") == bot.StatusPending) {
		time.Sleep(100 * time.Millisecond)
		e.drain()
	}
	if r := e.row("f1"); r.GetString("status") != bot.StatusSent || r.GetInt("attempts") != 2 || r.GetInt("telegram_message_id") == 0 {
		t.Errorf("retried row: %s attempts %d msg %d", r.GetString("status"), r.GetInt("attempts"), r.GetInt("telegram_message_id"))
	}
	if r := e.row("d1"); r.GetString("status") != bot.StatusFailed || r.GetInt("attempts") != 3 || !strings.Contains(r.GetString("last_error"), "gave up after 3 attempts") {
		t.Errorf("dead row: %s attempts %d %q", r.GetString("status"), r.GetInt("attempts"), r.GetString("last_error"))
	}

	// the blocked student unblocks the bot and writes /start
	e.fake.Unblock(8001)
	if err := e.bot.Handle(context.Background(), pushAndFetch(t, e, func() int64 {
		return e.fake.Text(telegramtest.User{ID: 8001, FirstName: "B"}, "/start")
	})); err != nil {
		t.Fatal(err)
	}
	if u, _ := e.app.FindRecordById("users", blocked.Id); u.GetBool("telegram_blocked") {
		t.Fatal("/start must clear telegram_blocked")
	}
	e.enqueue(blocked.Id, "x", "b3", text("welcome back"))
	e.drain()
	if r := e.row("b3"); r.GetString("status") != bot.StatusSent {
		t.Errorf("after unblocking: %s %q", r.GetString("status"), r.GetString("last_error"))
	}
}

// pushAndFetch pushes an update and reads it back through getUpdates, as
// the poller would.
func pushAndFetch(t *testing.T, e *env, push func() int64) bot.Update {
	t.Helper()
	id := push()
	tg, err := bot.Dial(context.Background(), e.fake.Token, e.fake.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	ups, err := tg.Updates(context.Background(), id, 0)
	if err != nil || len(ups) == 0 || ups[0].ID != id {
		t.Fatalf("getUpdates: %v %+v", err, ups)
	}
	return ups[0]
}

// A 429 pauses all sending for retry_after: the row goes back to pending
// without counting an attempt, and no call is made during the pause.
func TestSender429PausesEverything(t *testing.T) {
	e := setup(t)
	u := e.user(8101, "ru")
	for _, k := range []string{"p1", "p2", "p3"} {
		e.enqueue(u.Id, "x", k, text(k))
	}
	e.fake.FailNext("sendMessage", telegramtest.TooManyRequests(1))
	start := time.Now()
	e.drain()
	took := time.Since(start)

	calls := e.fake.Calls("sendMessage")
	if len(calls) != 4 || calls[0].Status != 429 {
		for _, c := range calls {
			t.Logf("%s %d %d %v %s", c.At.Format("05.000"), c.ChatID, c.Status, c.InPause, c.Text())
		}
		t.Fatalf("calls: %d, first %d", len(calls), calls[0].Status)
	}
	if gap := calls[1].At.Sub(calls[0].At); gap < time.Second {
		t.Errorf("next call %s after the 429, want ≥ 1s", gap)
	}
	for _, c := range calls {
		if c.InPause {
			t.Errorf("call during the pause at %s", c.At)
		}
	}
	for _, k := range []string{"p1", "p2", "p3"} {
		if r := e.row(k); r.GetString("status") != bot.StatusSent || r.GetInt("attempts") != 1 {
			t.Errorf("%s: %s attempts %d", k, r.GetString("status"), r.GetInt("attempts"))
		}
	}
	// order kept: p1 was throttled and went first after the pause
	var order []string
	for _, c := range e.fake.Messages(8101) {
		order = append(order, c.Text())
	}
	if strings.Join(order, ",") != "p1,p2,p3" {
		t.Errorf("order %v", order)
	}
	if took > 5*time.Second {
		t.Errorf("took %s", took)
	}
}

// Rows enqueued while the sender runs go out promptly (the commit wakes
// it), and a row delayed with send_after waits.
func TestSenderWakesOnCommit(t *testing.T) {
	e := setup(t)
	e.bot.Sender.Poll = time.Minute // only a wake-up can explain a prompt delivery
	u := e.user(8201, "en")
	e.start()
	e.fake.WaitFor(t, 5*time.Second, "set-up", func(calls []telegramtest.Call) bool {
		for _, c := range calls {
			if c.Method == "getUpdates" {
				return true
			}
		}
		return false
	})
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	if err := e.app.RunInTransaction(func(tx core.App) error {
		_, err := notify.Enqueue(tx, notify.Message{User: u.Id, Kind: "x", Key: "w1", Payload: text("now")})
		return err
	}); err != nil {
		t.Fatal(err)
	}
	e.fake.WaitFor(t, 5*time.Second, "the message", func([]telegramtest.Call) bool { return len(e.fake.Messages(8201)) == 1 })
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("delivered after %s", took)
	}
}
