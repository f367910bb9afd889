package bot_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/bot"
	"questbase/bot/telegramtest"
)

// fresh reads a user as stored now.
func (e *env) fresh(id string) *core.Record {
	e.tb.Helper()
	u, err := e.app.FindRecordById("users", id)
	if err != nil {
		e.tb.Fatal(err)
	}
	return u
}

// pendingNotices counts a student's "photo received" notifications.
func (e *env) pendingNotices(user string) int {
	var n int
	e.app.DB().NewQuery("SELECT COUNT(*) FROM outbox WHERE user = {:u} AND kind = 'verification_pending'").Bind(dbx.Params{"u": user}).Row(&n)
	return n
}

// A verification photo sent after "Send a photo" is stored on the student
// and makes the status pending; after an approval a new photo makes it
// pending again. A double tap of "Send a photo" asks once for one photo.
func TestVerificationPhotoSetsPending(t *testing.T) {
	e := setup(t)
	u := e.user(7201, "ru")
	k := e.convo(t, telegramtest.User{ID: 7201, FirstName: "S"})
	k.menu()
	_, _, out := k.press("🪪 Подтверждение профиля")
	if got := k.last(out); got != "🪪 Подтверждение профиля\nСтатус: не пройдено\n\nПришлите фото, на котором видны ваше лицо и студенческий билет. Его увидят только проверяющие." ||
		!slices.Equal(labels(out[len(out)-1]), []string{"📷 Отправить фото", "🏠 Меню"}) {
		t.Fatalf("screen: %q %v", got, labels(out[len(out)-1]))
	}
	data, _, out := k.press("📷 Отправить фото")
	if got := k.last(out); !strings.HasPrefix(got, "📷 Пришлите одно фото, на котором видны ваше лицо и студенческий билет") || !strings.HasSuffix(got, "до 5 МБ.") {
		t.Fatalf("ask: %q", got)
	}
	if answer, again := k.pressData(out[len(out)-1].MessageID, data); answer != "" || len(again) != 1 || again[0].Method != "editMessageText" {
		t.Errorf("second tap: %q %v", answer, again)
	}

	out = k.photo(jpegBytes(t, 20))
	got := e.fresh(u.Id)
	if got.GetString("verification_status") != "pending" || got.GetString("verification_photo") == "" {
		t.Fatalf("after the photo: %q %q", got.GetString("verification_status"), got.GetString("verification_photo"))
	}
	if text := k.last(out); !strings.HasPrefix(text, "🪪 Подтверждение профиля\nСтатус: ⏳ на проверке") ||
		!slices.Equal(labels(out[len(out)-1]), []string{"📷 Прислать новое фото", "🏠 Меню"}) {
		t.Errorf("after the photo: %q %v", text, labels(out[len(out)-1]))
	}
	if n := e.pendingNotices(u.Id); n != 1 {
		t.Errorf("%d pending notifications", n)
	}
	// the bot no longer waits: another photo is not a verification photo
	first := got.GetString("verification_photo")
	if text := k.last(k.photo(jpegBytes(t, 21))); !strings.HasPrefix(text, "Я получил файл, но сейчас его не жду.") {
		t.Errorf("stray photo: %q", text)
	}
	if e.fresh(u.Id).GetString("verification_photo") != first {
		t.Error("a stray photo replaced the verification photo")
	}

	// a reviewer approves; a new photo sends the profile back to review
	got.Set("verification_status", "approved")
	if err := e.app.Save(got); err != nil {
		t.Fatal(err)
	}
	_, out = k.pressData(out[len(out)-1].MessageID, bot.CBVerification)
	if text := k.last(out); !strings.HasPrefix(text, "🪪 Подтверждение профиля\nСтатус: ✅ профиль подтверждён\n\nВсё готово.") {
		t.Errorf("approved: %q", text)
	}
	k.press("📷 Прислать новое фото")
	k.photo(jpegBytes(t, 22))
	got = e.fresh(u.Id)
	if got.GetString("verification_status") != "pending" || got.GetString("verification_photo") == first {
		t.Errorf("a new photo after the approval: %q %q", got.GetString("verification_status"), got.GetString("verification_photo"))
	}
	if n := e.pendingNotices(u.Id); n != 2 {
		t.Errorf("%d pending notifications, want 2", n)
	}
}

