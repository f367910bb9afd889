package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	qrreader "github.com/makiuchi-d/gozxing/qrcode"
	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/bot"
	"questbase/bot/telegramtest"
	"questbase/hooks/access"
	"questbase/hooks/meetups"
	"questbase/hooks/testapp"
	"questbase/hooks/tickets"
)

// chat drives one student's conversation synchronously: each step pushes
// an update to the fake Bot API, fetches it back over HTTP as the bot's
// poll would, hands it to the bot, and returns the calls the bot made.
type chat struct {
	e  *env
	u  telegramtest.User
	tg bot.Telegram
}

func (e *env) chat(u telegramtest.User) *chat {
	e.tb.Helper()
	tg, err := bot.Dial(context.Background(), e.fake.Token, e.fake.URL, nil)
	if err != nil {
		e.tb.Fatal(err)
	}
	return &chat{e: e, u: u, tg: tg}
}

// reply is what the bot did in answer to one update.
type reply struct {
	tb    testing.TB
	calls []telegramtest.Call
}

func (ch *chat) do(push func() int64) reply {
	ch.e.tb.Helper()
	before := len(ch.e.fake.Calls())
	id := push()
	ups, err := ch.tg.Updates(context.Background(), id, 0)
	if err != nil || len(ups) == 0 || ups[0].ID != id {
		ch.e.tb.Fatalf("getUpdates: %v %+v", err, ups)
	}
	if err := ch.e.bot.Handle(context.Background(), ups[0]); err != nil {
		ch.e.tb.Fatal(err)
	}
	var out []telegramtest.Call
	for _, c := range ch.e.fake.Calls()[before:] {
		if c.Method != "getUpdates" {
			out = append(out, c)
		}
	}
	return reply{tb: ch.e.tb, calls: out}
}

func (ch *chat) text(s string) reply {
	return ch.do(func() int64 { return ch.e.fake.Text(ch.u, s) })
}

// press presses a button with data under the bot's message msg.
func (ch *chat) press(msg int, data string) reply {
	return ch.do(func() int64 { return ch.e.fake.Callback(ch.u, msg, data) })
}

// answer is the text of the callback answer ("" if none or empty).
func (r reply) answer() string {
	for _, c := range r.calls {
		if c.Method == "answerCallbackQuery" {
			return c.Params["text"]
		}
	}
	return ""
}

func (r reply) answered() int {
	n := 0
	for _, c := range r.calls {
		if c.Method == "answerCallbackQuery" {
			n++
		}
	}
	return n
}

// sent returns the calls of method (any send*/edit* for "").
func (r reply) sent(method string) []telegramtest.Call {
	var out []telegramtest.Call
	for _, c := range r.calls {
		if (method == "" && (strings.HasPrefix(c.Method, "send") || strings.HasPrefix(c.Method, "edit"))) || c.Method == method {
			out = append(out, c)
		}
	}
	return out
}

// texts joins the texts and captions sent.
func (r reply) texts() string {
	var parts []string
	for _, c := range r.sent("") {
		if t := c.Text(); t != "" {
			parts = append(parts, t)
		}
	}
	return strings.Join(parts, "\n---\n")
}

// last is the last message sent or edited.
func (r reply) last() telegramtest.Call {
	r.tb.Helper()
	s := r.sent("")
	if len(s) == 0 {
		r.tb.Fatalf("no message sent; calls %v", methods(r.calls))
	}
	return s[len(s)-1]
}

func methods(calls []telegramtest.Call) []string {
	var out []string
	for _, c := range calls {
		out = append(out, c.Method)
	}
	return out
}

// buttons maps the inline buttons of a call's keyboard: text → callback
// data (or url).
func buttons(c telegramtest.Call) map[string]string {
	var kb struct {
		Inline [][]struct {
			Text string `json:"text"`
			Data string `json:"callback_data"`
			URL  string `json:"url"`
		} `json:"inline_keyboard"`
	}
	json.Unmarshal([]byte(c.Params["reply_markup"]), &kb)
	out := map[string]string{}
	for _, row := range kb.Inline {
		for _, b := range row {
			out[b.Text] = b.Data + b.URL
		}
	}
	return out
}

// hasData reports whether a call's keyboard has a button with data.
func hasData(c telegramtest.Call, data string) bool {
	for _, d := range buttons(c) {
		if d == data {
			return true
		}
	}
	return false
}

