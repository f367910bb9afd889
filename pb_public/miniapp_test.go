package pbpublic_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/makiuchi-d/gozxing"
	qrreader "github.com/makiuchi-d/gozxing/qrcode"

	"questbase/bot/telegramtest"
	"questbase/hooks/miniapp"
)

// telegramIDs hands out Telegram user ids no other test uses.
func telegramID() int64 { return 7_000_000 + seq.Add(1) }

// linkTelegram gives a user the Telegram id the bot's /start would have saved.
func linkTelegram(su *client, userID string) int64 {
	id := telegramID()
	su.update("users", userID, record{"telegram_id": id})
	return id
}

// launchHash is the fragment Telegram opens a Mini App with: initData of
// the user signed for the bot with token, and the client's parameters.
func launchHash(token string, telegramID int64, edit func(url.Values)) string {
	return launchHashIn("ru", token, telegramID, edit)
}

// launchHashIn is launchHash for a Telegram user whose language is lang.
func launchHashIn(lang, token string, telegramID int64, edit func(url.Values)) string {
	fields := url.Values{
		"query_id":  {"AAHdF6IQAAAAAN0XohDhrOrc"},
		"user":      {fmt.Sprintf(`{"id":%d,"first_name":"Анна","language_code":%q}`, telegramID, lang)},
		"auth_date": {strconv.FormatInt(time.Now().Unix(), 10)},
	}
	fields.Set("hash", miniapp.Sign(fields, token))
	if edit != nil {
		edit(fields)
	}
	return "#tgWebAppData=" + url.QueryEscape(fields.Encode()) + "&tgWebAppVersion=7.0&tgWebAppPlatform=android"
}

// launch opens path as a new document, as Telegram does each time the
// Mini App opens (a bare hash change would only fire hashchange).
func launch(p *page, path string) {
	p.t.Helper()
	p.do(chromedp.Navigate("about:blank"), chromedp.Navigate(p.base+path))
}

// liveCode is the code of the live QR shown for a registration ("" while none).
func liveCode(p *page, registration string) string {
	return eval[string](p, fmt.Sprintf(`document.querySelector('.ticket[data-registration=%q] img.qr')?.dataset.code || ""`, registration))
}

// waitNewCode waits until the page shows a code other than those seen.
func waitNewCode(p *page, registration string, seen ...string) string {
	p.t.Helper()
	bad, _ := json.Marshal(seen)
	p.wait("a new live code", fmt.Sprintf(`(() => { const c = document.querySelector('.ticket[data-registration=%q] img.qr')?.dataset.code; return !!c && !%s.includes(c) })()`, registration, bad), 4*ticketWindow+10*time.Second)
	return liveCode(p, registration)
}

