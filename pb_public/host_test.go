package pbpublic_test

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// courseWorld is what a host test starts from: a host, their published
// course with two sessions and two enrolled students, and another course
// the host does not run.
type courseWorld struct {
	su                 *client
	host               *client
	hostID, hostEmail  string
	course, other      string
	sessions, students [2]string
}

func seedCourse(t *testing.T, a *app) courseWorld {
	t.Helper()
	su := a.superuser(t)
	w := courseWorld{su: su}
	w.hostID, w.hostEmail = staff(su, "Ирина", "Ведущая")
	w.host = su.as(w.hostID)
	w.course = su.create("courses", record{
		"title": unique("Основы Go "), "status": "published", "hosts": []string{w.hostID},
		"starts_on": "2027-02-01 00:00:00.000Z", "ends_on": "2027-05-31 00:00:00.000Z",
		"points_per_session": 10, "points_on_completion": 50, "completion_share": 1, // one mark must not complete the course: these tests are about single marks
		"description": "<p>Курс для начинающих.</p>",
	})["id"].(string)
	w.other = su.create("courses", record{"title": unique("Чужой курс "), "status": "published"})["id"].(string)
	start := time.Date(2027, 2, 3, 18, 0, 0, 0, time.UTC)
	for i, title := range []string{"Введение", "Горутины"} {
		w.sessions[i] = su.create("course_sessions", record{
			"course": w.course, "title": title, "location": "Ауд. 204",
			"starts_at": pbTime(start.AddDate(0, 0, 7*i)), "ends_at": pbTime(start.AddDate(0, 0, 7*i).Add(90 * time.Minute)),
		})["id"].(string)
	}
	for i, name := range [][3]string{{"Анна", "Студентова", "ИТ-21"}, {"Борис", "Учащийся", "ИТ-22"}} {
		w.students[i] = student(su, name[0], name[1], name[2])
		su.create("enrollments", record{"course": w.course, "user": w.students[i], "status": "enrolled"})
	}
	return w
}

// openCourse signs the host in at /host/ and opens a tab of the course.
func openCourse(t *testing.T, p *page, w courseWorld, tab string) {
	t.Helper()
	p.open("/host/")
	p.signIn(w.hostEmail, staffPassword)
	p.waitFor(fmt.Sprintf(`#courses a[data-id=%q]`, w.course))
	p.open("/host/#/course/" + w.course + "/" + tab)
	p.waitFor("#course-title")
}

// A host sees their own courses only and edits the course info: title,
// description, dates and banner.
func TestHostEditsCourseInfo(t *testing.T) {
	a := server(t)
	w := seedCourse(t, a)
	p := newBrowser(t, a, browserOpts{})
	p.open("/host/")
	p.signIn(w.hostEmail, staffPassword)
	p.waitFor(fmt.Sprintf(`#courses a[data-id=%q]`, w.course))
	if eval[bool](p, fmt.Sprintf(`!!document.querySelector('#courses a[data-id=%q]')`, w.other)) {
		t.Error("a course the host does not run is listed")
	}
	p.click(fmt.Sprintf(`#courses a[data-id=%q]`, w.course))
	p.waitFor("#course-info")
	if got := eval[string](p, `document.querySelector("#course-info [name=description]").value`); got != "Курс для начинающих." {
		t.Errorf("description shown as %q", got)
	}

	p.fill("#course-info [name=title]", "Go для всех")
	p.fill("#course-info [name=description]", "Первое занятие — в аудитории 204.\n\nПриносите ноутбуки & зарядки.")
	p.fill("#course-info [name=starts_on]", "2027-02-02")
	p.fill("#course-info [name=ends_on]", "2027-06-15")
	banner := filepath.Join(t.TempDir(), "banner.png")
	if err := os.WriteFile(banner, smallPNG(), 0o644); err != nil {
		t.Fatal(err)
	}
	p.do(uploadFiles(`#course-info [name=banner]`, banner))
	p.click(`#course-info button[type=submit]`)
	p.waitFor("#course-saved")
	p.shot("info")

	c := w.su.get("courses", w.course)
	for field, want := range map[string]string{
		"title":       "Go для всех",
		"description": "<p>Первое занятие — в аудитории 204.</p><p>Приносите ноутбуки &amp; зарядки.</p>",
		"starts_on":   "2027-02-02 00:00:00.000Z",
		"ends_on":     "2027-06-15 00:00:00.000Z",
	} {
		if c[field] != want {
			t.Errorf("%s = %q, want %q", field, c[field], want)
		}
	}
	if b, _ := c["banner"].(string); b == "" {
		t.Error("the banner was not uploaded")
	}
	if c["points_per_session"] != 10.0 || len(c["hosts"].([]any)) != 1 {
		t.Errorf("fields the host may not change changed: %v", c)
	}
}

