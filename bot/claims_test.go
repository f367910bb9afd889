package bot_test

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/bot"
	"questbase/bot/telegramtest"
)

// convo drives one student's conversation synchronously: every update is
// pushed to the fake Bot API, fetched from it over HTTP and handled by the
// bot, so the bot's answers are recorded when a step returns.
type convo struct {
	t       *testing.T
	e       *env
	b       *bot.Bot
	tg      bot.Telegram
	who     telegramtest.User
	seen    int // messages to who already returned by a step
	answers int // callback answers already returned by a step
}

func (e *env) convo(t *testing.T, who telegramtest.User) *convo {
	t.Helper()
	tg, err := bot.Dial(context.Background(), e.fake.Token, e.fake.URL, nil)
	if err != nil {
		t.Fatal(err)
	}
	k := &convo{t: t, e: e, b: e.bot, tg: tg, who: who, seen: len(e.fake.Messages(who.ID)),
		answers: len(e.fake.Calls("answerCallbackQuery"))}
	return k
}

// menu opens the main menu and returns its message id, for buttons to
// be pressed under.
func (k *convo) menu() int {
	k.t.Helper()
	out := k.send("/menu")
	if len(out) == 0 {
		k.t.Fatal("no menu")
	}
	return out[len(out)-1].MessageID
}

// restart replaces the bot by a new one on the same app, as a restarted
// service would have.
func (k *convo) restart() {
	k.t.Helper()
	tg, err := bot.Dial(context.Background(), k.e.fake.Token, k.e.fake.URL, nil)
	if err != nil {
		k.t.Fatal(err)
	}
	k.b = bot.New(k.e.app, k.e.cfg, tg)
}

// handle fetches update id and handles it; it returns the messages sent
// (or edited) to the student meanwhile.
func (k *convo) handle(id int64) []telegramtest.Call {
	k.t.Helper()
	ups, err := k.tg.Updates(context.Background(), id, 0)
	if err != nil || len(ups) == 0 || ups[0].ID != id {
		k.t.Fatalf("getUpdates %d: %v %+v", id, err, ups)
	}
	if err := k.b.Handle(context.Background(), ups[0]); err != nil {
		k.t.Fatalf("handle %d: %v", id, err)
	}
	all := k.e.fake.Messages(k.who.ID)
	out := all[k.seen:]
	k.seen = len(all)
	return out
}

func (k *convo) send(text string) []telegramtest.Call { return k.handle(k.e.fake.Text(k.who, text)) }

func (k *convo) photo(data []byte) []telegramtest.Call {
	id, _ := k.e.fake.Photo(k.who, "", data)
	return k.handle(id)
}

func (k *convo) document(name, mimeType string, data []byte) []telegramtest.Call {
	id, _ := k.e.fake.Document(k.who, name, mimeType, data)
	return k.handle(id)
}

// pressData presses a button with data under message msg; it returns the
// callback's answer and the messages sent or edited.
func (k *convo) pressData(msg int, data string) (string, []telegramtest.Call) {
	k.t.Helper()
	out := k.handle(k.e.fake.Callback(k.who, msg, data))
	calls := k.e.fake.Calls("answerCallbackQuery")
	if len(calls) != k.answers+1 {
		k.t.Fatalf("%q: %d callback answers, want 1", data, len(calls)-k.answers)
	}
	k.answers = len(calls)
	return calls[len(calls)-1].Params["text"], out
}

// press presses the button labelled label in the latest message that has
// one, and returns the button's data with what pressData returns.
func (k *convo) press(label string) (data, answer string, out []telegramtest.Call) {
	k.t.Helper()
	all := k.e.fake.Messages(k.who.ID)
	for i := len(all) - 1; i >= 0; i-- {
		for _, b := range buttonsOf(all[i]) {
			if b.Text == label {
				answer, out = k.pressData(all[i].MessageID, b.Data)
				return b.Data, answer, out
			}
		}
	}
	k.t.Fatalf("no button %q in the chat", label)
	return "", "", nil
}

// last is the text of the last of msgs (failing when there is none).
func (k *convo) last(msgs []telegramtest.Call) string {
	k.t.Helper()
	if len(msgs) == 0 {
		k.t.Fatal("the bot said nothing")
	}
	return msgs[len(msgs)-1].Text()
}

