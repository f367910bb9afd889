package bot_test

import (
	"context"
	"strings"
	"testing"

	"questbase/bot"
	"questbase/hooks/notify"
	"questbase/hooks/points"
)

// Every notification kind reaches the student in their language, worded
// by the catalogue, through the real Bot API protocol.
func TestEveryKindRendersInRussianAndEnglish(t *testing.T) {
	e := setup(t)
	ru := e.user(7001, "ru")
	en := e.user(7002, "en")
	none := e.user(7003, "") // no language stored: Russian

	cases := []struct {
		kind    string
		payload map[string]any
		ru, en  string
	}{
		{notify.KindPoints, map[string]any{"amount": 10, "reason": "checkin", "ref": "r1", "note": "", "balance": 130},
			"+10 баллов за посещение митапа.\nБаланс: 130 баллов.", "+10 points for attending a meetup.\nBalance: 130 points."},
		{notify.KindPoints, map[string]any{"amount": -1, "reason": "correction", "ref": "", "note": "double scan", "balance": 21},
			"-1 балл — корректировка. double scan\nБаланс: 21 балл.", "-1 point — a correction. double scan\nBalance: 21 points."},
		{notify.KindPoints, map[string]any{"amount": 3, "reason": "quiz", "ref": "q", "balance": 2},
			"+3 балла за квиз.\nБаланс: 2 балла.", "+3 points for a quiz.\nBalance: 2 points."},
		{notify.KindLevelUp, map[string]any{"from": 1, "to": 2, "title": "Junior"},
			"🎉 Новый уровень: 2 — «Junior»!", "🎉 You reached level 2 — “Junior”!"},
		{notify.KindLevelDown, map[string]any{"from": 3, "to": 2, "title": "Junior"},
			"Ваш уровень теперь 2 — «Junior».", "Your level is now 2 — “Junior”."},
		{notify.KindAchievement, map[string]any{"achievement": "a1", "title": "First steps", "description": "Came to a meetup", "points": 20, "image": ""},
			"🏆 Новое достижение: «First steps» (+20 баллов)\nCame to a meetup", "🏆 New achievement: “First steps” (+20 points)\nCame to a meetup"},
		{notify.KindClaimApproved, map[string]any{"claim": "c1", "title": "Hackathon", "status": "approved", "points": 50, "achievement": "", "reason": ""},
			"✅ Заявка «Hackathon» одобрена: +50 баллов.", "✅ Your claim “Hackathon” was approved: +50 points."},
		{notify.KindClaimRejected, map[string]any{"claim": "c1", "title": "Hackathon", "status": "rejected", "points": 0, "achievement": "", "reason": "No proof"},
			"❌ Заявка «Hackathon» отклонена.\nПричина: No proof", "❌ Your claim “Hackathon” was rejected.\nReason: No proof"},
		{notify.KindVerificationPending, map[string]any{"status": "pending", "submitted_at": "2026-01-01 10:00:00.000Z"},
			"📷 Фото получено и отправлено на проверку. Мы сообщим о результате.", "📷 Photo received and sent for review. We will tell you the result."},
		{notify.KindVerificationApproved, map[string]any{"status": "approved", "reason": ""},
			"✅ Профиль подтверждён.", "✅ Your profile is verified."},
		{notify.KindVerificationRejected, map[string]any{"status": "rejected", "reason": "blurry"},
			"❌ Фото для подтверждения профиля не принято. Причина: blurry\nПришлите новое фото, на котором видны лицо и студенческий билет.",
			"❌ Your verification photo was not accepted. Reason: blurry\nPlease send a new photo showing your face and student ID."},
		{"announcement", map[string]any{"text": "Pizza at 18:00"}, "Pizza at 18:00", "Pizza at 18:00"},
	}
	keys := map[string][3]string{} // key → want text, chat
	for i, tc := range cases {
		for _, who := range []struct {
			user string
			want string
			tag  string
		}{{ru.Id, tc.ru, "ru"}, {en.Id, tc.en, "en"}, {none.Id, tc.ru, "none"}} {
			key := tc.kind + ":" + who.tag + ":" + string(rune('a'+i))
			e.enqueue(who.user, tc.kind, key, tc.payload)
			keys[key] = [3]string{who.want, tc.kind, who.tag}
		}
	}
	e.drain()

	for key, want := range keys {
		r := e.row(key)
		if r.GetString("status") != bot.StatusSent {
			t.Errorf("%s: status %s (%s)", key, r.GetString("status"), r.GetString("last_error"))
			continue
		}
		id := r.GetInt("telegram_message_id")
		var got string
		for _, c := range e.fake.Messages(0) {
			if c.MessageID == id {
				got = c.Text()
			}
		}
		if got != want[0] {
			t.Errorf("%s (%s, %s):\n got %q\nwant %q", key, want[1], want[2], got, want[0])
		}
	}
}

