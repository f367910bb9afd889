package bot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"questbase/bot"
	"questbase/hooks/config"
	"questbase/hooks/notify"
)

// The sender against a fake Telegram that allows R messages/s (answering
// 429 beyond), with QB_TELEGRAM_RATE = R: achieved messages/s as a share
// of R (target ≥ 0.95) and the 429s provoked (target 0).
func BenchmarkSenderAtRate(b *testing.B) {
	const R = 1000
	const rows = 3000
	e := setup(b, func(c *config.Config) { c.TelegramRate = R })
	e.fake.SetRateLimit(R)
	ids := e.students(rows, 200_000)
	var sent, elapsed float64
	round := 0
	for b.Loop() {
		b.StopTimer()
		round++
		err := e.app.RunInTransaction(func(tx core.App) error {
			for tg, id := range ids {
				if _, err := notify.Enqueue(tx, notify.Message{User: id, Kind: "broadcast", Key: fmt.Sprint("bench:", round, ":", tg), Payload: text("hello")}); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		start := time.Now()
		for {
			n, err := e.bot.Sender.DeliverDue(context.Background())
			if err != nil {
				b.Fatal(err)
			}
			if n == 0 {
				break
			}
		}
		elapsed += time.Since(start).Seconds()
		sent += rows
	}
	if st := e.statuses(); st[bot.StatusSent] != rows*round {
		b.Fatalf("statuses %v", st)
	}
	b.ReportMetric(sent/elapsed, "msgs/s")
	b.ReportMetric(sent/elapsed/R, "ratio_of_R")
	b.ReportMetric(float64(e.fake.Count429()), "429s")
}
