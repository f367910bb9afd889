package bot_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/bot"
	"questbase/hooks/testapp"
	"questbase/hooks/tickets"
)

// save creates a record through the hooks (as the system).
func (e *env) save(collection string, fields map[string]any) *core.Record {
	e.tb.Helper()
	return testapp.Save(e.tb, e.app, collection, fields)
}

func (e *env) enrollments(course, user string) []*core.Record {
	e.tb.Helper()
	recs, err := e.app.FindAllRecords("enrollments", dbx.HashExp{"course": course, "user": user})
	if err != nil {
		e.tb.Fatal(err)
	}
	return recs
}

// The list shows published courses with their session counts; the card
// shows the schedule, the points and the completion rule, in English for
// an English-speaking student; drafts are not listed.
func TestCourseListAndCard(t *testing.T) {
	e := setup(t)
	e.user(emma.ID, "en")
	e.save("courses", map[string]any{"title": "Hidden draft", "status": "draft"})
	ch := e.chat(emma)
	list := ch.press(1, bot.CBCourses).last()
	if !strings.Contains(list.Text(), "📚 Courses:") || !strings.Contains(list.Text(), "1. Go course\n2 sessions") || strings.Contains(list.Text(), "Hidden draft") {
		t.Fatalf("list:\n%s", list.Text())
	}
	if !hasData(list, "courses:v:"+e.w.Course) {
		t.Fatalf("list buttons: %v", buttons(list))
	}
	card := ch.press(list.MessageID, "courses:v:"+e.w.Course).last()
	for _, want := range []string{
		"📚 Go course",
		"⭐ 5 points per session, 50 for completing the course",
		"🎯 To complete the course, attend at least 75% of the sessions.",
		"👥 Places: no limit",
		"Schedule (2):\n• ", " — Intro\n• ", " — Week 2",
		"Enrollment is open.",
	} {
		if !strings.Contains(card.Text(), want) {
			t.Errorf("card lacks %q:\n%s", want, card.Text())
		}
	}
	if buttons(card)["✍️ Enroll"] != "courses:e:"+e.w.Course {
		t.Errorf("card buttons: %v", buttons(card))
	}
}

// Enrolling saves an enrollment as the student; a double tap enrolls
// once; the card then offers attendance and the course ticket, whose QR
// names the enrollment; leaving cancels it.
func TestCourseEnroll(t *testing.T) {
	e := setup(t)
	ch := e.chat(boris)
	card := ch.press(1, "courses:v:"+e.w.Course).last()
	first := ch.press(card.MessageID, "courses:e:"+e.w.Course)
	second := ch.press(card.MessageID, "courses:e:"+e.w.Course)
	enr := e.enrollments(e.w.Course, e.w.Student2)
	if len(enr) != 1 || enr[0].GetString("status") != "enrolled" {
		t.Fatalf("enrollments: %v", enr)
	}
	if first.answer() != "Вы записаны на курс!" || !strings.Contains(first.texts(), "Вы записаны на курс «Go course». Ближайшее занятие: ") {
		t.Errorf("enrolled: %q %s", first.answer(), first.texts())
	}
	if second.answer() != "Вы уже записаны на этот курс." || len(second.sent("sendMessage")) != 0 {
		t.Errorf("double tap: %q %v", second.answer(), methods(second.calls))
	}
	edit := first.sent("editMessageReplyMarkup")
	if len(edit) != 1 || !hasData(edit[0], "courses:a:"+e.w.Course) || !hasData(edit[0], "courses:t:"+e.w.Course) || hasData(edit[0], "courses:e:"+e.w.Course) {
		t.Errorf("card after enrolling: %v", edit)
	}
	r := ch.press(card.MessageID, "courses:t:"+e.w.Course)
	photos := r.sent("sendPhoto")
	if len(photos) != 1 {
		t.Fatalf("course ticket: %v", methods(r.calls))
	}
	tk, err := tickets.New(e.app, e.cfg.TicketSecret).Verify(readQR(t, photos[0]), time.Now())
	if err != nil || tk.Kind != tickets.Enrollment || tk.ID != enr[0].Id {
		t.Errorf("course ticket: %+v %v", tk, err)
	}

	if r := ch.press(card.MessageID, "courses:c:"+e.w.Course); r.answer() != "Вы покинули курс." {
		t.Errorf("leave: %q", r.answer())
	}
	if enr := e.enrollments(e.w.Course, e.w.Student2); enr[0].GetString("status") != "cancelled" {
		t.Errorf("after leaving: %s", enr[0].GetString("status"))
	}
	if r := ch.press(card.MessageID, "courses:c:"+e.w.Course); r.answer() != "Вы не записаны на этот курс." {
		t.Errorf("second leave: %q", r.answer())
	}
	// enrolling again renews the one enrollment
	ch.press(card.MessageID, "courses:e:"+e.w.Course)
	if enr := e.enrollments(e.w.Course, e.w.Student2); len(enr) != 1 || enr[0].GetString("status") != "enrolled" {
		t.Errorf("renewed: %v", enr)
	}
}