type inlineButton struct {
	Text string `json:"text"`
	Data string `json:"callback_data"`
}

// buttonsOf lists the inline buttons of a sent or edited message.
func buttonsOf(c telegramtest.Call) []inlineButton {
	var m struct {
		Inline [][]inlineButton `json:"inline_keyboard"`
	}
	json.Unmarshal([]byte(c.Params["reply_markup"]), &m)
	var out []inlineButton
	for _, row := range m.Inline {
		out = append(out, row...)
	}
	return out
}

func labels(c telegramtest.Call) []string {
	var out []string
	for _, b := range buttonsOf(c) {
		out = append(out, b.Text)
	}
	return out
}

// jpegBytes and pngBytes are real images, distinct per seed; pdfBytes a
// minimal PDF.
func jpegBytes(t testing.TB, seed uint8) []byte {
	var b bytes.Buffer
	if err := jpeg.Encode(&b, picture(seed), nil); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func pngBytes(t testing.TB, seed uint8) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, picture(seed)); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func picture(seed uint8) image.Image {
	img := image.NewRGBA(image.Rect(0, 0, 16, 16))
	for x := range 16 {
		for y := range 16 {
			img.Set(x, y, color.RGBA{R: seed, G: uint8(x * 16), B: uint8(y * 16), A: 255})
		}
	}
	return img
}

var pdfBytes = []byte("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n")

// claimsOf lists a student's claims, oldest first.
func (e *env) claimsOf(user string) []*core.Record {
	e.tb.Helper()
	list, err := e.app.FindRecordsByFilter("claims", "user = {:u}", "created", 0, 0, dbx.Params{"u": user})
	if err != nil {
		e.tb.Fatal(err)
	}
	return list
}

// attachment reads a stored attachment of a claim.
func (e *env) attachment(claim *core.Record, name string) []byte {
	e.tb.Helper()
	fs, err := e.app.NewFilesystem()
	if err != nil {
		e.tb.Fatal(err)
	}
	defer fs.Close()
	r, err := fs.GetReader(claim.BaseFilesPath() + "/" + name)
	if err != nil {
		e.tb.Fatal(err)
	}
	defer r.Close()
	b, err := io.ReadAll(r)
	if err != nil {
		e.tb.Fatal(err)
	}
	return b
}