// A row of an unknown kind without text fails with "no template"; a row
// for a user without Telegram fails with "no telegram id"; a poll goes out
// as a non-anonymous poll whose id is kept for counting answers; link
// buttons go out as URL buttons.
func TestSenderEdgeKinds(t *testing.T) {
	e := setup(t)
	u := e.user(7101, "en")
	noTG := e.user(0, "ru")
	e.enqueue(u.Id, "mystery", "k:mystery", map[string]any{"x": 1})
	e.enqueue(noTG.Id, notify.KindLevelUp, "k:notg", map[string]any{"from": 1, "to": 2})
	e.enqueue(u.Id, "broadcast_poll", "k:poll", map[string]any{"poll": map[string]any{"question": "Pizza?", "options": []string{"yes", "no"}}})
	e.enqueue(u.Id, "broadcast", "k:links", map[string]any{"text": "Slides", "buttons": []map[string]string{{"text": "Open", "url": "https://club.test/slides"}}})
	e.drain()

	if r := e.row("k:mystery"); r.GetString("status") != bot.StatusFailed || !strings.Contains(r.GetString("last_error"), "no template") {
		t.Errorf("unknown kind: %s %q", r.GetString("status"), r.GetString("last_error"))
	}
	if r := e.row("k:notg"); r.GetString("status") != bot.StatusFailed || r.GetString("last_error") != "no telegram id" || r.GetInt("attempts") != 0 {
		t.Errorf("no telegram id: %s %q attempts %d", r.GetString("status"), r.GetString("last_error"), r.GetInt("attempts"))
	}
	poll := e.row("k:poll")
	polls := e.fake.Polls()
	if poll.GetString("status") != bot.StatusSent || len(polls) != 1 || poll.GetString("telegram_poll_id") != polls[0].ID {
		t.Fatalf("poll: %s %q, fake polls %+v", poll.GetString("status"), poll.GetString("telegram_poll_id"), polls)
	}
	calls := e.fake.Calls("sendPoll")
	if calls[0].Params["is_anonymous"] != "false" {
		t.Errorf("poll must be non-anonymous to count answers per user: %v", calls[0].Params)
	}
	links := e.fake.Calls("sendMessage")
	var markup string
	for _, c := range links {
		if c.Params["text"] == "Slides" {
			markup = c.Params["reply_markup"]
		}
	}
	if !strings.Contains(markup, `"url":"https://club.test/slides"`) {
		t.Errorf("link button: %q", markup)
	}
}

// A real award (the points hook writes the row) reaches the student.
func TestAwardIsDelivered(t *testing.T) {
	e := setup(t)
	u := e.user(7201, "ru")
	if _, err := points.Award(context.Background(), e.app, points.Entry{User: u.Id, Amount: 125, Reason: points.ReasonQuiz, Ref: "quiz1"}); err != nil {
		t.Fatal(err)
	}
	e.drain()
	var texts []string
	for _, c := range e.fake.Messages(7201) {
		texts = append(texts, c.Text())
	}
	want := []string{"+125 баллов за квиз.\nБаланс: 125 баллов.", "🎉 Новый уровень: 2"}
	if len(texts) != 2 || texts[0] != want[0] || !strings.HasPrefix(texts[1], want[1]) {
		t.Fatalf("messages: %q", texts)
	}
}