// Whatever else arrives while the bot waits for the photo is answered and
// changes nothing: text, a PDF, an image over the field's 5 MB, a file
// that says it is a PNG and is not. Cancel stops the waiting.
func TestVerificationRefusals(t *testing.T) {
	e := setup(t)
	u := e.user(7202, "ru")
	k := e.convo(t, telegramtest.User{ID: 7202, FirstName: "S"})
	m := k.menu()
	k.pressData(m, bot.CBVerification+":send")
	for _, c := range []struct {
		what string
		send func() []telegramtest.Call
		want string
	}{
		{"text", func() []telegramtest.Call { return k.send("вот фото") }, "Жду фото с лицом и студенческим билетом. Передумали — нажмите «Отменить»."},
		{"pdf", func() []telegramtest.Call { return k.document("id.pdf", "application/pdf", pdfBytes) }, "Нужна фотография (JPEG, PNG, WebP или GIF)."},
		{"6 MB", func() []telegramtest.Call {
			return k.document("big.png", "image/png", append(pngBytes(t, 1), make([]byte, 6<<20)...))
		}, "Фото слишком большое: можно до 5 МБ."},
		{"not a png", func() []telegramtest.Call {
			return k.document("id.png", "image/png", []byte("plain text, not an image"))
		}, "Нужна фотография (JPEG, PNG, WebP или GIF)."},
	} {
		out := c.send()
		if got := k.last(out); got != c.want || !slices.Equal(labels(out[len(out)-1]), []string{"✖️ Отменить"}) {
			t.Errorf("%s: %q %v", c.what, got, labels(out[len(out)-1]))
		}
	}
	if got := e.fresh(u.Id); got.GetString("verification_photo") != "" || got.GetString("verification_status") == "pending" {
		t.Fatalf("refused input changed the user: %q %q", got.GetString("verification_photo"), got.GetString("verification_status"))
	}

	answer, out := k.pressData(m, bot.CBVerification+":cancel")
	if answer != "Хорошо, фото не отправлено." || !strings.HasPrefix(k.last(out), "🪪 Подтверждение профиля") {
		t.Errorf("cancel: %q %q", answer, k.last(out))
	}
	if answer, _ := k.pressData(m, bot.CBVerification+":cancel"); answer != "" {
		t.Errorf("second cancel: %q", answer)
	}
	k.photo(jpegBytes(t, 23))
	if got := e.fresh(u.Id); got.GetString("verification_photo") != "" {
		t.Error("a photo after cancel was taken for verification")
	}
	if answer, _ := k.pressData(m, bot.CBVerification+":bogus"); answer != "Эта кнопка устарела. Вот актуальное меню." {
		t.Errorf("unknown button: %q", answer)
	}
}

// A student with a claim draft open who presses "Send a photo" has the
// next photo taken for verification, and the following ones for the claim.
func TestVerificationDuringClaimDraft(t *testing.T) {
	e := setup(t)
	u := e.user(7203, "ru")
	k := e.convo(t, telegramtest.User{ID: 7203, FirstName: "S"})
	m := k.menu()
	k.pressData(m, bot.CBClaims+":new")
	k.send("Олимпиада")
	k.press("⏭ Пропустить")
	k.pressData(m, bot.CBVerification+":send")
	k.photo(jpegBytes(t, 24))
	if got := e.fresh(u.Id).GetString("verification_status"); got != "pending" {
		t.Fatalf("verification: %q", got)
	}
	if got := k.last(k.photo(jpegBytes(t, 25))); got != "📎 Приложено 1 из 5. Пришлите ещё или нажмите «Отправить»." {
		t.Fatalf("claim attachment: %q", got)
	}
	k.press("✅ Отправить")
	if list := e.claimsOf(u.Id); len(list) != 1 || len(list[0].GetStringSlice("attachments")) != 1 {
		t.Fatalf("claims: %v", list)
	}
}

// An English student verifies in English.
func TestVerificationInEnglish(t *testing.T) {
	e := setup(t)
	u := e.user(7204, "en")
	k := e.convo(t, telegramtest.User{ID: 7204, FirstName: "E"})
	k.menu()
	_, _, out := k.press("🪪 Verification")
	if got := k.last(out); !strings.HasPrefix(got, "🪪 Profile verification\nStatus: not verified\n\nSend a photo showing your face and your student ID.") {
		t.Fatalf("screen: %q", got)
	}
	k.press("📷 Send a photo")
	if got := k.last(k.send("hello")); got != "I am waiting for a photo with your face and student ID. Changed your mind? Press “Cancel”." {
		t.Errorf("text: %q", got)
	}
	out = k.photo(jpegBytes(t, 26))
	if got := k.last(out); !strings.HasPrefix(got, "🪪 Profile verification\nStatus: ⏳ under review") {
		t.Errorf("after the photo: %q", got)
	}
	if e.fresh(u.Id).GetString("verification_status") != "pending" {
		t.Error("not pending")
	}
}