// A student files a claim through the whole dialog: title, description,
// a photo, an image file and a PDF, then Send. One pending claim exists
// with three protected attachments holding the bytes sent; a second tap of
// Send is told the claim was sent and files nothing more.
func TestClaimDialogFilesAClaim(t *testing.T) {
	e := setup(t)
	u := e.user(7001, "ru")
	k := e.convo(t, telegramtest.User{ID: 7001, FirstName: "S"})
	m := k.menu()

	answer, out := k.pressData(m, bot.CBClaims)
	if answer != "" || !strings.HasPrefix(k.last(out), "🏅 У вас пока нет заявок.") {
		t.Fatalf("empty list: %q %q", answer, k.last(out))
	}
	_, _, out = k.press("➕ Новая заявка")
	if !strings.HasPrefix(k.last(out), "📝 Новая заявка.") || !slices.Equal(labels(out[len(out)-1]), []string{"✖️ Отменить"}) {
		t.Fatalf("title question: %q %v", k.last(out), labels(out[len(out)-1]))
	}
	out = k.send("Победа в хакатоне")
	if !strings.HasPrefix(k.last(out), "Расскажите подробнее про «Победа в хакатоне»") {
		t.Fatalf("description question: %q", k.last(out))
	}
	out = k.send("Первое место на ITMO Hack,\nкоманда из трёх человек.")
	if !strings.HasPrefix(k.last(out), "📎 Пришлите подтверждения: до 5 фото или файлов") {
		t.Fatalf("files question: %q", k.last(out))
	}
	photo, img := jpegBytes(t, 1), pngBytes(t, 2)
	if got := k.last(k.photo(photo)); got != "📎 Приложено 1 из 5. Пришлите ещё или нажмите «Отправить»." {
		t.Fatalf("photo: %q", got)
	}
	k.document("diploma.png", "image/png", img)
	if got := k.last(k.document("diploma.pdf", "application/pdf", pdfBytes)); got != "📎 Приложено 3 из 5. Пришлите ещё или нажмите «Отправить»." {
		t.Fatalf("pdf: %q", got)
	}
	if n := len(e.claimsOf(u.Id)); n != 0 {
		t.Fatalf("%d claims before Send", n)
	}

	data, answer, out := k.press("✅ Отправить")
	if got := k.last(out); got != "✅ Заявка «Победа в хакатоне» отправлена на проверку (3 файла). Мы сообщим о решении." {
		t.Fatalf("sent: %q", got)
	}
	list := e.claimsOf(u.Id)
	if len(list) != 1 {
		t.Fatalf("%d claims", len(list))
	}
	c := list[0]
	if c.GetString("title") != "Победа в хакатоне" || c.GetString("description") != "Первое место на ITMO Hack,\nкоманда из трёх человек." || c.GetString("status") != "pending" {
		t.Errorf("claim: %q %q %q", c.GetString("title"), c.GetString("description"), c.GetString("status"))
	}
	files := c.GetStringSlice("attachments")
	if len(files) != 3 {
		t.Fatalf("attachments: %v", files)
	}
	for i, want := range [][]byte{photo, img, pdfBytes} {
		if !bytes.Equal(e.attachment(c, files[i]), want) {
			t.Errorf("attachment %d (%s) differs from what was sent", i+1, files[i])
		}
	}
	if f, _ := c.Collection().Fields.GetByName("attachments").(*core.FileField); f == nil || !f.Protected {
		t.Error("attachments must be protected files")
	}

	// a double tap: the second press files nothing and says why
	answer, out = k.pressData(out[len(out)-1].MessageID, data)
	if answer != "Эта заявка уже отправлена." || len(out) != 0 {
		t.Errorf("second Send: %q %v", answer, out)
	}
	if n := len(e.claimsOf(u.Id)); n != 1 {
		t.Errorf("%d claims after a double tap", n)
	}
	_, _, out = k.press("🏅 Мои заявки")
	if got := k.last(out); !strings.Contains(got, "1. «Победа в хакатоне» (") || !strings.Contains(got, "— ⏳ на рассмотрении") {
		t.Errorf("list after sending: %q", got)
	}
}

