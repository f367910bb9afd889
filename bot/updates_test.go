package bot_test

import (
	"context"
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"

	"questbase/bot"
	"questbase/bot/telegramtest"
	"questbase/hooks/access"
	"questbase/hooks/notify"
	"questbase/hooks/testapp"
)

// replies waits until chat has n messages from the bot and returns their texts.
func (e *env) replies(chat int64, n int) []string {
	e.tb.Helper()
	e.fake.WaitFor(e.tb, 10*time.Second, "replies", func([]telegramtest.Call) bool { return len(e.fake.Messages(chat)) >= n })
	var out []string
	for _, c := range e.fake.Messages(chat) {
		out = append(out, c.Text())
	}
	return out
}

// A new student onboards in English: /start creates their record, the bot
// asks first name, last name and group once, then shows the menu (with
// the Mini App button). The bot set its commands and menu button at start.
func TestOnboardingConversation(t *testing.T) {
	e := setup(t)
	e.start()
	ann := telegramtest.User{ID: 9001, FirstName: "Ann", Username: "ann_s", LanguageCode: "en-GB"}

	e.fake.Text(ann, "/start")
	got := e.replies(9001, 2)
	if got[0] != "Hi! This is the IT community bot: meetups, courses, points and achievements." || got[1] != "Let's get acquainted. What is your first name?" {
		t.Fatalf("start: %q", got)
	}
	u := e.userByTelegram(9001)
	if u == nil || u.GetString("language") != "en" || u.GetString("telegram_username") != "ann_s" || u.GetString("verification_status") != "none" {
		t.Fatalf("user: %v", u)
	}
	if u.ValidatePassword("") || u.Email() != "" {
		t.Error("a bot-made student must have no password sign-in")
	}

	e.fake.Text(ann, "   ") // nothing: asked again
	if got := e.replies(9001, 3); !strings.HasPrefix(got[2], "Please write it as plain text, at most 100 characters.") {
		t.Fatalf("blank name: %q", got[2])
	}
	e.fake.Text(ann, "Ann")
	e.fake.Text(ann, "Smith")
	e.fake.Text(ann, "IT-21")
	got = e.replies(9001, 7)
	want := []string{"Thanks! Now your last name, please.", "And last: your study group (e.g. IT-21).", "Done, Ann! Your profile is ready.", "Main menu. Choose a section:"}
	if strings.Join(got[3:7], "|") != strings.Join(want, "|") {
		t.Fatalf("onboarding: %q", got[3:])
	}
	u = e.userByTelegram(9001)
	if u.GetString("first_name") != "Ann" || u.GetString("last_name") != "Smith" || u.GetString("study_group") != "IT-21" {
		t.Fatalf("profile: %s %s %s", u.GetString("first_name"), u.GetString("last_name"), u.GetString("study_group"))
	}
	menu := e.fake.Messages(9001)[6].Params["reply_markup"]
	if !strings.Contains(menu, `"web_app":{"url":"https://club.test/app/"}`) || !strings.Contains(menu, `"callback_data":"meetups"`) {
		t.Errorf("menu keyboard: %s", menu)
	}

	// /start again: no second record, no questions
	e.fake.Text(ann, "/start")
	if got := e.replies(9001, 9); got[7] != "Welcome back, Ann!" {
		t.Errorf("second /start: %q", got[7:])
	}
	var n int
	e.app.DB().NewQuery("SELECT COUNT(*) FROM users WHERE telegram_id = 9001").Row(&n)
	if n != 1 {
		t.Errorf("%d records for one Telegram user", n)
	}

	if cmds, _ := json.Marshal(e.fake.Commands("")); string(cmds) != `[{"command":"start","description":"Начать"},{"command":"menu","description":"Главное меню"},{"command":"help","description":"Помощь"}]` {
		t.Errorf("default commands: %s", cmds)
	}
	if cmds, _ := json.Marshal(e.fake.Commands("en")); string(cmds) != `[{"command":"start","description":"Start"},{"command":"menu","description":"Main menu"},{"command":"help","description":"Help"}]` {
		t.Errorf("English commands: %s", cmds)
	}
	var button map[string]any
	json.Unmarshal(e.fake.MenuButton(), &button)
	if button["type"] != "web_app" || button["web_app"].(map[string]any)["url"] != "https://club.test/app/" {
		t.Errorf("menu button: %s", e.fake.MenuButton())
	}
	if len(e.fake.Calls("deleteWebhook")) != 1 {
		t.Error("polling needs the webhook removed at start")
	}
}