// meetup creates a meetup through the hooks; fields override a published
// meetup tomorrow with no seat limit.
func (e *env) meetup(fields map[string]any) *core.Record {
	e.tb.Helper()
	data := map[string]any{"title": "Meetup", "starts_at": types.NowDateTime().Add(24 * time.Hour), "status": "published"}
	for k, v := range fields {
		data[k] = v
	}
	return e.save("meetups", data)
}

// register saves a registration of user as staff would.
func (e *env) register(meetup, user string) *core.Record {
	e.tb.Helper()
	return e.save("registrations", map[string]any{"meetup": meetup, "user": user, "status": "registered"})
}

func (e *env) registrations(meetup, user string) []*core.Record {
	e.tb.Helper()
	recs, err := e.app.FindAllRecords("registrations", dbx.HashExp{"meetup": meetup, "user": user})
	if err != nil {
		e.tb.Fatal(err)
	}
	return recs
}

func (e *env) count(sql string, params dbx.Params) int {
	e.tb.Helper()
	var n int
	if err := e.app.DB().NewQuery(sql).Bind(params).Row(&n); err != nil {
		e.tb.Fatal(err)
	}
	return n
}

// readQR decodes the QR image of a sendPhoto call with an independent
// decoder (ZXing's Go port).
func readQR(t testing.TB, c telegramtest.Call) string {
	t.Helper()
	up, ok := c.Files["photo"]
	if !ok {
		t.Fatalf("%s uploaded no photo", c.Method)
	}
	img, err := png.Decode(bytes.NewReader(up.Bytes))
	if err != nil {
		t.Fatalf("not a PNG: %v", err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrreader.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("no QR code read: %v", err)
	}
	return res.GetText()
}

var (
	anna  = telegramtest.User{ID: 1001, FirstName: "Анна"}                     // fixture student, Russian
	boris = telegramtest.User{ID: 1002, FirstName: "Борис"}                    // fixture student 2
	emma  = telegramtest.User{ID: 7001, FirstName: "Emma", LanguageCode: "en"} // created per test
)

// The list shows upcoming published meetups with their free seats, in
// the user's language; drafts, cancelled and past meetups are not listed.
func TestMeetupListShowsFreeSeats(t *testing.T) {
	e := setup(t)
	em := e.user(emma.ID, "en")
	small := e.meetup(map[string]any{"title": "Small talk", "capacity": 3, "starts_at": types.NowDateTime().Add(48 * time.Hour)})
	e.register(small.Id, e.w.Student2)
	full := e.meetup(map[string]any{"title": "Full house", "capacity": 1, "starts_at": types.NowDateTime().Add(72 * time.Hour)})
	e.register(full.Id, e.w.Student2)
	e.meetup(map[string]any{"title": "Open air", "starts_at": types.NowDateTime().Add(96 * time.Hour)})
	e.meetup(map[string]any{"title": "Secret draft", "status": "draft"})
	e.meetup(map[string]any{"title": "Long ago", "starts_at": types.NowDateTime().Add(-48 * time.Hour)})
	gone := e.meetup(map[string]any{"title": "Called off"})
	gone.Set("status", "cancelled")
	if err := e.app.Save(gone); err != nil {
		t.Fatal(err)
	}
	e.register(small.Id, em.Id)

	r := e.chat(emma).press(1, bot.CBMeetups)
	list := r.last()
	got := list.Text()
	for _, want := range []string{
		"📅 Upcoming meetups:",
		"1. ML meetup\n🕒 ", "49 of 50 seats free",
		"2. Small talk", "1 of 3 seats free · ✅ you are registered",
		"3. Full house", "full, waitlist open",
		"4. Open air", "no seat limit",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("list lacks %q:\n%s", want, got)
		}
	}
	for _, not := range []string{"Secret draft", "Long ago", "Called off"} {
		if strings.Contains(got, not) {
			t.Errorf("list shows %q:\n%s", not, got)
		}
	}
	if !hasData(list, "meetups:v:"+small.Id) || !hasData(list, "menu") {
		t.Errorf("list buttons: %v", buttons(list))
	}
	if r.answered() != 1 {
		t.Errorf("%d callback answers", r.answered())
	}
}

