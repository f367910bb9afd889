package pbpublic_test

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
)

// meetupWorld is what an organizer test starts from: an organizer, a
// published meetup in an hour with one registered student, a draft and a
// finished meetup that the list must not show.
type meetupWorld struct {
	su                    *client
	org                   *client
	orgID, orgEmail       string
	meetup, title         string
	draft, past           string
	student, registration string
}

func seedMeetup(t *testing.T, a *app) meetupWorld {
	t.Helper()
	su := a.superuser(t)
	w := meetupWorld{su: su}
	w.orgID, w.orgEmail = staff(su, "Ольга", "Организатор", "organizer")
	w.org = su.as(w.orgID)
	now := time.Now()
	w.title = unique("Митап по Go ")
	w.meetup = su.create("meetups", record{
		"title": w.title, "status": "published", "location": "Ауд. 101", "points": 10,
		"starts_at": pbTime(now.Add(time.Hour)), "ends_at": pbTime(now.Add(3 * time.Hour)),
	})["id"].(string)
	w.draft = su.create("meetups", record{
		"title": unique("Черновик "), "status": "draft", "starts_at": pbTime(now.Add(48 * time.Hour)),
	})["id"].(string)
	w.past = su.create("meetups", record{
		"title": unique("Прошедший "), "status": "published",
		"starts_at": pbTime(now.Add(-72 * time.Hour)), "ends_at": pbTime(now.Add(-70 * time.Hour)),
	})["id"].(string)
	w.student = student(su, "Анна", "Студентова", "ИТ-21")
	w.registration = su.create("registrations", record{"meetup": w.meetup, "user": w.student, "status": "registered"})["id"].(string)
	return w
}

// openMeetup signs the organizer in and opens the meetup's card.
func openMeetup(t *testing.T, p *page, w meetupWorld) {
	t.Helper()
	p.open("/organizer/#/meetup/" + w.meetup)
	p.signIn(w.orgEmail, staffPassword)
	p.waitFor("#meetup-title")
	p.wait("counters", `document.querySelector("#count-registered").dataset.value !== ""`, 10*time.Second)
}

func counter(id string, want int) string {
	return fmt.Sprintf(`document.querySelector("#%s")?.dataset.value === "%d"`, id, want)
}

// An organizer signs in (a wrong password is refused with a message) and
// sees the current and upcoming meetups, not drafts or past ones.
func TestOrganizerSignsInAndSeesMeetups(t *testing.T) {
	a := server(t)
	w := seedMeetup(t, a)
	p := newBrowser(t, a, browserOpts{})

	p.open("/organizer/")
	p.signIn(w.orgEmail, "not-the-password")
	p.wait("sign-in error", `document.querySelector("[role=alert]")?.innerText.includes("Неверная почта или пароль")`, 10*time.Second)

	p.signIn(w.orgEmail, staffPassword)
	if who := p.text("#signed-in-as"); who != "Ольга Организатор" {
		t.Errorf("signed in as %q", who)
	}
	p.waitFor(fmt.Sprintf(`#meetups a[data-id=%q]`, w.meetup))
	p.shot("list")
	for name, id := range map[string]string{"draft": w.draft, "past": w.past} {
		if eval[bool](p, fmt.Sprintf(`!!document.querySelector('#meetups a[data-id=%q]')`, id)) {
			t.Errorf("the %s meetup is listed", name)
		}
	}
	if got := p.text(fmt.Sprintf(`#meetups a[data-id=%q] .title`, w.meetup)); got != w.title {
		t.Errorf("listed title %q, want %q", got, w.title)
	}

	p.click(fmt.Sprintf(`#meetups a[data-id=%q]`, w.meetup))
	if got := p.text("#meetup-title"); got != w.title {
		t.Errorf("card title %q", got)
	}
	p.wait("counters", counter("count-registered", 1)+" && "+counter("count-checked-in", 0), 10*time.Second)

	// the sign-in is remembered: a reload lands on the card, signed in
	p.do(chromedpReload())
	p.wait("card after reload", counter("count-registered", 1), 10*time.Second)
}

// The card's counters follow registrations and check-ins made elsewhere (here:
// through the API) on two open pages, without reloading either.
func TestOrganizerCountersUpdateLive(t *testing.T) {
	a := server(t)
	w := seedMeetup(t, a)
	p := newBrowser(t, a, browserOpts{})
	openMeetup(t, p, w)
	second := p.tab()
	second.open("/organizer/#/meetup/" + w.meetup) // signed in: same browser storage
	for _, pg := range []*page{p, second} {
		pg.wait("live", `document.querySelector("#live-state")?.dataset.live === "1"`, 10*time.Second)
		pg.wait("initial counters", counter("count-registered", 1)+" && "+counter("count-checked-in", 0), 10*time.Second)
		eval[bool](pg, `window.__sameDocument = true`)
	}

	other := student(w.su, "Борис", "Второй", "ИТ-22")
	w.su.create("registrations", record{"meetup": w.meetup, "user": other, "status": "registered"})
	for _, pg := range []*page{p, second} {
		pg.wait("registered count 2", counter("count-registered", 2), 10*time.Second)
	}

	w.su.create("checkins", record{"meetup": w.meetup, "user": w.student, "registration": w.registration, "scanned_by": w.orgID, "method": "manual"})
	for _, pg := range []*page{p, second} {
		pg.wait("checked-in count 1", counter("count-checked-in", 1), 10*time.Second)
		if !eval[bool](pg, `window.__sameDocument === true`) {
			t.Error("the page was reloaded")
		}
	}
	p.shot("card")
}