// The limits of the attachments field hold in the dialog, each refusal
// says what is wrong, and nothing is lost: a sixth file, a text file, a
// file over 10 MB, the same photo twice, a photo before the title, text
// where a file is expected. A file claiming to be a PDF that is not one is
// caught when the claim is sent, named, and dropped; Send then files the
// rest.
func TestClaimAttachmentRefusals(t *testing.T) {
	e := setup(t)
	u := e.user(7002, "ru")
	k := e.convo(t, telegramtest.User{ID: 7002, FirstName: "S"})
	m := k.menu()
	k.pressData(m, bot.CBClaims+":new")

	if got := k.photo(jpegBytes(t, 9)); !strings.HasPrefix(got[0].Text(), "Сейчас нужен текст, а файлы — чуть позже.") || !strings.HasPrefix(k.last(got), "📝 Новая заявка.") {
		t.Fatalf("photo before the title: %v", got)
	}
	if got := k.last(k.send(strings.Repeat("я", 201))); !strings.HasPrefix(got, "📝 Новая заявка.") {
		t.Fatalf("a long title: %q", got)
	}
	k.send("Сертификат")
	_, _, out := k.press("⏭ Пропустить")
	if !strings.HasPrefix(k.last(out), "📎 Пришлите подтверждения") {
		t.Fatalf("skip: %q", k.last(out))
	}
	if got := k.last(k.send("вот")); got != "Пришлите фото или PDF-файл — или нажмите «Отправить», если всё приложено." {
		t.Errorf("text at the files step: %q", got)
	}
	if got := k.last(k.document("notes.txt", "text/plain", []byte("hello"))); got != "Этот файл не подходит: принимаются изображения (JPEG, PNG, WebP, GIF) и PDF." {
		t.Errorf("text file: %q", got)
	}
	if got := k.last(k.document("scan.pdf", "application/pdf", append(append([]byte{}, pdfBytes...), make([]byte, 10<<20)...))); got != "Файл слишком большой: можно до 10 МБ." {
		t.Errorf("11 MB: %q", got)
	}
	id, fileID := e.fake.Photo(k.who, "", jpegBytes(t, 3))
	k.handle(id)
	// the same Telegram file forwarded again (the fake numbers a file's
	// unique id as its file id)
	again := e.fake.MessageUpdate(k.who, map[string]any{"photo": []map[string]any{
		{"file_id": fileID, "file_unique_id": "U" + strings.TrimPrefix(fileID, "FILE"), "width": 800, "height": 800}}})
	if got := k.last(k.handle(e.fake.Push(again))); got != "Этот файл уже приложен." {
		t.Errorf("same photo twice: %q", got)
	}
	k.photo(jpegBytes(t, 4))
	k.document("scan.png", "image/png", pngBytes(t, 4))
	k.document("fake.pdf", "application/pdf", []byte("this is not a PDF at all"))
	if got := k.last(k.photo(jpegBytes(t, 5))); got != "📎 Приложено 5 из 5. Пришлите ещё или нажмите «Отправить»." {
		t.Fatalf("fifth: %q", got)
	}
	if got := k.last(k.photo(jpegBytes(t, 6))); got != "Можно приложить не больше 5 файлов. Нажмите «Отправить» или «Отменить»." {
		t.Errorf("sixth: %q", got)
	}

	_, _, out = k.press("✅ Отправить")
	if got := k.last(out); !strings.HasPrefix(got, "Файл 4 не принят. Этот файл не подходит") || !strings.Contains(got, "приложено: 4") {
		t.Fatalf("fake PDF at Send: %q", got)
	}
	if n := len(e.claimsOf(u.Id)); n != 0 {
		t.Fatalf("%d claims filed with a bad file", n)
	}
	_, _, out = k.press("✅ Отправить")
	if got := k.last(out); got != "✅ Заявка «Сертификат» отправлена на проверку (4 файла). Мы сообщим о решении." {
		t.Fatalf("sent: %q", got)
	}
	list := e.claimsOf(u.Id)
	if len(list) != 1 || len(list[0].GetStringSlice("attachments")) != 4 || list[0].GetString("description") != "" {
		t.Fatalf("claims: %v", list)
	}
}

// The draft lives in the database: a new bot on the same app (a restart)
// between any two steps goes on where the student was.
func TestClaimDialogSurvivesRestart(t *testing.T) {
	e := setup(t)
	u := e.user(7003, "ru")
	k := e.convo(t, telegramtest.User{ID: 7003, FirstName: "S"})
	m := k.menu()
	k.pressData(m, bot.CBClaims+":new")
	k.send("Выступление на DevFest")
	k.restart()
	if got := k.last(k.send("Доклад про Go")); !strings.HasPrefix(got, "📎 Пришлите подтверждения") {
		t.Fatalf("after a restart: %q", got)
	}
	k.photo(jpegBytes(t, 7))
	k.restart()
	k.press("✅ Отправить")
	list := e.claimsOf(u.Id)
	if len(list) != 1 || list[0].GetString("title") != "Выступление на DevFest" || list[0].GetString("description") != "Доклад про Go" ||
		len(list[0].GetStringSlice("attachments")) != 1 {
		t.Fatalf("claims: %v", list)
	}
}