// Many meetups are paged five at a time; the pages are edited in place;
// a page number from an old button beyond the end shows the first page.
func TestMeetupListPages(t *testing.T) {
	e := setup(t)
	for i := range 7 {
		e.meetup(map[string]any{"title": fmt.Sprintf("Talk %d", i+1), "starts_at": types.NowDateTime().Add(time.Duration(48+i) * time.Hour)})
	}
	ch := e.chat(anna)
	first := ch.press(1, bot.CBMeetups).last()
	if !strings.Contains(first.Text(), "(стр. 1)") || strings.Contains(first.Text(), "6. ") || !hasData(first, "meetups:p:1") {
		t.Fatalf("first page: %s %v", first.Text(), buttons(first))
	}
	second := ch.press(first.MessageID, "meetups:p:1")
	page := second.last()
	if page.Method != "editMessageText" || page.MessageID != first.MessageID {
		t.Fatalf("page 2 not edited in place: %s %d", page.Method, page.MessageID)
	}
	for _, want := range []string{"(стр. 2)", "6. Talk 5", "7. Talk 6", "8. Talk 7"} {
		if !strings.Contains(page.Text(), want) {
			t.Errorf("page 2 lacks %q:\n%s", want, page.Text())
		}
	}
	if hasData(page, "meetups:p:2") || !hasData(page, "meetups:p:0") {
		t.Errorf("page 2 buttons: %v", buttons(page))
	}
	if p := ch.press(first.MessageID, "meetups:p:999").last(); !strings.Contains(p.Text(), "1. ML meetup") {
		t.Errorf("page beyond the end: %s", p.Text())
	}
}

// Registering saves a registration as the student (source bot) and sends
// the ticket: a QR image decoding to a code that names the registration;
// "my ticket" sends the same ticket again; the card's buttons follow.
func TestRegisterSendsTicket(t *testing.T) {
	e := setup(t)
	m := e.meetup(map[string]any{"title": "Go night", "capacity": 10, "location": "Room 101", "points": 15,
		"agenda": []map[string]any{{"at": "18:00", "title": "Generics", "speaker": "Rob"}}})
	ch := e.chat(boris)
	card := ch.press(1, "meetups:v:"+m.Id).last()
	for _, want := range []string{"📅 Go night", "📍 Room 101", "⭐ 15 баллов за посещение", "🎟 Места: свободно 10 из 10", "Программа:\n• 18:00 — Generics (Rob)", "Регистрация открыта."} {
		if !strings.Contains(card.Text(), want) {
			t.Errorf("card lacks %q:\n%s", want, card.Text())
		}
	}
	if !hasData(card, "meetups:r:"+m.Id) {
		t.Fatalf("card buttons: %v", buttons(card))
	}

	r := ch.press(card.MessageID, "meetups:r:"+m.Id)
	if r.answer() != "Вы записаны! Билет ниже." {
		t.Errorf("answer %q", r.answer())
	}
	regs := e.registrations(m.Id, e.w.Student2)
	if len(regs) != 1 || regs[0].GetString("status") != meetups.Registered || regs[0].GetString("source") != "bot" {
		t.Fatalf("registrations: %v", regs)
	}
	photos := r.sent("sendPhoto")
	if len(photos) != 1 {
		t.Fatalf("ticket photos: %v", methods(r.calls))
	}
	code := readQR(t, photos[0])
	ticket, err := tickets.New(e.app, e.cfg.TicketSecret).Verify(code, time.Now())
	if err != nil || ticket.Kind != tickets.Registration || ticket.ID != regs[0].Id {
		t.Fatalf("QR %q: %+v %v", code, ticket, err)
	}
	if !strings.Contains(photos[0].Text(), code) || !strings.Contains(photos[0].Text(), "Go night") {
		t.Errorf("ticket caption: %q", photos[0].Text())
	}
	edits := r.sent("editMessageReplyMarkup")
	if len(edits) != 1 || !hasData(edits[0], "meetups:t:"+m.Id) || !hasData(edits[0], "meetups:c:"+m.Id) || hasData(edits[0], "meetups:r:"+m.Id) {
		t.Errorf("card buttons after registering: %v", edits)
	}
	var actor string
	e.app.DB().NewQuery("SELECT actor_kind FROM audit_log WHERE record = {:id} AND action = 'register'").Bind(dbx.Params{"id": regs[0].Id}).Row(&actor)
	if actor != "bot" {
		t.Errorf("registration audited as %q", actor)
	}

	again := ch.press(card.MessageID, "meetups:t:"+m.Id)
	if p := again.sent("sendPhoto"); len(p) != 1 || readQR(t, p[0]) != code {
		t.Errorf("my ticket: %v", methods(again.calls))
	}
}