// Known reasons of a refused ticket and the words the scanner shows for them.
var refusalTexts = map[string]string{
	"invalid_signature": "Поддельный или повреждённый код",
	"malformed":         "Это не код билета",
	"invalid_code":      "Это не код билета",
	"wrong_meetup":      "Билет на другой митап",
	"cancelled":         "Регистрация отменена",
	"not_registered":    "Участник не зарегистрирован на этот митап",
}

// A typed code that is no ticket gets the red card with a reason in words,
// and checks nobody in.
func TestOrganizerTypedGarbageCodeIsRed(t *testing.T) {
	a := server(t)
	w := seedMeetup(t, a)
	p := newBrowser(t, a, browserOpts{})
	openMeetup(t, p, w)

	const garbage = "definitely-not-a-ticket"
	p.fill("#scan-code", garbage)
	p.click("#scan-submit")
	p.wait("red result", `document.querySelector("#scan-result")?.dataset.kind === "bad"`, 10*time.Second)
	p.shot("red")
	if got := p.text("#scan-result .code"); got != garbage {
		t.Errorf("the card shows code %q", got)
	}
	if h := p.text("#scan-result h2"); !strings.Contains(h, "Билет не принят") {
		t.Errorf("heading %q", h)
	}
	reason := p.text("#scan-result .reason")

	// the reason is the API's answer put in words
	status, raw := w.org.call("POST", "/api/checkin", record{"code": garbage, "meetup": w.meetup})
	switch {
	case status == 404:
		if reason != "Сервер не поддерживает отметку (нет /api/checkin)" {
			t.Errorf("404 shown as %q", reason)
		}
	case status == 400:
		code := regexp.MustCompile(`"code":\{"code":"([a-z_]+)"`).FindStringSubmatch(string(raw))
		if len(code) == 2 && refusalTexts[code[1]] != "" && reason != refusalTexts[code[1]] {
			t.Errorf("reason %q for %s, want %q", reason, code[1], refusalTexts[code[1]])
		}
		if reason == "" || strings.Contains(reason, "_") {
			t.Errorf("reason %q is not words", reason)
		}
	default:
		t.Errorf("the API answers a garbage code with %d: %s", status, raw)
	}
	if n := len(w.su.list("checkins", fmt.Sprintf("meetup = %q", w.meetup))); n != 0 {
		t.Errorf("%d check-ins after a garbage code", n)
	}
}

// ticketCode is the student's signed ticket from GET /api/tickets/{id}.
func ticketCode(t *testing.T, w meetupWorld) string {
	t.Helper()
	res := w.su.as(w.student).mustJSON("GET", "/api/tickets/"+w.registration, nil, 200)
	code, _ := res["code"].(string)
	if code == "" {
		t.Fatalf("ticket without a code: %v", res)
	}
	return code
}

// A real ticket typed in: green with the participant's card, the counter
// moves; the same ticket again: yellow, with when and by whom.
func TestOrganizerChecksInTicketThenAlready(t *testing.T) {
	a := server(t)
	w := seedMeetup(t, a)
	requireRoute(t, w.org, "POST", "/api/checkin")
	code := ticketCode(t, w)
	p := newBrowser(t, a, browserOpts{})
	openMeetup(t, p, w)

	p.fill("#scan-code", code)
	p.click("#scan-submit")
	p.wait("green result", `document.querySelector("#scan-result")?.dataset.kind === "ok"`, 10*time.Second)
	p.shot("green")
	card := p.text("#scan-result .person")
	for _, want := range []string{"Анна Студентова", "ИТ-21", "Не верифицирован"} {
		if !strings.Contains(card, want) {
			t.Errorf("participant card lacks %q:\n%s", want, card)
		}
	}
	p.wait("checked-in count 1", counter("count-checked-in", 1), 10*time.Second)

	p.fill("#scan-code", code)
	p.click("#scan-submit")
	p.wait("yellow result", `document.querySelector("#scan-result")?.dataset.kind === "warn"`, 10*time.Second)
	p.shot("yellow")
	when := p.text("#scan-result .when")
	if !regexp.MustCompile(`Отмечен в \d\d:\d\d, отметил\(а\) Ольга Организатор`).MatchString(when) {
		t.Errorf("already-card says %q", when)
	}
	if n := len(w.su.list("checkins", fmt.Sprintf("meetup = %q", w.meetup))); n != 1 {
		t.Errorf("%d check-ins after two scans of one ticket", n)
	}
}