// shownQR decodes the QR image on the page, as a door scanner would.
func shownQR(t *testing.T, p *page, registration string) string {
	t.Helper()
	src := eval[string](p, fmt.Sprintf(`document.querySelector('.ticket[data-registration=%q] img.qr').src`, registration))
	raw, err := base64.StdEncoding.DecodeString(strings.TrimPrefix(src, "data:image/png;base64,"))
	if err != nil {
		t.Fatalf("the QR is not a PNG data URL: %.40s", src)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrreader.NewQRCodeReader().Decode(bmp, nil)
	if err != nil {
		t.Fatalf("the QR on screen does not read: %v", err)
	}
	return res.GetText()
}

// A student opens the Mini App from the bot: they are signed in by
// Telegram's data alone and see their ticket as a QR code that changes
// every window; the door accepts the current code and refuses one two
// windows old. Their profile and the leaderboard show their points.
func TestMiniAppStudentTicketProfileLeaderboard(t *testing.T) {
	a := server(t)
	w := seedMeetup(t, a)
	tgID := linkTelegram(w.su, w.student)
	course := w.su.create("courses", record{"title": unique("Курс Go "), "status": "published", "ends_on": pbTime(time.Now().AddDate(0, 2, 0))})["id"].(string)
	enrollment := w.su.create("enrollments", record{"course": course, "user": w.student, "status": "enrolled"})["id"].(string)
	p := newBrowser(t, a, browserOpts{})

	launch(p, "/app/"+launchHash(telegramtest.Token, tgID, nil))
	if who := p.text("#signed-in-as"); who != "Анна Студентова" {
		t.Errorf("signed in as %q", who)
	}
	ticket := fmt.Sprintf(`.ticket[data-registration=%q] img.qr`, w.registration)
	p.waitFor(ticket)
	if title := p.text(fmt.Sprintf(`.ticket[data-registration=%q] .ticket-title`, w.registration)); title != w.title {
		t.Errorf("ticket for %q, want %q", title, w.title)
	}
	if h := eval[string](p, `location.hash`); strings.Contains(h, "tgWebAppData") {
		t.Errorf("the Telegram data stays in the address: %s", h)
	}
	if eval[bool](p, `!!document.querySelector("#scanner-link")`) {
		t.Error("a student is offered the scanner")
	}
	p.shot("ticket")
	p.wait("the course's ticket", fmt.Sprintf(`document.querySelector('.ticket[data-enrollment=%q] img.qr')?.dataset.code.startsWith("EL")`, enrollment), 10*time.Second)

	code1 := liveCode(p, w.registration)
	if !strings.HasPrefix(code1, "RL") {
		t.Fatalf("the QR shows %q, not a live registration code", code1)
	}
	if got := shownQR(t, p, w.registration); got != code1 {
		t.Errorf("the QR image reads %q, the page says %q", got, code1)
	}

	// the code rotates by itself; two windows on, the first one is refused at the door
	code2 := waitNewCode(p, w.registration, code1)
	waitNewCode(p, w.registration, code1, code2)
	status, raw := w.org.call("POST", "/api/checkin", record{"code": code1, "meetup": w.meetup})
	if status != 400 || !strings.Contains(string(raw), `"expired"`) {
		t.Errorf("a screenshot's code two windows old: %d %s, want 400 expired", status, raw)
	}
	now := liveCode(p, w.registration)
	res := w.org.mustJSON("POST", "/api/checkin", record{"code": now, "meetup": w.meetup}, 200)
	if res["result"] != "checked_in" || res["method"] != "rotating_qr" {
		t.Errorf("check-in with the code on screen: %v", res)
	}

	w.su.create("points", record{"user": w.student, "amount": 140, "reason": "correction", "ref": unique("bonus"), "note": "hackathon help"})
	user := w.su.get("users", w.student)
	p.click("#tab-profile")
	p.wait("profile numbers", fmt.Sprintf(`document.querySelector("#profile-points")?.innerText === "%v" && document.querySelector("#profile-level")?.innerText === "%v"`, user["points"], user["level"]), 10*time.Second)
	if user["points"].(float64) != 150 {
		t.Errorf("points %v after a 10-point check-in and a 140-point correction", user["points"])
	}
	if rank := p.text("#profile-rank"); rank == "—" || rank == "" {
		t.Errorf("no rank shown: %q", rank)
	}
	if !eval[bool](p, `document.querySelector("#profile-progress") !== null`) {
		t.Error("no progress to the next level")
	}
	p.shot("profile")

	p.click("#tab-top")
	p.waitFor(fmt.Sprintf(`#leaderboard tr.me[data-user=%q]`, w.student))
	if pts := p.text(fmt.Sprintf(`#leaderboard tr.me[data-user=%q] td:last-child`, w.student)); pts != "150" {
		t.Errorf("leaderboard shows %q points for the student", pts)
	}
	p.shot("leaderboard")

	// a reload has no Telegram data: the session goes on
	p.do(chromedpReload())
	p.waitFor("#signed-in-as")
}

// An English-speaking student sees the Mini App in English: its texts come
// from the students' catalogue in their Telegram language.
func TestMiniAppSpeaksTheStudentsLanguage(t *testing.T) {
	a := server(t)
	w := seedMeetup(t, a)
	tgID := linkTelegram(w.su, w.student)
	p := newBrowser(t, a, browserOpts{})

	launch(p, "/app/"+launchHashIn("en", telegramtest.Token, tgID, nil))
	p.waitFor(fmt.Sprintf(`.ticket[data-registration=%q] img.qr`, w.registration))
	if got := p.text("#tab-tickets") + "|" + p.text("#tab-profile") + "|" + p.text("#tab-top"); got != "Tickets|Profile|Leaderboard" {
		t.Errorf("tabs: %q", got)
	}
	if got := p.text("#tickets-title"); got != "My tickets" {
		t.Errorf("title: %q", got)
	}
	if lang := eval[string](p, `document.documentElement.lang`); lang != "en" {
		t.Errorf("page language %q", lang)
	}

	// a Russian-speaking student, the default
	q := newBrowser(t, a, browserOpts{})
	launch(q, "/app/"+launchHash(telegramtest.Token, tgID, nil))
	q.waitFor("#tickets-title")
	if got := q.text("#tickets-title"); got != "Мои билеты" {
		t.Errorf("Russian title: %q", got)
	}
}

// An organizer who opens the Mini App gets the organizer's scanner, signed
// in by the same Telegram data.
func TestMiniAppOrganizerGetsScanner(t *testing.T) {
	a := server(t)
	w := seedMeetup(t, a)
	tgID := linkTelegram(w.su, w.orgID)
	p := newBrowser(t, a, browserOpts{})

	launch(p, "/app/"+launchHash(telegramtest.Token, tgID, nil))
	p.click("#scanner-link")
	// a new document: wait through the navigation before polling it
	meetup := fmt.Sprintf(`#meetups a[data-id=%q]`, w.meetup)
	p.do(chromedp.WaitVisible(chromedp.CSS(meetup)))
	// the scanner opens as the same Mini App (inside Telegram: with its
	// native QR scanner)
	if h := eval[string](p, `location.hash`); !strings.Contains(h, "tgWebAppData=") {
		t.Errorf("the scanner was opened without Telegram's launch parameters: %q", h)
	}
	p.click(meetup)
	p.waitFor("#scan-code")
	if eval[bool](p, `!!document.querySelector("#signin-email")`) {
		t.Error("the organizer is asked to sign in again")
	}
	p.shot("scanner")

	code := ticketCode(t, w)
	p.fill("#scan-code", code)
	p.click("#scan-submit")
	p.wait("check-in result", `!!document.querySelector(".result.ok")`, 10*time.Second)
}

// The organizer app opened as a Mini App (the bot's scanner button) signs
// the organizer in by Telegram's data, with no form, even when Telegram's
// script cannot load.
func TestOrganizerSignsInByMiniAppData(t *testing.T) {
	a := server(t)
	w := seedMeetup(t, a)
	tgID := linkTelegram(w.su, w.orgID)
	p := newBrowser(t, a, browserOpts{})

	launch(p, "/organizer/"+launchHash(telegramtest.Token, tgID, nil))
	meetup := fmt.Sprintf(`#meetups a[data-id=%q]`, w.meetup)
	p.do(chromedp.WaitVisible(chromedp.CSS(meetup)))
	if eval[bool](p, `!!document.querySelector("#signin-email")`) {
		t.Error("the sign-in form is shown to an organizer opened from Telegram")
	}

	// a forged launch signs nobody in: the form stays
	q := newBrowser(t, a, browserOpts{})
	launch(q, "/organizer/"+launchHash("123:another-bot", tgID, nil))
	q.waitFor("#signin-email")
}

// Data Telegram did not sign is refused with a message and signs nobody
// in, not even the one signed in before; a real Telegram user the bot has
// never seen is told to /start the bot.
func TestMiniAppRefusesForgedData(t *testing.T) {
	a := server(t)
	w := seedMeetup(t, a)
	tgID := linkTelegram(w.su, w.student)
	p := newBrowser(t, a, browserOpts{})

	launch(p, "/app/"+launchHash(telegramtest.Token, tgID, nil))
	p.waitFor("#signed-in-as")

	forged := launchHash(telegramtest.Token, tgID, func(f url.Values) {
		f.Set("user", strings.Replace(f.Get("user"), strconv.FormatInt(tgID, 10), strconv.FormatInt(tgID+1, 10), 1))
	})
	launch(p, "/app/"+forged)
	p.wait("refusal", `document.querySelector("#app-error")?.dataset.reason === "invalid_signature"`, 10*time.Second)
	if !strings.Contains(p.text("#app-error"), "Telegram") {
		t.Errorf("refusal text: %q", p.text("#app-error"))
	}
	if eval[bool](p, `!!localStorage.getItem("pocketbase_auth") && JSON.parse(localStorage.getItem("pocketbase_auth")).token !== ""`) {
		t.Error("a session survived forged data")
	}
	p.shot("forged")

	launch(p, "/app/"+launchHash("999:another-bot", tgID, nil))
	p.wait("another bot's data", `document.querySelector("#app-error")?.dataset.reason === "invalid_signature"`, 10*time.Second)

	launch(p, "/app/"+launchHash(telegramtest.Token, telegramID(), nil))
	p.wait("unknown user", `document.querySelector("#app-error")?.dataset.reason === "not_registered"`, 10*time.Second)
	if !strings.Contains(p.text("#app-error"), "/start") {
		t.Errorf("an unknown user is not told to /start: %q", p.text("#app-error"))
	}

	launch(p, "/app/")
	p.wait("no data", `document.querySelector("#app-error")?.dataset.reason === "no_data"`, 10*time.Second)
}