// A double tap on "register" registers once: the second tap says so.
func TestRegisterDoubleTap(t *testing.T) {
	e := setup(t)
	m := e.meetup(map[string]any{"capacity": 5})
	ch := e.chat(boris)
	first := ch.press(7, "meetups:r:"+m.Id)
	second := ch.press(7, "meetups:r:"+m.Id)
	if n := len(e.registrations(m.Id, e.w.Student2)); n != 1 {
		t.Fatalf("%d registrations", n)
	}
	if len(first.sent("sendPhoto")) != 1 || len(second.sent("sendPhoto")) != 0 {
		t.Errorf("tickets sent: %d then %d", len(first.sent("sendPhoto")), len(second.sent("sendPhoto")))
	}
	if second.answer() != "Вы уже записаны на этот митап." {
		t.Errorf("second tap: %q", second.answer())
	}
	if n := e.count("SELECT count(*) FROM registrations WHERE meetup = {:m} AND status = 'registered'", dbx.Params{"m": m.Id}); n != 1 {
		t.Errorf("%d seats taken", n)
	}
}

// A full meetup puts the student on the waitlist (the hook decides);
// when a registered student cancels, the first on the waitlist is
// promoted by the hook and told through the outbox.
func TestWaitlistAndCancelPromotes(t *testing.T) {
	e := setup(t)
	m := e.meetup(map[string]any{"title": "Tiny", "capacity": 1})
	annaChat, borisChat := e.chat(anna), e.chat(boris)

	if r := annaChat.press(3, "meetups:r:"+m.Id); len(r.sent("sendPhoto")) != 1 {
		t.Fatalf("first registration: %v", methods(r.calls))
	}
	card := borisChat.press(3, "meetups:v:"+m.Id).last()
	if !hasData(card, "meetups:r:"+m.Id) || buttons(card)["⏳ В лист ожидания"] == "" || !strings.Contains(card.Text(), "мест нет, есть лист ожидания") {
		t.Fatalf("full card: %s %v", card.Text(), buttons(card))
	}
	r := borisChat.press(card.MessageID, "meetups:r:"+m.Id)
	if regs := e.registrations(m.Id, e.w.Student2); len(regs) != 1 || regs[0].GetString("status") != meetups.Waitlisted {
		t.Fatalf("boris: %v", regs)
	}
	if len(r.sent("sendPhoto")) != 0 || !strings.Contains(r.texts(), "Вы в листе ожидания, 1-й в очереди") {
		t.Errorf("waitlisted reply: %s", r.texts())
	}
	if r := borisChat.press(card.MessageID, "meetups:t:"+m.Id); r.answer() != "Вы в листе ожидания: билет придёт вместе с местом." {
		t.Errorf("ticket while waitlisted: %q", r.answer())
	}
	if r := borisChat.press(card.MessageID, "meetups:r:"+m.Id); r.answer() != "Вы уже в листе ожидания." {
		t.Errorf("second tap on the waitlist: %q", r.answer())
	}

	c := annaChat.press(3, "meetups:c:"+m.Id)
	if c.answer() != "Запись отменена." || !strings.Contains(c.texts(), "Запись на «Tiny» отменена.") {
		t.Errorf("cancel: %q %s", c.answer(), c.texts())
	}
	if regs := e.registrations(m.Id, e.w.Student); regs[0].GetString("status") != meetups.Cancelled {
		t.Errorf("anna: %s", regs[0].GetString("status"))
	}
	if regs := e.registrations(m.Id, e.w.Student2); regs[0].GetString("status") != meetups.Registered {
		t.Errorf("boris not promoted: %s", regs[0].GetString("status"))
	}
	if n := e.count("SELECT count(*) FROM outbox WHERE user = {:u} AND kind = 'waitlist_promoted'", dbx.Params{"u": e.w.Student2}); n != 1 {
		t.Errorf("%d promotion notices", n)
	}
	if r := annaChat.press(3, "meetups:c:"+m.Id); r.answer() != "Вы не записаны на этот митап." {
		t.Errorf("second cancel: %q", r.answer())
	}
	// registering again after cancelling queues anew: the seat is Boris's now
	if r := annaChat.press(3, "meetups:r:"+m.Id); r.answer() != "Мест нет — вы в листе ожидания." {
		t.Errorf("re-registration: %q", r.answer())
	}
	if n := len(e.registrations(m.Id, e.w.Student)); n != 1 {
		t.Errorf("%d registration rows for anna", n)
	}
}