// Anything the bot does not understand gets a helpful answer, in Russian
// by default: unknown text and commands, stale buttons, a stranger who has
// not started.
func TestUnknownInputGetsHelpfulAnswers(t *testing.T) {
	e := setup(t)
	e.start()
	anna := telegramtest.User{ID: 1001, FirstName: "Анна"} // the fixture student, onboarded
	stranger := telegramtest.User{ID: 9101, FirstName: "X", LanguageCode: "ru"}

	e.fake.Text(anna, "как дела?")
	if got := e.replies(1001, 1); got[0] != "Я не понял сообщение. Откройте /menu или напишите /help." {
		t.Errorf("unknown text: %q", got)
	}
	e.fake.Text(anna, "/frobnicate")
	if got := e.replies(1001, 2); got[1] != "Я не понял сообщение. Откройте /menu или напишите /help." {
		t.Errorf("unknown command: %q", got)
	}
	e.fake.Callback(anna, 1, "oldscreen:42")
	e.fake.WaitFor(t, 5*time.Second, "callback answer", func(calls []telegramtest.Call) bool {
		return len(e.fake.Calls("answerCallbackQuery")) == 1
	})
	if a := e.fake.Calls("answerCallbackQuery")[0]; a.Params["text"] != "Эта кнопка устарела. Вот актуальное меню." {
		t.Errorf("stale button: %v", a.Params)
	}
	if got := e.replies(1001, 3); got[2] != "Главное меню. Выберите раздел:" {
		t.Errorf("stale button shows the menu: %q", got)
	}
	e.fake.Text(stranger, "hello")
	if got := e.replies(9101, 1); got[0] != "Нажмите /start, чтобы начать." {
		t.Errorf("stranger: %q", got)
	}
	e.fake.Callback(stranger, 1, "menu")
	e.fake.WaitFor(t, 5*time.Second, "callback answer", func([]telegramtest.Call) bool {
		return len(e.fake.Calls("answerCallbackQuery")) == 2
	})
	if e.userByTelegram(9101) != nil {
		t.Error("a stranger's message must not create a record")
	}
	e.fake.Text(anna, "/help")
	if got := e.replies(1001, 4); !strings.HasPrefix(got[3], "Я бот IT-сообщества.") {
		t.Errorf("help: %q", got)
	}
}

// Blocking the bot (my_chat_member "kicked") marks the student; unblocking
// ("member") clears the mark.
func TestMyChatMemberFollowsBlocking(t *testing.T) {
	e := setup(t)
	e.start()
	anna := telegramtest.User{ID: 1001, FirstName: "Анна"}
	blocked := func() bool {
		u, _ := e.app.FindRecordById("users", e.w.Student)
		return u.GetBool("telegram_blocked")
	}
	waitUntil(t, "handled", func() bool { e.fake.MyChatMember(anna, "member", "kicked"); return true })
	waitUntil(t, "blocked", blocked)
	e.fake.MyChatMember(anna, "kicked", "member")
	waitUntil(t, "unblocked", func() bool { return !blocked() })
}

func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// A vote in a broadcast poll is recorded per user; a changed vote replaces
// it; votes in unknown polls change nothing.
func TestPollAnswersAreRecorded(t *testing.T) {
	e := setup(t)
	anna := telegramtest.User{ID: 1001, FirstName: "Анна"}
	if _, err := notify.Enqueue(e.app, notify.Message{User: e.w.Student, Kind: "broadcast_poll", Key: "poll:1", Broadcast: e.w.Broadcast,
		Payload: map[string]any{"poll": map[string]any{"question": "Pizza?", "options": []string{"yes", "no", "maybe"}}}}); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.DB().NewQuery("DELETE FROM poll_votes").Execute(); err != nil {
		t.Fatal(err)
	}
	e.drain()
	pollID := e.row("poll:1").GetString("telegram_poll_id")
	e.start()
	e.fake.PollAnswer("nonexistent", anna, 0)
	e.fake.PollAnswer(pollID, anna, 2)
	votes := func() (int, string) {
		var rows []struct {
			Options string `db:"options"`
		}
		e.app.DB().NewQuery("SELECT options FROM poll_votes WHERE broadcast = {:b}").Bind(dbx.Params{"b": e.w.Broadcast}).All(&rows)
		if len(rows) == 0 {
			return 0, ""
		}
		return len(rows), rows[0].Options
	}
	waitUntil(t, "vote", func() bool { n, o := votes(); return n == 1 && o == "[2]" })
	e.fake.PollAnswer(pollID, anna, 0, 1)
	waitUntil(t, "changed vote", func() bool { n, o := votes(); return n == 1 && o == "[0,1]" })
	var all int
	e.app.DB().NewQuery("SELECT COUNT(*) FROM poll_votes").Row(&all)
	if all != 1 {
		t.Errorf("%d votes", all)
	}
}

