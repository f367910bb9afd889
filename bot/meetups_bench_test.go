package bot_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/bot/telegramtest"
	"questbase/hooks/config"
)

// 2,000 new students, each sending /start, the three onboarding answers
// and a press of "register" (five updates), handled by the bot's own long
// poll against the fake Bot API over HTTP: updates/s, and the ratio to a
// baseline measured in the same run, the same records saved directly
// (a student created, three profile saves, a registration: five saves
// through the same hooks, each in its own transaction).
//
// The outgoing pace is lifted (QB_TELEGRAM_RATE = 100000): this measures
// the bot, not Telegram's limit of about 30 messages/s.
func BenchmarkStartOnboardRegister(b *testing.B) {
	const students = 2000
	e := setup(b, func(c *config.Config) { c.TelegramRate = 100_000 })
	var botTime, baseTime time.Duration
	round := 0
	for b.Loop() {
		b.StopTimer()
		round++
		base := int64(50_000_000 + round*10_000)

		// baseline: the same records, saved directly
		direct := e.meetup(map[string]any{"title": fmt.Sprint("Direct ", round), "capacity": students})
		users, err := e.app.FindCollectionByNameOrId("users")
		if err != nil {
			b.Fatal(err)
		}
		regs, err := e.app.FindCollectionByNameOrId("registrations")
		if err != nil {
			b.Fatal(err)
		}
		start := time.Now()
		for i := range students {
			u := core.NewRecord(users)
			u.Set("telegram_id", base+int64(i)+5_000)
			u.Set("language", "ru")
			u.SetRaw(core.FieldNamePassword, &core.PasswordFieldValue{Hash: "telegram-only:x"})
			u.RefreshTokenKey()
			if err := e.app.Save(u); err != nil {
				b.Fatal(err)
			}
			for _, f := range [][2]string{{"first_name", "Имя"}, {"last_name", "Фамилия"}, {"study_group", "ИТ-1"}} {
				u.Set(f[0], f[1])
				if err := e.app.Save(u); err != nil {
					b.Fatal(err)
				}
			}
			r := core.NewRecord(regs)
			r.Set("meetup", direct.Id)
			r.Set("user", u.Id)
			r.Set("status", "registered")
			r.Set("source", "bot")
			if err := e.app.Save(r); err != nil {
				b.Fatal(err)
			}
		}
		baseTime += time.Since(start)

		// the bot: 5 updates per student, all queued before it starts
		m := e.meetup(map[string]any{"title": fmt.Sprint("Bot ", round), "capacity": students})
		for i := range students {
			u := telegramtest.User{ID: base + int64(i), FirstName: "S"}
			e.fake.Text(u, "/start")
			e.fake.Text(u, "Имя")
			e.fake.Text(u, "Фамилия")
			e.fake.Text(u, "ИТ-1")
			e.fake.Callback(u, 1, "meetups:r:"+m.Id)
		}
		b.StartTimer()
		start = time.Now()
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan struct{})
		go func() {
			defer close(done)
			e.bot.Poll(ctx, time.Second)
		}()
		for {
			var n int
			if err := e.app.DB().NewQuery("SELECT count(*) FROM registrations WHERE meetup = {:m} AND status = 'registered'").
				Bind(dbx.Params{"m": m.Id}).Row(&n); err != nil {
				b.Fatal(err)
			}
			if n == students {
				break
			}
			time.Sleep(10 * time.Millisecond)
		}
		botTime += time.Since(start)
		b.StopTimer()
		cancel()
		<-done
		b.StartTimer()
	}
	tickets := len(e.fake.Calls("sendPhoto"))
	if tickets != students*round {
		b.Fatalf("%d tickets sent, want %d", tickets, students*round)
	}
	updates := float64(5 * students * round)
	botRate := updates / botTime.Seconds()
	baseRate := updates / baseTime.Seconds()
	b.ReportMetric(botRate, "updates/s")
	b.ReportMetric(baseRate, "baseline_saves/s")
	b.ReportMetric(botRate/baseRate, "ratio_to_baseline")
	b.ReportMetric(float64(len(e.fake.Calls()))/float64(students*round), "api_calls/student")
}