// Cancel leaves no claim; the draft's buttons are stale afterwards (told
// so, changing nothing), and a new claim starts from the title.
func TestClaimCancelLeavesNothing(t *testing.T) {
	e := setup(t)
	u := e.user(7004, "ru")
	k := e.convo(t, telegramtest.User{ID: 7004, FirstName: "S"})
	m := k.menu()
	k.pressData(m, bot.CBClaims+":new")
	// a double tap of New claim goes on with the same draft
	answer, out := k.pressData(m, bot.CBClaims+":new")
	if answer != "Продолжаем незаконченную заявку." || !strings.HasPrefix(k.last(out), "📝 Новая заявка.") {
		t.Fatalf("second New claim: %q %q", answer, k.last(out))
	}
	k.send("Хакатон")
	k.send("Описание")
	k.photo(jpegBytes(t, 8))
	cancel, _, out := k.press("✖️ Отменить")
	if got := k.last(out); got != "Заявка отменена, ничего не отправлено." {
		t.Fatalf("cancel: %q", got)
	}
	if n := len(e.claimsOf(u.Id)); n != 0 {
		t.Fatalf("%d claims after cancel", n)
	}
	done := strings.Replace(cancel, ":cancel:", ":done:", 1)
	for _, data := range []string{done, cancel, strings.Replace(cancel, ":cancel:", ":skip:", 1)} {
		if answer, out := k.pressData(m, data); answer != "Эта форма заявки уже закрыта." || len(out) != 0 {
			t.Errorf("%s after cancel: %q %v", data, answer, out)
		}
	}
	if got := k.last(k.photo(jpegBytes(t, 9))); !strings.HasPrefix(got, "Я получил файл, но сейчас его не жду.") {
		t.Errorf("photo after cancel: %q", got)
	}
	if got := k.last(k.send("Хакатон")); got != "Я не понял сообщение. Откройте /menu или напишите /help." {
		t.Errorf("text after cancel: %q", got)
	}
	_, out = k.pressData(m, bot.CBClaims+":new")
	if !strings.HasPrefix(k.last(out), "📝 Новая заявка.") {
		t.Errorf("new claim after cancel: %q", k.last(out))
	}
	if n := len(e.claimsOf(u.Id)); n != 0 {
		t.Fatalf("%d claims", n)
	}
}