// A host edits a session (title, time, place) and adds one.
func TestHostEditsSessions(t *testing.T) {
	a := server(t)
	w := seedCourse(t, a)
	p := newBrowser(t, a, browserOpts{})
	openCourse(t, p, w, "sessions")

	form := fmt.Sprintf(`form[data-session=%q]`, w.sessions[0])
	p.fill(form+" [name=title]", "Введение в Go")
	p.fill(form+" [name=starts_at]", "2027-02-04T18:30")
	p.fill(form+" [name=ends_at]", "2027-02-04T20:00")
	p.fill(form+" [name=location]", "Ауд. 305")
	p.click(form + " button[type=submit]")
	p.waitFor(form + " .saved")

	s := w.su.get("course_sessions", w.sessions[0])
	for field, want := range map[string]string{
		"title": "Введение в Go", "location": "Ауд. 305",
		// the browser runs in UTC (TZ=UTC): local input time is UTC here
		"starts_at": "2027-02-04 18:30:00.000Z", "ends_at": "2027-02-04 20:00:00.000Z",
	} {
		if s[field] != want {
			t.Errorf("%s = %q, want %q", field, s[field], want)
		}
	}

	p.fill("#session-new [name=title]", "Каналы")
	p.fill("#session-new [name=starts_at]", "2027-02-17T18:00")
	p.click("#session-new button[type=submit]")
	p.wait("three sessions", `document.querySelectorAll("form.session").length === 3`, 10*time.Second)
	p.shot("sessions")
	added := w.su.list("course_sessions", fmt.Sprintf(`course = %q && title = "Каналы"`, w.course))
	if len(added) != 1 || added[0]["starts_at"] != "2027-02-17 18:00:00.000Z" {
		t.Errorf("added session: %v", added)
	}
}

func cell(session, user string) string {
	return fmt.Sprintf(`#attendance-grid select[data-session=%q][data-user=%q]`, session, user)
}

// attendanceOf returns the attendance records of one student in one session.
func attendanceOf(w courseWorld, session, user string) []record {
	return w.su.list("attendance", fmt.Sprintf(`session = %q && user = %q`, session, user))
}

// The attendance grid: marking a cell creates the record, changing it
// updates the same record, "—" deletes it; a mark made elsewhere shows up
// without a reload.
func TestHostMarksAttendance(t *testing.T) {
	a := server(t)
	w := seedCourse(t, a)
	p := newBrowser(t, a, browserOpts{})
	openCourse(t, p, w, "attendance")
	c := cell(w.sessions[0], w.students[0])
	p.waitFor(c)
	settled := func() {
		p.wait("cell saved", fmt.Sprintf(`document.querySelector(%s).dataset.state === "idle"`, js(c)), 10*time.Second)
	}

	p.fill(c, "present")
	settled()
	recs := attendanceOf(w, w.sessions[0], w.students[0])
	if len(recs) != 1 || recs[0]["status"] != "present" {
		t.Fatalf("after marking present: %v", recs)
	}
	id := recs[0]["id"]

	p.fill(c, "late")
	settled()
	recs = attendanceOf(w, w.sessions[0], w.students[0])
	if len(recs) != 1 || recs[0]["status"] != "late" || recs[0]["id"] != id {
		t.Fatalf("after changing to late: %v", recs)
	}

	p.fill(c, "")
	settled()
	if recs := attendanceOf(w, w.sessions[0], w.students[0]); len(recs) != 0 {
		t.Fatalf("after clearing the mark: %v", recs)
	}

	eval[bool](p, `window.__sameDocument = true`)
	w.su.create("attendance", record{"session": w.sessions[1], "user": w.students[1], "status": "excused"})
	p.wait("a mark made elsewhere", fmt.Sprintf(`document.querySelector(%s).value === "excused"`, js(cell(w.sessions[1], w.students[1]))), 10*time.Second)
	if !eval[bool](p, `window.__sameDocument === true`) {
		t.Error("the page was reloaded")
	}
	p.shot("grid")
}