// The same update delivered twice (a redelivery after a restart) is
// handled once, also by a new bot on the same data.
func TestUpdateHandledOnce(t *testing.T) {
	e := setup(t)
	u := pushAndFetch(t, e, func() int64 { return e.fake.Text(telegramtest.User{ID: 9201, FirstName: "A"}, "/start") })
	for range 2 {
		if err := e.bot.Handle(context.Background(), u); err != nil {
			t.Fatal(err)
		}
	}
	tg, err := bot.Dial(context.Background(), e.fake.Token, e.fake.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := bot.New(e.app, e.cfg, tg).Handle(context.Background(), u); err != nil {
		t.Fatal(err)
	}
	if n := len(e.fake.Messages(9201)); n != 2 { // welcome + first question, once
		t.Errorf("%d replies, want 2", n)
	}
}

// Webhook mode: the bot registers its URL with a secret; posts with the
// secret are handled once; without it they are refused and change nothing.
func TestWebhook(t *testing.T) {
	fake := telegramtest.New(t)
	app, _ := testapp.New(t)
	srv := httptest.NewServer(nil)
	defer srv.Close()
	cfg := testapp.TestConfig()
	cfg.TelegramToken, cfg.TelegramAPIURL, cfg.TelegramRate = fake.Token, fake.URL, 100
	cfg.TelegramWebhookURL = srv.URL + bot.WebhookPath
	if err := bot.Register(app, cfg); err != nil {
		t.Fatal(err)
	}
	srv.Config.Handler = testapp.Handler(t, app)
	waitUntil(t, "setWebhook", func() bool { return fake.Webhook().URL != "" })
	hook := fake.Webhook()
	if hook.URL != cfg.TelegramWebhookURL || hook.Secret != bot.WebhookSecret(fake.Token) || hook.MaxConnections != "1" {
		t.Fatalf("webhook: %+v", hook)
	}
	if len(fake.Calls("getUpdates")) != 0 {
		t.Error("webhook mode must not poll")
	}
	start := fake.MessageUpdate(telegramtest.User{ID: 9301, FirstName: "W"}, map[string]any{"text": "/start"})
	start["update_id"] = 777
	ctx := context.Background()
	if code, err := fake.PostWebhookSecret(ctx, start, "wrong"); err != nil || code != 401 {
		t.Fatalf("wrong secret: %d %v", code, err)
	}
	if code, err := fake.PostWebhookSecret(ctx, start, ""); err != nil || code != 401 {
		t.Fatalf("no secret: %d %v", code, err)
	}
	var n int
	app.DB().NewQuery("SELECT COUNT(*) FROM users WHERE telegram_id = 9301").Row(&n)
	if n != 0 {
		t.Fatal("a refused webhook created a user")
	}
	for range 2 {
		if code, err := fake.PostWebhook(ctx, start); err != nil || code != 200 {
			t.Fatalf("webhook: %d %v", code, err)
		}
	}
	app.DB().NewQuery("SELECT COUNT(*) FROM users WHERE telegram_id = 9301").Row(&n)
	if n != 1 || len(fake.Messages(9301)) != 2 {
		t.Errorf("users %d, replies %d", n, len(fake.Messages(9301)))
	}
	if code, _ := fake.PostWebhook(ctx, map[string]any{"update_id": "nope"}); code != 400 {
		t.Errorf("garbage body: %d", code)
	}
}

// An organizer's menu also opens the ticket scanner as a Mini App (inside
// Telegram it signs in by Mini App data and has the native scanner); a
// student's does not.
func TestMenuOffersScannerToOrganizers(t *testing.T) {
	e := setup(t)
	e.start()
	scanner, err := e.app.FindRecordById("users", e.w.Staff[access.CheckinScan])
	if err != nil {
		t.Fatal(err)
	}
	scanner.Set("telegram_id", 9301)
	scanner.Set("study_group", "Staff")
	if err := e.app.Save(scanner); err != nil {
		t.Fatal(err)
	}
	e.fake.Text(telegramtest.User{ID: 9301, FirstName: "Org"}, "/menu")
	e.fake.Text(telegramtest.User{ID: 1001, FirstName: "Анна"}, "/menu")
	e.replies(9301, 1)
	e.replies(1001, 1)
	org := e.fake.Messages(9301)[0].Params["reply_markup"]
	if !strings.Contains(org, `"web_app":{"url":"https://club.test/organizer/"}`) || !strings.Contains(org, `"web_app":{"url":"https://club.test/app/"}`) {
		t.Errorf("organizer's menu: %s", org)
	}
	if student := e.fake.Messages(1001)[0].Params["reply_markup"]; strings.Contains(student, "/organizer/") {
		t.Errorf("student's menu offers the scanner: %s", student)
	}
}