// The hook's refusals reach the student as friendly words, and the
// refused attempt leaves nothing behind.
func TestRegisterRefusedByHook(t *testing.T) {
	e := setup(t)
	later := e.meetup(map[string]any{"registration_opens_at": types.NowDateTime().Add(12 * time.Hour)})
	ch := e.chat(boris)
	r := ch.press(3, "meetups:r:"+later.Id)
	if r.answer() != "Регистрация ещё не открылась. Загляните позже!" {
		t.Errorf("not open: %q", r.answer())
	}
	if n := len(e.registrations(later.Id, e.w.Student2)); n != 0 {
		t.Errorf("%d registrations after a refusal", n)
	}
	if n := e.count("SELECT count(*) FROM audit_log WHERE collection = 'registrations' AND record NOT IN (SELECT id FROM registrations)", nil); n != 0 {
		t.Errorf("%d audit rows of a refused registration", n)
	}
	closed := e.meetup(map[string]any{"registration_opens_at": types.NowDateTime().Add(-2 * time.Hour), "registration_closes_at": types.NowDateTime().Add(-time.Hour)})
	if r := ch.press(3, "meetups:r:"+closed.Id); r.answer() != "Регистрация уже закрыта." {
		t.Errorf("closed: %q", r.answer())
	}
	if strings.Contains(r.texts(), "Что-то пошло не так") {
		t.Error("a refusal must not read as a failure")
	}
}

// Stale and garbage buttons get an answer and the current list, never
// silence: a deleted meetup, a cancelled one, unknown ids, malformed data.
func TestStaleMeetupButtons(t *testing.T) {
	e := setup(t)
	m := e.meetup(map[string]any{"title": "Soon deleted"})
	cancelled := e.meetup(map[string]any{"title": "Cancelled one"})
	e.register(cancelled.Id, e.w.Student2)
	cancelled.Set("status", "cancelled")
	if err := e.app.Save(cancelled); err != nil {
		t.Fatal(err)
	}
	if err := e.app.Delete(m); err != nil {
		t.Fatal(err)
	}
	before := e.snapshot(t)
	ch := e.chat(boris)
	for data, want := range map[string]string{
		"meetups:r:" + m.Id:              "Этого митапа больше нет. Вот актуальный список.",
		"meetups:v:" + m.Id:              "Этого митапа больше нет. Вот актуальный список.",
		"meetups:r:" + e.w.DraftMeetup:   "Этого митапа больше нет. Вот актуальный список.",
		"meetups:t:nosuchid12345":        "Этого митапа больше нет. Вот актуальный список.",
		"meetups:zz:" + e.w.Meetup:       "Эта кнопка устарела. Вот актуальный список митапов.",
		"meetups:r:../../etc":            "Эта кнопка устарела. Вот актуальный список митапов.",
		"meetups:r:":                     "Эта кнопка устарела. Вот актуальный список митапов.",
		"meetups:s:" + e.w.Meetup + ":9": "Эта кнопка устарела. Вот актуальный список митапов.",
		"meetups:r:" + cancelled.Id:      "Этот митап отменён.",
		"meetups:t:" + cancelled.Id:      "❌ Этот митап отменён.",
	} {
		r := ch.press(5, data)
		if r.answer() != want || r.answered() != 1 {
			t.Errorf("%s: answered %d times, %q", data, r.answered(), r.answer())
		}
		if len(r.sent("")) == 0 && !strings.Contains(data, cancelled.Id) {
			t.Errorf("%s: nothing shown", data)
		}
	}
	if after := e.snapshot(t); after != before {
		t.Errorf("stale buttons changed records:\n%s\n%s", before, after)
	}
}

// /start meetup_<id> opens that meetup's card, also with a banner photo;
// an unknown id says so and lists the meetups.
func TestMeetupDeepLink(t *testing.T) {
	e := setup(t)
	m := e.meetup(map[string]any{"title": "Bannered"})
	f, err := filesystem.NewFileFromBytes(testapp.PNG(40, 20), "banner.png")
	if err != nil {
		t.Fatal(err)
	}
	m.Set("banner", f)
	if err := e.app.Save(m); err != nil {
		t.Fatal(err)
	}
	ch := e.chat(boris)
	r := ch.text("/start meetup_" + m.Id)
	photos := r.sent("sendPhoto")
	if len(photos) != 1 || !strings.HasPrefix(photos[0].Text(), "📅 Bannered") || !hasData(photos[0], "meetups:r:"+m.Id) {
		t.Fatalf("deep link card: %v %q", methods(r.calls), r.texts())
	}
	if up := photos[0].Files["photo"]; len(up.Bytes) == 0 {
		t.Error("banner not uploaded")
	}
	// shown again: Telegram's file id, no second upload
	again := ch.text("/start meetup_" + m.Id).sent("sendPhoto")
	if len(again) != 1 || len(again[0].Files) != 0 || again[0].Params["photo"] == "" {
		t.Errorf("second card re-uploaded the banner: %+v", again)
	}

	r = ch.text("/start meetup_doesnotexist1")
	if !strings.Contains(r.texts(), "Этого митапа больше нет.") || !strings.Contains(r.texts(), "Ближайшие митапы") {
		t.Errorf("unknown deep link: %s", r.texts())
	}
}

