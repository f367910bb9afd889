package bot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"questbase/bot"
	"questbase/bot/telegramtest"
	"questbase/hooks/config"
	"questbase/hooks/notify"
	"questbase/hooks/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// env is a test app with a bot talking to a fake Bot API over HTTP.
type env struct {
	tb   testing.TB
	app  *tests.TestApp
	w    *testapp.World
	fake *telegramtest.Server
	bot  *bot.Bot
	cfg  config.Config
}

func setup(tb testing.TB, opts ...func(*config.Config)) *env {
	tb.Helper()
	fake := telegramtest.New(tb)
	app, w := testapp.New(tb)
	// the fixture world's notifications are not these tests' business
	if _, err := app.DB().NewQuery("DELETE FROM outbox").Execute(); err != nil {
		tb.Fatal(err)
	}
	cfg := testapp.TestConfig()
	cfg.TelegramToken = fake.Token
	cfg.TelegramAPIURL = fake.URL
	cfg.TelegramRate = 1000
	cfg.PublicURL = "https://club.test"
	for _, o := range opts {
		o(&cfg)
	}
	tg, err := bot.Dial(context.Background(), fake.Token, fake.URL, nil)
	if err != nil {
		tb.Fatal(err)
	}
	b := bot.New(app, cfg, tg)
	b.Sender.Backoff = 200 * time.Millisecond
	return &env{tb: tb, app: app, w: w, fake: fake, bot: b, cfg: cfg}
}

// user creates a student with a Telegram id (0: none) and language.
func (e *env) user(tgID int64, lang string) *core.Record {
	e.tb.Helper()
	return testapp.Save(e.tb, e.app, "users", map[string]any{
		"first_name": fmt.Sprintf("Student%d", tgID), "last_name": "Test", "study_group": "IT-1",
		"telegram_id": tgID, "language": lang,
	})
}

// enqueue adds an outbox row.
func (e *env) enqueue(user, kind, key string, payload map[string]any) {
	e.tb.Helper()
	if _, err := notify.Enqueue(e.app, notify.Message{User: user, Kind: kind, Key: key, Payload: payload}); err != nil {
		e.tb.Fatal(err)
	}
}

// row reads an outbox row by its dedupe key.
func (e *env) row(key string) *core.Record {
	e.tb.Helper()
	r, err := e.app.FindFirstRecordByData("outbox", "dedupe_key", key)
	if err != nil {
		e.tb.Fatalf("outbox %s: %v", key, err)
	}
	return r
}

// drain delivers until no row is due.
func (e *env) drain() {
	e.tb.Helper()
	ctx := context.Background()
	for range 1000 {
		n, err := e.bot.Sender.DeliverDue(ctx)
		if err != nil {
			e.tb.Fatal(err)
		}
		if n == 0 {
			return
		}
	}
	e.tb.Fatal("outbox never drained")
}

// start runs the bot (sender and long poll) until the test ends.
func (e *env) start() {
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		e.bot.Run(ctx)
	}()
	e.tb.Cleanup(func() {
		cancel()
		select {
		case <-done:
		case <-time.After(30 * time.Second):
			e.tb.Error("bot did not stop")
		}
	})
}

// statuses counts outbox rows by status.
func (e *env) statuses() map[string]int {
	e.tb.Helper()
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	if err := e.app.DB().NewQuery("SELECT status, COUNT(*) AS n FROM outbox GROUP BY status").All(&rows); err != nil {
		e.tb.Fatal(err)
	}
	out := map[string]int{}
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out
}

// userByTelegram finds a student by Telegram id (nil if none).
func (e *env) userByTelegram(id int64) *core.Record {
	u, err := e.app.FindFirstRecordByFilter("users", "telegram_id = {:id}", dbx.Params{"id": id})
	if err != nil {
		return nil
	}
	return u
}