// Marking a student present in the grid pays the course's points per
// session (the ledger is the backend's: issue 4, point 4).
func TestHostAttendanceAwardsPoints(t *testing.T) {
	a := server(t)
	w := seedCourse(t, a)
	before := w.su.get("users", w.students[0])["points"].(float64)
	p := newBrowser(t, a, browserOpts{})
	openCourse(t, p, w, "attendance")
	c := cell(w.sessions[0], w.students[0])
	p.fill(c, "present")
	p.wait("cell saved", fmt.Sprintf(`document.querySelector(%s).dataset.state === "idle"`, js(c)), 10*time.Second)

	deadline := time.Now().Add(5 * time.Second)
	for {
		after := w.su.get("users", w.students[0])["points"].(float64)
		if after == before+10 {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("points %v → %v after a present mark; want +10 (points_per_session)", before, after)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// Reminder settings: offsets in days, hours or minutes, saved as minutes;
// a reminder without text is refused before anything is saved.
func TestHostSavesReminders(t *testing.T) {
	a := server(t)
	w := seedCourse(t, a)
	p := newBrowser(t, a, browserOpts{})
	openCourse(t, p, w, "reminders")

	p.click("#reminder-add")
	p.click("#reminder-add")
	p.fill("#reminders fieldset:nth-of-type(1) [name=amount]", "1")
	p.fill("#reminders fieldset:nth-of-type(1) [name=unit]", "hours")
	p.fill("#reminders fieldset:nth-of-type(1) [name=text]", "Через час занятие, не опаздывайте")
	p.fill("#reminders fieldset:nth-of-type(2) [name=amount]", "1")
	p.fill("#reminders fieldset:nth-of-type(2) [name=unit]", "days")
	p.click("#reminders button[type=submit]")
	p.wait("refusal", `document.querySelector("#reminders [role=alert]")?.innerText.includes("Введите текст")`, 5*time.Second)
	if r := w.su.get("courses", w.course)["reminders"]; r != nil {
		if l, ok := r.([]any); !ok || len(l) != 0 {
			t.Fatalf("reminders saved despite the error: %v", r)
		}
	}

	p.fill("#reminders fieldset:nth-of-type(2) [name=text]", "Завтра занятие по Go")
	p.click("#reminders button[type=submit]")
	p.waitFor("#reminders-saved")
	p.shot("reminders")

	got := fmt.Sprint(w.su.get("courses", w.course)["reminders"])
	want := "[map[before_minutes:1440 text:Завтра занятие по Go] map[before_minutes:60 text:Через час занятие, не опаздывайте]]"
	if got != want {
		t.Errorf("reminders = %s\nwant        %s", got, want)
	}

	// a reload shows them as they were entered
	p.do(chromedpReload())
	p.waitFor("#reminders fieldset")
	if u := eval[string](p, `document.querySelector("#reminders fieldset:nth-of-type(1) [name=unit]").value`); u != "days" {
		t.Errorf("first reminder's unit after reload: %q", u)
	}
}

// A message to everyone enrolled becomes one outbox row per participant.
func TestHostMessagesParticipants(t *testing.T) {
	a := server(t)
	w := seedCourse(t, a)
	requireRoute(t, w.host, "POST", "/api/courses/"+w.course+"/message")
	since := pbTime(time.Now().Add(-time.Second))
	p := newBrowser(t, a, browserOpts{})
	openCourse(t, p, w, "message")

	p.fill("#course-message [name=text]", "Занятие в среду переносится в ауд. 305")
	p.click("#message-send")
	p.click("#message-confirm")
	p.waitFor("#message-sent")
	p.shot("message")
	for _, s := range w.students {
		rows := w.su.list("outbox", fmt.Sprintf(`user = %q && created >= %q`, s, since))
		if len(rows) == 0 {
			t.Errorf("no outbox row for student %s", s)
		}
	}
	if rows := w.su.list("outbox", fmt.Sprintf(`user = %q && created >= %q`, w.hostID, since)); len(rows) != 0 {
		t.Errorf("the host got their own message: %v", rows)
	}
}

// Course stats: enrolled, completed, and marks per session.
func TestHostSeesCourseStats(t *testing.T) {
	a := server(t)
	w := seedCourse(t, a)
	requireRoute(t, w.host, "GET", "/api/courses/"+w.course+"/stats")
	w.su.create("attendance", record{"session": w.sessions[0], "user": w.students[0], "status": "present"})
	w.su.create("attendance", record{"session": w.sessions[0], "user": w.students[1], "status": "absent"})
	p := newBrowser(t, a, browserOpts{})
	openCourse(t, p, w, "stats")

	p.waitFor("#stats-sessions")
	p.shot("stats")
	if got := p.text("#stats-enrolled"); got != "2" {
		t.Errorf("enrolled %q", got)
	}
	row := strings.Fields(p.text("#stats-sessions tbody tr:nth-child(1)"))
	// title, date words…, then present late absent excused
	if n := len(row); n < 4 || strings.Join(row[n-4:], " ") != "1 0 1 0" {
		t.Errorf("first session's row: %v", row)
	}
}

func smallPNG() []byte {
	img := image.NewRGBA(image.Rect(0, 0, 32, 18))
	for x := range 32 {
		for y := range 18 {
			img.Set(x, y, color.RGBA{uint8(8 * x), uint8(14 * y), 180, 255})
		}
	}
	var buf bytes.Buffer
	png.Encode(&buf, img)
	return buf.Bytes()
}