// The camera scanner reads a QR code from Chromium's fake camera with the
// ZXing WebAssembly decoder the binary ships (Chromium on Linux has no
// BarcodeDetector), with every host name unresolvable: nothing comes from a
// CDN.
func TestOrganizerCameraScanWorksOffline(t *testing.T) {
	a := server(t)
	w := seedMeetup(t, a)
	text := unique("QB-CAMERA-")
	p := newBrowser(t, a, browserOpts{camera: fakeCamera(t, qrPNG(t, text))})
	openMeetup(t, p, w)

	p.click("#camera-toggle")
	p.wait("a scan from the camera", fmt.Sprintf(`document.querySelector("#scan-result .code")?.innerText === %s`, js(text)), 20*time.Second)
	p.shot("camera")
	if kind := eval[string](p, `document.querySelector("#scan-result").dataset.kind`); kind != "bad" {
		t.Errorf("a code that is no ticket scanned as %q", kind)
	}
	if native := eval[string](p, `document.querySelector("#camera-state").dataset.native`); native != "0" {
		t.Errorf("the browser's own BarcodeDetector was used (native=%s); this test is meant to prove the shipped decoder", native)
	}
	if !p.requested("/assets/zxing_reader-") {
		t.Error("the decoder's .wasm was not fetched from the app")
	}
	p.click("#camera-toggle") // stop
	p.wait("camera off", `!document.querySelector("#camera-state")`, 5*time.Second)
}

// The ticket's own QR image (GET /api/tickets/{id}?format=png) in front of
// the camera checks the participant in.
func TestOrganizerCameraScanChecksTicketIn(t *testing.T) {
	a := server(t)
	w := seedMeetup(t, a)
	requireRoute(t, w.org, "POST", "/api/checkin")
	status, png := w.su.as(w.student).call("GET", "/api/tickets/"+w.registration+"?format=png", nil)
	if status != 200 {
		t.Fatalf("ticket PNG: %d %s", status, png)
	}
	p := newBrowser(t, a, browserOpts{camera: fakeCamera(t, png)})
	openMeetup(t, p, w)

	p.click("#camera-toggle")
	p.wait("green result", `document.querySelector("#scan-result")?.dataset.kind === "ok"`, 20*time.Second)
	if card := p.text("#scan-result .person"); !strings.Contains(card, "Анна Студентова") {
		t.Errorf("participant card: %s", card)
	}
	p.wait("checked-in count 1", counter("count-checked-in", 1), 10*time.Second)
}

// fakeTelegram stands in for Telegram's WebApp object (Telegram injects it
// with its own script; the page must not fetch that script itself when the
// object is there): its QR popup "scans" code at once.
const fakeTelegram = `window.Telegram = { WebApp: {
	initData: "query_id=test&user=%7B%22id%22%3A1%7D&auth_date=1&hash=00",
	version: "7.10",
	isVersionAtLeast: (v) => true,
	ready() {}, expand() {},
	showScanQrPopup(params, callback) {
		window.__popupText = params.text;
		setTimeout(() => { window.__popupClosed = callback(CODE); }, 50);
	},
} };`

// Inside Telegram the page offers Telegram's own scanner, and a scanned
// code goes through the same check-in; the Mini App data is tried for
// sign-in first (not a staff account here, so the form stays).
func TestOrganizerTelegramScanner(t *testing.T) {
	a := server(t)
	w := seedMeetup(t, a)
	p := newBrowser(t, a, browserOpts{})
	const code = "scanned-in-telegram"
	p.beforeScripts(strings.Replace(fakeTelegram, "CODE", js(code), 1))
	openMeetup(t, p, w)
	if !p.requested("/api/telegram/auth") {
		t.Error("the Mini App data was not tried for sign-in")
	}

	p.click("#telegram-scan")
	p.wait("red result from Telegram's scanner", fmt.Sprintf(`document.querySelector("#scan-result .code")?.innerText === %s`, js(code)), 10*time.Second)
	if !eval[bool](p, `window.__popupClosed === true`) {
		t.Error("the popup was not closed after the scan")
	}
	if txt := eval[string](p, `window.__popupText`); txt == "" {
		t.Error("the popup has no hint text")
	}
}

// Outside Telegram there is no Telegram button (and no Telegram script).
func TestOrganizerWithoutTelegram(t *testing.T) {
	a := server(t)
	w := seedMeetup(t, a)
	p := newBrowser(t, a, browserOpts{})
	openMeetup(t, p, w)
	p.waitFor("#camera-toggle")
	if eval[bool](p, `!!document.querySelector("#telegram-scan")`) {
		t.Error("a Telegram scanner button outside Telegram")
	}
	if p.requested("telegram") {
		t.Error("Telegram was contacted outside Telegram")
	}
}