// After the meetup a participant rates it once (1–5) with an optional
// comment; a double tap on a rating saves one; feedback before the end,
// or from someone who did not take part, is refused politely; a meetup
// with a form link offers the link instead.
func TestMeetupFeedback(t *testing.T) {
	e := setup(t)
	past := e.meetup(map[string]any{"title": "Yesterday", "starts_at": types.NowDateTime().Add(-26 * time.Hour), "ends_at": types.NowDateTime().Add(-24 * time.Hour)})
	// registered while it was upcoming: written directly (the window is closed now)
	if _, err := e.app.DB().NewQuery(`INSERT INTO registrations (id, meetup, user, status, source, seq, created, updated)
		VALUES ('regpastboris01', {:m}, {:u}, 'registered', 'bot', 1, {:now}, {:now})`).
		Bind(dbx.Params{"m": past.Id, "u": e.w.Student2, "now": types.NowDateTime().String()}).Execute(); err != nil {
		t.Fatal(err)
	}
	ch := e.chat(boris)

	list := ch.press(3, "meetups:h").last()
	if !hasData(list, "meetups:v:"+past.Id) {
		t.Fatalf("past meetups: %s %v", list.Text(), buttons(list))
	}
	card := ch.press(list.MessageID, "meetups:v:"+past.Id).last()
	if !strings.Contains(card.Text(), "Этот митап уже прошёл.") || !hasData(card, "meetups:f:"+past.Id) || hasData(card, "meetups:r:"+past.Id) {
		t.Fatalf("past card: %s %v", card.Text(), buttons(card))
	}
	prompt := ch.press(card.MessageID, "meetups:f:"+past.Id).last()
	if !hasData(prompt, "meetups:s:"+past.Id+":5") || !hasData(prompt, "meetups:s:"+past.Id+":1") {
		t.Fatalf("rating buttons: %v", buttons(prompt))
	}
	r := ch.press(prompt.MessageID, "meetups:s:"+past.Id+":4")
	if r.answer() != "Спасибо за оценку!" || !strings.Contains(r.texts(), "Хотите добавить комментарий?") {
		t.Errorf("rated: %q %s", r.answer(), r.texts())
	}
	double := ch.press(prompt.MessageID, "meetups:s:"+past.Id+":5")
	if double.answer() != "Вы уже оценили этот митап: 4 из 5." {
		t.Errorf("double tap: %q", double.answer())
	}
	ch.text("Очень понравилось, спасибо!")
	fbs, _ := e.app.FindAllRecords("feedback", dbx.HashExp{"meetup": past.Id})
	if len(fbs) != 1 || fbs[0].GetInt("rating") != 4 || fbs[0].GetString("comment") != "Очень понравилось, спасибо!" || fbs[0].GetString("user") != e.w.Student2 {
		t.Fatalf("feedback: %v", fbs)
	}
	// the comment was taken once: the next text is ordinary text again
	if r := ch.text("ещё текст"); !strings.Contains(r.texts(), "Я не понял сообщение") {
		t.Errorf("text after the comment: %s", r.texts())
	}
	if fb, _ := e.app.FindRecordById("feedback", fbs[0].Id); fb.GetString("comment") != "Очень понравилось, спасибо!" {
		t.Errorf("comment overwritten: %q", fb.GetString("comment"))
	}

	// not yet over / not a participant
	if r := ch.press(3, "meetups:f:"+e.w.Meetup); r.answer() != "Оставить отзыв можно после митапа." {
		t.Errorf("early: %q", r.answer())
	}
	if r := e.chat(anna).press(3, "meetups:s:"+past.Id+":5"); r.answer() != "Отзыв оставляют участники митапа." {
		t.Errorf("stranger: %q", r.answer())
	}
	if n := e.count("SELECT count(*) FROM feedback WHERE meetup = {:m}", dbx.Params{"m": past.Id}); n != 1 {
		t.Errorf("%d feedback rows", n)
	}

	// a form link instead of the rating
	past.Set("feedback_url", "https://forms.example/yesterday")
	if err := e.app.Save(past); err != nil {
		t.Fatal(err)
	}
	if _, err := e.app.DB().NewQuery("DELETE FROM feedback WHERE meetup = {:m}").Bind(dbx.Params{"m": past.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	card = ch.press(3, "meetups:v:"+past.Id).last()
	if buttons(card)["📝 Форма отзыва"] != "https://forms.example/yesterday" || hasData(card, "meetups:f:"+past.Id) {
		t.Errorf("form link: %v", buttons(card))
	}
}

// The rating's "no comment" button ends the question: a later text is not
// taken as a comment.
func TestFeedbackNoComment(t *testing.T) {
	e := setup(t)
	past := e.meetup(map[string]any{"starts_at": types.NowDateTime().Add(-3 * time.Hour)})
	if _, err := e.app.DB().NewQuery(`INSERT INTO checkins (id, meetup, user, method, created, updated)
		VALUES ('chkpastboris01', {:m}, {:u}, 'manual', {:now}, {:now})`).
		Bind(dbx.Params{"m": past.Id, "u": e.w.Student2, "now": types.NowDateTime().String()}).Execute(); err != nil {
		t.Fatal(err)
	}
	ch := e.chat(boris)
	r := ch.press(3, "meetups:s:"+past.Id+":5")
	prompt := r.last()
	if !hasData(prompt, "meetups:n:"+past.Id) {
		t.Fatalf("no-comment button: %v", buttons(prompt))
	}
	if r := ch.press(prompt.MessageID, "meetups:n:"+past.Id); r.answer() != "Спасибо за отзыв!" {
		t.Errorf("no comment: %q", r.answer())
	}
	ch.text("hello?")
	fb, err := e.app.FindFirstRecordByFilter("feedback", "meetup = {:m}", dbx.Params{"m": past.Id})
	if err != nil || fb.GetInt("rating") != 5 || fb.GetString("comment") != "" {
		t.Errorf("feedback: %v %v", fb, err)
	}
}

// An English-speaking student gets the meetup screens in English.
func TestMeetupScreensInEnglish(t *testing.T) {
	e := setup(t)
	e.user(emma.ID, "en")
	m := e.meetup(map[string]any{"title": "Rust intro", "capacity": 1, "points": 1})
	ch := e.chat(emma)
	card := ch.press(3, "meetups:v:"+m.Id).last()
	for _, want := range []string{"⭐ 1 point for attending", "🎟 Seats: 1 of 1 seat free", "Registration is open."} {
		if !strings.Contains(card.Text(), want) {
			t.Errorf("card lacks %q:\n%s", want, card.Text())
		}
	}
	if buttons(card)["✍️ Register"] == "" {
		t.Errorf("buttons: %v", buttons(card))
	}
	r := ch.press(card.MessageID, "meetups:r:"+m.Id)
	if r.answer() != "You are registered! Your ticket is below." || !strings.Contains(r.texts(), "Your ticket for “Rust intro”") {
		t.Errorf("register: %q %s", r.answer(), r.texts())
	}
	if r := e.chat(boris).press(3, "meetups:r:"+m.Id); r.answer() != "Мест нет — вы в листе ожидания." {
		t.Errorf("russian waitlist: %q", r.answer())
	}
}

// Pressing another button after the rating ends the question for a
// comment: a later text is ordinary text, not a comment.
func TestFeedbackCommentEndsOnOtherButton(t *testing.T) {
	e := setup(t)
	past := e.meetup(map[string]any{"starts_at": types.NowDateTime().Add(-3 * time.Hour)})
	if _, err := e.app.DB().NewQuery(`INSERT INTO checkins (id, meetup, user, method, created, updated)
		VALUES ('chkpastboris02', {:m}, {:u}, 'manual', {:now}, {:now})`).
		Bind(dbx.Params{"m": past.Id, "u": e.w.Student2, "now": types.NowDateTime().String()}).Execute(); err != nil {
		t.Fatal(err)
	}
	ch := e.chat(boris)
	ch.press(3, "meetups:s:"+past.Id+":3")
	ch.press(3, bot.CBCourses)
	if r := ch.text("not a comment"); !strings.Contains(r.texts(), "Я не понял сообщение") {
		t.Errorf("text after moving on: %s", r.texts())
	}
	fb, err := e.app.FindFirstRecordByFilter("feedback", "meetup = {:m}", dbx.Params{"m": past.Id})
	if err != nil || fb.GetInt("rating") != 3 || fb.GetString("comment") != "" {
		t.Errorf("feedback: %v %v", fb, err)
	}

	// any screen's button ends it, not only the meetups' and courses'
	other := e.meetup(map[string]any{"starts_at": types.NowDateTime().Add(-2 * time.Hour)})
	if _, err := e.app.DB().NewQuery(`INSERT INTO checkins (id, meetup, user, method, created, updated)
		VALUES ('chkpastboris03', {:m}, {:u}, 'manual', {:now}, {:now})`).
		Bind(dbx.Params{"m": other.Id, "u": e.w.Student2, "now": types.NowDateTime().String()}).Execute(); err != nil {
		t.Fatal(err)
	}
	ch.press(3, "meetups:s:"+other.Id+":4")
	ch.press(3, bot.CBProfile)
	if r := ch.text("still not a comment"); !strings.Contains(r.texts(), "Я не понял сообщение") {
		t.Errorf("text after the profile button: %s", r.texts())
	}
	if fb, _ := e.app.FindFirstRecordByFilter("feedback", "meetup = {:m}", dbx.Params{"m": other.Id}); fb == nil || fb.GetString("comment") != "" {
		t.Errorf("second feedback: %v", fb)
	}
}

// A newcomer who follows a meetup link answers the onboarding questions
// first and then sees that meetup's card.
func TestMeetupDeepLinkForNewcomer(t *testing.T) {
	e := setup(t)
	m := e.meetup(map[string]any{"title": "First timers"})
	ch := e.chat(telegramtest.User{ID: 9601, FirstName: "N", LanguageCode: "en"})
	if r := ch.text("/start meetup_" + m.Id); !strings.Contains(r.texts(), "What is your first name?") {
		t.Fatalf("start: %s", r.texts())
	}
	ch.text("Nora")
	ch.text("New")
	r := ch.text("IT-9")
	if !strings.Contains(r.texts(), "Done, Nora!") || !strings.Contains(r.texts(), "📅 First timers") || !hasData(r.last(), "meetups:r:"+m.Id) {
		t.Fatalf("after onboarding: %s", r.texts())
	}
	if r := ch.text("/start"); !strings.Contains(r.texts(), "Welcome back, Nora!") {
		t.Errorf("the link is opened once: %s", r.texts())
	}
}

// The whole way of a new student through the bot: onboarding, the meetup
// list, registering, the ticket's QR, which an organizer scans at the door
// (POST /api/checkin), and the points notification that follows.
func TestStudentJourney(t *testing.T) {
	e := setup(t)
	m := e.meetup(map[string]any{"title": "Journey", "points": 25, "capacity": 30})
	ch := e.chat(telegramtest.User{ID: 9701, FirstName: "Jo", LanguageCode: "en"})
	ch.text("/start")
	ch.text("Jo")
	ch.text("Doe")
	menu := ch.text("IT-7").last()
	if !hasData(menu, bot.CBMeetups) {
		t.Fatalf("menu: %v", buttons(menu))
	}
	list := ch.press(menu.MessageID, bot.CBMeetups).last()
	card := ch.press(list.MessageID, "meetups:v:"+m.Id).last()
	photo := ch.press(card.MessageID, "meetups:r:"+m.Id).sent("sendPhoto")
	if len(photo) != 1 {
		t.Fatal("no ticket")
	}
	code := readQR(t, photo[0])

	srv := httptest.NewServer(testapp.Handler(t, e.app))
	defer srv.Close()
	body, _ := json.Marshal(map[string]string{"code": code, "meetup": m.Id})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/checkin", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Authorization", e.w.Token(e.w.Staff[access.CheckinScan]))
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var out struct {
		Result string `json:"result"`
		User   struct {
			Name string `json:"name"`
		} `json:"user"`
	}
	json.NewDecoder(res.Body).Decode(&out)
	res.Body.Close()
	if res.StatusCode != 200 || out.Result != "checked_in" {
		t.Fatalf("check-in: %d %+v", res.StatusCode, out)
	}

	e.drain()
	var got []string
	for _, c := range e.fake.Messages(9701) {
		got = append(got, c.Text())
	}
	if last := got[len(got)-1]; !strings.Contains(last, "+25 points for attending a meetup.") || !strings.Contains(last, "Balance: 25 points.") {
		t.Errorf("points notification: %q", last)
	}
}