// The list shows the student's own claims only, with
// status, points of an approved one and the reason of a rejected one, in
// the student's language; an open draft is offered to go on with.
func TestOwnClaimsListed(t *testing.T) {
	e := setup(t)
	ru, en := e.user(7005, "ru"), e.user(7006, "en")
	col, _ := e.app.FindCollectionByNameOrId("claims")
	file := func(user, title string) *core.Record {
		c := core.NewRecord(col)
		c.Set("user", user)
		c.Set("title", title)
		if err := e.app.Save(c); err != nil {
			t.Fatal(err)
		}
		return c
	}
	for _, user := range []string{ru.Id, en.Id} {
		file(user, "Pending one")
		ok := file(user, "Approved one")
		ok.Set("status", "approved")
		ok.Set("points", 15)
		if err := e.app.Save(ok); err != nil {
			t.Fatal(err)
		}
		no := file(user, "Rejected one")
		no.Set("status", "rejected")
		no.Set("review_note", "no proof")
		if err := e.app.Save(no); err != nil {
			t.Fatal(err)
		}
	}
	file(e.w.Student2, "Someone else's")

	k := e.convo(t, telegramtest.User{ID: 7005, FirstName: "S"})
	m := k.menu()
	_, out := k.pressData(m, bot.CBClaims)
	got := k.last(out)
	for _, want := range []string{"🏅 Ваши заявки:", "«Rejected one»", "— ❌ отклонена\n    💬 no proof", "«Approved one»", "— ✅ одобрена, +15 баллов", "«Pending one»", "— ⏳ на рассмотрении"} {
		if !strings.Contains(got, want) {
			t.Errorf("list lacks %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "Someone else's") {
		t.Errorf("list:\n%s", got)
	}
	k.pressData(m, bot.CBClaims+":new")
	k.send("Draft title")
	_, out = k.pressData(m, bot.CBClaims)
	if got := k.last(out); !strings.HasSuffix(got, "✏️ У вас есть незаконченная заявка «Draft title».") ||
		!slices.Equal(labels(out[len(out)-1]), []string{"✏️ Продолжить", "✖️ Отменить", "🏠 Меню"}) {
		t.Errorf("list with a draft: %q %v", got, labels(out[len(out)-1]))
	}

	k = e.convo(t, telegramtest.User{ID: 7006, FirstName: "E", LanguageCode: "ru"}) // the stored language wins
	m = k.menu()
	_, out = k.pressData(m, bot.CBClaims)
	got = k.last(out)
	for _, want := range []string{"🏅 Your claims:", "— ❌ rejected\n    💬 no proof", "— ✅ approved, +15 points", "— ⏳ under review"} {
		if !strings.Contains(got, want) {
			t.Errorf("English list lacks %q:\n%s", want, got)
		}
	}
	if labels(out[len(out)-1])[0] != "➕ New claim" {
		t.Errorf("English buttons: %v", labels(out[len(out)-1]))
	}
}

// An English student files a claim in English.
func TestClaimDialogInEnglish(t *testing.T) {
	e := setup(t)
	e.user(7007, "en")
	k := e.convo(t, telegramtest.User{ID: 7007, FirstName: "E"})
	m := k.menu()
	_, out := k.pressData(m, bot.CBClaims+":new")
	if !strings.HasPrefix(k.last(out), "📝 New claim. What is the achievement?") {
		t.Fatalf("title: %q", k.last(out))
	}
	k.send("Hackathon win")
	_, _, out = k.press("⏭ Skip")
	if !strings.HasPrefix(k.last(out), "📎 Send the evidence: up to 5 photos or files (images or PDF, up to 10 MB each).") {
		t.Fatalf("files: %q", k.last(out))
	}
	if got := k.last(k.document("a.docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document", []byte("PK\x03\x04"))); got != "This file type is not accepted: send images (JPEG, PNG, WebP, GIF) or PDF." {
		t.Errorf("docx: %q", got)
	}
	_, _, out = k.press("✅ Send")
	if got := k.last(out); got != "✅ Your claim “Hackathon win” was sent for review. We will tell you the decision." {
		t.Errorf("sent: %q", got)
	}
}

// Random data on the claims, profile and verification buttons never
// fails the handler and never changes a record.
func FuzzScreenButtons(f *testing.F) {
	for _, s := range []string{"claims", "claims:", "claims:new", "claims:done:abc", "claims:cancel:", "claims:skip:x:y",
		"profile:u:", "profile:u:zzzzzzzzzzzzzzz", "profile:top", "profile:me:1", "verify:send", "verify:cancel", "verify:\xff", "profile:U:A"} {
		f.Add(s)
	}
	e := setup(f)
	var id int64 = 1
	f.Fuzz(func(t *testing.T, data string) {
		id++
		u := bot.Update{ID: id, CallbackQuery: &bot.Callback{ID: "cb", Data: data,
			From:    bot.User{ID: 1001, FirstName: "A"},
			Message: &bot.Message{ID: 1, Chat: bot.Chat{ID: 1001, Type: "private"}}}}
		before := e.snapshot(t)
		if err := e.bot.Handle(context.Background(), u); err != nil {
			t.Fatalf("%q: %v", data, err)
		}
		if after := e.snapshot(t); after != before {
			t.Fatalf("%q changed records:\nbefore %s\nafter  %s", data, before, after)
		}
		for _, m := range e.fake.Messages(1001) {
			if m.Text() == "Что-то пошло не так. Попробуйте ещё раз чуть позже." {
				t.Fatalf("%q failed the handler", data)
			}
		}
	})
}

// End to end: a claim filed with a photo is approved by a reviewer, and
// the student hears the decision and the points from the sender.
func TestFiledClaimDecisionIsNotified(t *testing.T) {
	e := setup(t)
	u := e.user(7008, "ru")
	k := e.convo(t, telegramtest.User{ID: 7008, FirstName: "S"})
	m := k.menu()
	k.pressData(m, bot.CBClaims+":new")
	k.send("Статья на Хабре")
	k.send("Про конкурентность в Go")
	k.photo(jpegBytes(t, 30))
	k.press("✅ Отправить")
	list := e.claimsOf(u.Id)
	if len(list) != 1 {
		t.Fatalf("%d claims", len(list))
	}
	claim := list[0]
	claim.Set("status", "approved")
	claim.Set("points", 25)
	if err := e.app.Save(claim); err != nil {
		t.Fatal(err)
	}
	before := len(e.fake.Messages(7008))
	e.drain()
	var got []string
	for _, c := range e.fake.Messages(7008)[before:] {
		got = append(got, c.Text())
	}
	if !slices.Contains(got, "✅ Заявка «Статья на Хабре» одобрена: +25 баллов.") {
		t.Errorf("notifications: %q", got)
	}
	_, out := k.pressData(m, bot.CBClaims)
	if text := k.last(out); !strings.Contains(text, "«Статья на Хабре»") || !strings.Contains(text, "— ✅ одобрена, +25 баллов") {
		t.Errorf("list: %q", text)
	}
}

// A save the schema refuses (here: the attachments limit was lowered while
// the draft was open) is explained, files nothing, and keeps the draft.
func TestClaimRefusalIsExplained(t *testing.T) {
	e := setup(t)
	u := e.user(7009, "ru")
	k := e.convo(t, telegramtest.User{ID: 7009, FirstName: "S"})
	m := k.menu()
	k.pressData(m, bot.CBClaims+":new")
	k.send("Три диплома")
	data, _, _ := k.press("⏭ Пропустить")
	// a double tap of Skip skips once and asks nothing again
	if answer, out := k.pressData(m, data); answer != "" || len(out) != 0 {
		t.Errorf("second Skip: %q %v", answer, out)
	}
	for i := range 3 {
		k.photo(jpegBytes(t, uint8(40+i)))
	}
	col, err := e.app.FindCollectionByNameOrId("claims")
	if err != nil {
		t.Fatal(err)
	}
	col.Fields.GetByName("attachments").(*core.FileField).MaxSelect = 2
	if err := e.app.Save(col); err != nil {
		t.Fatal(err)
	}
	_, _, out := k.press("✅ Отправить")
	if got := k.last(out); !strings.HasPrefix(got, "Заявку не удалось отправить: ") || !strings.Contains(got, "attachments") ||
		!slices.Equal(labels(out[len(out)-1]), []string{"✅ Отправить", "✖️ Отменить"}) {
		t.Errorf("refusal: %q %v", got, labels(out[len(out)-1]))
	}
	if n := len(e.claimsOf(u.Id)); n != 0 {
		t.Errorf("%d claims", n)
	}
	_, out = k.pressData(m, bot.CBClaims)
	if got := k.last(out); !strings.Contains(got, "незаконченная заявка «Три диплома»") {
		t.Errorf("the draft is gone: %q", got)
	}
}

// Files are fetched from Telegram with no transaction open: while the bot
// downloads a claim's attachments, the rest of the app can still write
// (the database has one writer; a download inside the update's
// transaction would hold it for as long as Telegram takes).
func TestClaimFilesFetchedOutsideTransaction(t *testing.T) {
	e := setup(t)
	u := e.user(7002, "ru")
	k := e.convo(t, telegramtest.User{ID: 7002, FirstName: "S"})
	m := k.menu()
	k.pressData(m, bot.CBClaims)
	k.press("➕ Новая заявка")
	k.send("Хакатон")
	k.send("Первое место")
	k.photo(jpegBytes(t, 3))
	k.photo(jpegBytes(t, 4))

	var writes, blocked atomic.Int32
	e.fake.Inject(func(c telegramtest.Call) *telegramtest.Fault {
		if c.Method != "getFile" {
			return nil
		}
		done := make(chan error, 1)
		go func() {
			done <- e.app.RunInTransaction(func(tx core.App) error {
				_, err := tx.DB().NewQuery("UPDATE users SET updated = updated WHERE id = {:id}").Bind(dbx.Params{"id": u.Id}).Execute()
				return err
			})
		}()
		select {
		case err := <-done:
			if err != nil {
				t.Errorf("write during a download: %v", err)
			}
			writes.Add(1)
		case <-time.After(10 * time.Second):
			blocked.Add(1) // the bot holds the writer while it downloads
		}
		return nil
	})
	defer e.fake.Inject(nil)
	_, _, out := k.press("✅ Отправить")
	if !strings.HasPrefix(k.last(out), "✅ Заявка «Хакатон» отправлена") {
		t.Fatalf("sent: %q", k.last(out))
	}
	if blocked.Load() != 0 || writes.Load() != 2 {
		t.Fatalf("%d writes went through during the 2 downloads, %d waited for the bot", writes.Load(), blocked.Load())
	}
	if c := e.claimsOf(u.Id); len(c) != 1 || len(c[0].GetStringSlice("attachments")) != 2 {
		t.Fatalf("claims: %v", c)
	}
}
