package bot_test

import (
	"context"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"questbase/bot"
	"questbase/bot/telegramtest"
	"questbase/hooks/points"
)

// award gives a student points through the ledger.
func (e *env) award(user string, amount int, ref string) {
	e.tb.Helper()
	if _, err := points.Award(context.Background(), e.app, points.Entry{User: user, Amount: amount, Reason: points.ReasonCorrection, Ref: ref, Note: "test seed"}); err != nil {
		e.tb.Fatal(err)
	}
}

// achieve grants a student a new achievement worth no points.
func (e *env) achieve(user, title string) {
	e.tb.Helper()
	achievements, _ := e.app.FindCollectionByNameOrId("achievements")
	a := core.NewRecord(achievements)
	a.Set("title", title)
	if err := e.app.Save(a); err != nil {
		e.tb.Fatal(err)
	}
	awards, _ := e.app.FindCollectionByNameOrId("awards")
	w := core.NewRecord(awards)
	w.Set("user", user)
	w.Set("achievement", a.Id)
	if err := e.app.Save(w); err != nil {
		e.tb.Fatal(err)
	}
}

// ranked is the number of students on the all-time leaderboard.
func (e *env) ranked() int {
	var n int
	if err := e.app.DB().NewQuery("SELECT COUNT(*) FROM users WHERE points > 0").Row(&n); err != nil {
		e.tb.Fatal(err)
	}
	return n
}

// scores seeds a leaderboard: a top student (500 points, verified, with a
// private group and username), a student tied with the one under test.
func (e *env) scores(me string) (top *core.Record) {
	e.tb.Helper()
	top = e.user(7190, "ru")
	top.Set("first_name", "Top")
	top.Set("last_name", "Student")
	top.Set("study_group", "SECRET-GRP")
	top.Set("telegram_username", "top_secret_nick")
	if err := e.app.Save(top); err != nil {
		e.tb.Fatal(err)
	}
	if _, err := e.app.DB().NewQuery("UPDATE users SET verification_status = 'approved' WHERE id = {:id}").Bind(map[string]any{"id": top.Id}).Execute(); err != nil {
		e.tb.Fatal(err)
	}
	e.award(top.Id, 500, "seed")
	e.achieve(top.Id, "Хакатон-чемпион")
	tied := e.user(7191, "ru")
	e.award(tied.Id, 150, "seed")
	e.award(me, 150, "seed")
	e.achieve(me, "Спикер")
	return top
}

// The own profile shows name, group, points, level with the way to the
// next one, the place on the leaderboard (a tie shares it), achievements
// and the verification status.
func TestOwnProfile(t *testing.T) {
	e := setup(t)
	me := e.user(7101, "ru")
	e.scores(me.Id)
	k := e.convo(t, telegramtest.User{ID: 7101, FirstName: "S"})
	k.menu()
	_, _, out := k.press("👤 Профиль")
	want := `👤 Student7101 Test
Группа: IT-1
⭐ 150 баллов
📈 Уровень 2 «Участник»
▰▱▱▱▱▱▱▱▱▱ 19% — до уровня 3 ещё 126 баллов
🏆 Место в рейтинге: 2 из ` + strconv.Itoa(e.ranked()) + `
🪪 Подтверждение: не пройдено
🎖 Достижения:
• Спикер`
	if got := k.last(out); got != want {
		t.Fatalf("profile:\n%s\nwant:\n%s", got, want)
	}
	if out[len(out)-1].Method != "editMessageText" {
		t.Errorf("the profile replaces the menu message; got %s", out[len(out)-1].Method)
	}

	// a student without points is not ranked and starts at level 1
	e.user(7102, "ru")
	k = e.convo(t, telegramtest.User{ID: 7102, FirstName: "S"})
	m := k.menu()
	_, out = k.pressData(m, bot.CBProfile)
	got := k.last(out)
	for _, want := range []string{"⭐ 0 баллов", "📈 Уровень 1 «Новичок»\n▱▱▱▱▱▱▱▱▱▱ 0% — до уровня 2 ещё 120 баллов",
		"🏆 В рейтинге пока нет — заработайте первые баллы.", "🎖 Достижения: пока нет"} {
		if !strings.Contains(got, want) {
			t.Errorf("profile without points lacks %q:\n%s", want, got)
		}
	}
}