// A full course refuses through its hook; the student reads why, and
// nothing is saved. Stale and garbage course buttons are answered.
func TestCourseRefusedAndStale(t *testing.T) {
	e := setup(t)
	full := e.save("courses", map[string]any{"title": "Tiny course", "status": "published", "capacity": 1})
	e.save("enrollments", map[string]any{"course": full.Id, "user": e.w.Student, "status": "enrolled"})
	ch := e.chat(boris)
	if r := ch.press(1, "courses:e:"+full.Id); r.answer() != "На курсе нет свободных мест." {
		t.Errorf("full: %q", r.answer())
	}
	if n := len(e.enrollments(full.Id, e.w.Student2)); n != 0 {
		t.Errorf("%d enrollments after a refusal", n)
	}
	draft := e.save("courses", map[string]any{"title": "Draft course", "status": "draft"})
	before := e.snapshot(t)
	for data, want := range map[string]string{
		"courses:e:" + draft.Id:          "Этого курса больше нет. Вот актуальный список.",
		"courses:v:nosuchcourse123":      "Этого курса больше нет. Вот актуальный список.",
		"courses:x:" + e.w.Course:        "Эта кнопка устарела. Вот актуальный список курсов.",
		"courses:e:" + e.w.Course + ":1": "Эта кнопка устарела. Вот актуальный список курсов.",
		"courses:a:" + full.Id:           "Вы не записаны на этот курс.",
	} {
		r := ch.press(1, data)
		if r.answer() != want || r.answered() != 1 {
			t.Errorf("%s: answered %d times, %q", data, r.answered(), r.answer())
		}
	}
	if after := e.snapshot(t); after != before {
		t.Errorf("stale buttons changed records")
	}
	if n := e.count("SELECT count(*) FROM enrollments WHERE course = {:c}", dbx.Params{"c": draft.Id}); n != 0 {
		t.Errorf("%d enrollments in a draft", n)
	}
}

// Attendance: sessions attended (present or late) out of those held
// (started or marked; cancelled ones never count), the points the course
// paid, what completion still takes, and each session's mark.
func TestCourseAttendanceSummary(t *testing.T) {
	e := setup(t)
	em := e.user(emma.ID, "en")
	course := e.save("courses", map[string]any{"title": "Databases", "status": "published", "points_per_session": 10,
		"points_on_completion": 100, "completion_share": 0.5})
	now := types.NowDateTime()
	session := func(title string, at time.Duration, cancelled bool) string {
		return e.save("course_sessions", map[string]any{"course": course.Id, "title": title, "starts_at": now.Add(at), "cancelled": cancelled}).Id
	}
	s1 := session("SQL", -72*time.Hour, false)
	s2 := session("Indexes", -48*time.Hour, false)
	session("Holiday", -24*time.Hour, true)
	s4 := session("Joins", -12*time.Hour, false)
	session("Skipped", -6*time.Hour, false) // held, nobody marked
	session("Future", 48*time.Hour, false)
	e.save("enrollments", map[string]any{"course": course.Id, "user": em.Id, "status": "enrolled"})
	for s, mark := range map[string]string{s1: "present", s2: "absent", s4: "late"} {
		e.save("attendance", map[string]any{"session": s, "user": em.Id, "status": mark, "marked_by": e.w.Host})
	}

	r := e.chat(emma).press(1, "courses:a:"+course.Id)
	got := r.last().Text()
	for _, want := range []string{
		"📊 Attendance: Databases",
		"Sessions attended: 2 of 4 held (5 scheduled).\nPoints earned: 20.",
		"To complete the course: 3 of 5 sessions, 1 to go.",
		" SQL — present", " Indexes — absent", " Holiday — cancelled", " Joins — late", " Skipped — not marked", "🔜 ",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("attendance lacks %q:\n%s", want, got)
		}
	}

	// the fixture student: one session marked present ahead of its start
	// counts as held; 5 points from it
	r = e.chat(anna).press(1, "courses:a:"+e.w.Course)
	if got := r.last().Text(); !strings.Contains(got, "Посещено занятий: 1 из 1 прошедших (всего в расписании 2).\nЗаработано баллов: 5.") ||
		!strings.Contains(got, "Для завершения курса нужно 2 из 2 занятий, осталось 1.") {
		t.Errorf("fixture attendance:\n%s", got)
	}

	// completed: the rule pays the completion points, and the summary says so
	e.save("attendance", map[string]any{"session": s4 + "", "user": e.w.Student2, "status": "present", "marked_by": e.w.Host})
	for _, s := range []string{s1, s2} {
		e.save("attendance", map[string]any{"session": s, "user": e.w.Student2, "status": "present", "marked_by": e.w.Host})
	}
	r = e.chat(boris).press(1, "courses:a:"+course.Id)
	if got := r.last().Text(); !strings.Contains(got, "Посещено занятий: 3 из 4 прошедших (всего в расписании 5).\nЗаработано баллов: 130.") ||
		!strings.Contains(got, "🎓 Курс завершён!") {
		t.Errorf("completed attendance:\n%s", got)
	}
}