// From the leaderboard a student opens another's public profile: name,
// points, level, place, achievements and whether they are verified, and
// nothing private (group, Telegram username, verification details).
func TestLeaderboardOpensPublicProfile(t *testing.T) {
	e := setup(t)
	me := e.user(7103, "ru")
	e.scores(me.Id)
	k := e.convo(t, telegramtest.User{ID: 7103, FirstName: "S"})
	m := k.menu()
	k.pressData(m, bot.CBProfile)
	_, _, out := k.press("🏆 Рейтинг")
	board := k.last(out)
	n := strconv.Itoa(e.ranked())
	for _, want := range []string{"🏆 Рейтинг\n\n1. Top Student — 500 баллов, ур. 4",
		"2. Student7103 Test — 150 баллов, ур. 2 ← вы", "2. Student7191 Test — 150 баллов, ур. 2",
		"Ваше место: 2 (150 баллов)."} {
		if !strings.Contains(board, want) {
			t.Errorf("leaderboard lacks %q:\n%s", want, board)
		}
	}
	sends := len(e.fake.Calls("sendMessage"))
	// a double tap shows the same board in the same message
	if _, again := k.pressData(m, bot.CBProfile+":top"); len(again) != 1 || again[0].Method != "editMessageText" || again[0].Text() != board {
		t.Errorf("second tap: %v", again)
	}
	if len(e.fake.Calls("sendMessage")) != sends {
		t.Error("a second tap sent a new message")
	}

	_, _, out = k.press("1. Top Student")
	got := k.last(out)
	for _, want := range []string{"👤 Top Student\n✔️ Профиль подтверждён", "⭐ 500 баллов", "📈 Уровень 4",
		"🏆 Место в рейтинге: 1 из " + n, "🎖 Достижения:\n• Хакатон-чемпион"} {
		if !strings.Contains(got, want) {
			t.Errorf("public profile lacks %q:\n%s", want, got)
		}
	}
	for _, private := range []string{"SECRET-GRP", "top_secret_nick", "Группа", "Подтверждение:", "7190"} {
		if strings.Contains(got, private) {
			t.Errorf("public profile shows %q:\n%s", private, got)
		}
	}

	// with more students than the board shows, it says so
	for i := range 10 {
		e.award(e.user(int64(7150+i), "ru").Id, 20, "seed")
	}
	_, out = k.pressData(m, bot.CBProfile+":top")
	if got := k.last(out); !strings.HasPrefix(got, "🏆 Рейтинг: первые 10 из "+strconv.Itoa(e.ranked())+"\n") || len(buttonsOf(out[len(out)-1])) != 12 {
		t.Errorf("long board (%d buttons):\n%s", len(buttonsOf(out[len(out)-1])), got)
	}

	// a profile that is gone, and a button no version of the bot made
	answer, out := k.pressData(m, bot.CBProfile+":u:nosuchuser0001")
	if answer != "Этого профиля больше нет." || !strings.HasPrefix(k.last(out), "🏆 Рейтинг") {
		t.Errorf("gone profile: %q %q", answer, k.last(out))
	}
	answer, out = k.pressData(m, bot.CBProfile+":frobnicate:x")
	if answer != "Эта кнопка устарела. Вот актуальное меню." || !strings.HasPrefix(k.last(out), "👤 Student7103 Test") {
		t.Errorf("unknown button: %q %q", answer, k.last(out))
	}
}

// An English student sees the profile and the leaderboard in English.
func TestProfileInEnglish(t *testing.T) {
	e := setup(t)
	me := e.user(7104, "en")
	e.scores(me.Id)
	k := e.convo(t, telegramtest.User{ID: 7104, FirstName: "S"})
	k.menu()
	_, _, out := k.press("👤 Profile")
	got := k.last(out)
	for _, want := range []string{"Group: IT-1", "⭐ 150 points", "📈 Level 2 “Участник”\n▰▱▱▱▱▱▱▱▱▱ 19% — 126 points to level 3",
		"🏆 Leaderboard place: 2 of ", "🪪 Verification: not verified", "🎖 Achievements:\n• Спикер"} {
		if !strings.Contains(got, want) {
			t.Errorf("English profile lacks %q:\n%s", want, got)
		}
	}
	_, _, out = k.press("🏆 Leaderboard")
	if got := k.last(out); !strings.Contains(got, "1. Top Student — 500 points, level 4") || !strings.Contains(got, "Your place: 2 (150 points).") {
		t.Errorf("English leaderboard:\n%s", got)
	}
	_, _, out = k.press("1. Top Student")
	if got := k.last(out); !strings.Contains(got, "✔️ Verified profile") || !strings.Contains(got, "Leaderboard place: 1 of ") {
		t.Errorf("English public profile:\n%s", got)
	}
}

// A button under a photo (a meetup banner, a ticket) opens the screen as a
// new message: a photo cannot be edited into text.
func TestProfileFromUnderAPhoto(t *testing.T) {
	e := setup(t)
	e.user(7105, "ru")
	k := e.convo(t, telegramtest.User{ID: 7105, FirstName: "S"})
	k.menu()
	id := e.fake.Push(map[string]any{"callback_query": map[string]any{
		"id": "photo-cb", "from": map[string]any{"id": 7105, "first_name": "S"}, "chat_instance": "ci", "data": bot.CBProfile,
		"message": map[string]any{"message_id": 1, "date": 1, "chat": map[string]any{"id": 7105, "type": "private"},
			"photo": []map[string]any{{"file_id": "x", "file_unique_id": "y", "width": 1, "height": 1}}},
	}})
	out := k.handle(id)
	if len(out) != 1 || out[0].Method != "sendMessage" || !strings.HasPrefix(out[0].Text(), "👤 Student7105 Test") {
		t.Errorf("profile under a photo: %v", out)
	}
}
