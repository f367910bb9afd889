package access_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	a "questbase/hooks/access"
	"questbase/hooks/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

// actor is a matrix column.
type actor int

const (
	guest    actor = iota
	student        // owns the fixture registration, check-in, claim, ...
	student2       // another student
	staff          // holds the row's permission unscoped
	scoped         // holds it only for the tag Web; the fixtures carry ML
	host           // hosts the fixture course
	super          // a superuser
	nActors
)

var actorNames = [nActors]string{"guest", "student", "student2", "staff", "scoped", "host", "superuser"}

// List cells expect one of these; the other actions expect the HTTP status.
const (
	vis = 1 // 200, and the row's record is among the items
	hid = 2 // 200, without it
)

// cells are one action's expected outcomes, in actorNames order; all zero
// means the row does not test that action.
type cells [nActors]int

// row is one fixture record of a collection and what each actor may do
// with it.
type row struct {
	name  string // collection, or collection/variant for a second record
	perm  string // what the staff and scoped columns hold
	id    string // the record read, updated and deleted
	clear string // a record of the collection create removes first, to free a unique key

	createBody, updateBody map[string]any
	createFile             string // a file field create uploads a small PNG to, as multipart/form-data

	list, view, create, update, delete cells
}

func (r row) collection() string { return strings.SplitN(r.name, "/", 2)[0] }

// fix is the fixture world plus records only the matrix needs; extras adds
// them to every app with these fixed ids.
type fix struct {
	*testapp.World
	DraftCourse, CourseCast, DraftRaffle string
	ArchivedPhoto                        string
	AuditEntry, Grant                    string
}

const soon = "2030-01-15 18:00:00.000Z"

// matrix is every collection's access, one row per fixture record.
func matrix(f *fix) []row {
	ml := []string{f.TagML}
	return []row{
		// every cells{...} lists: guest, student, student2, staff, scoped, host, superuser
		{name: "tags", perm: a.MeetupsManage, id: f.TagML,
			createBody: map[string]any{"name": "robotics"},
			updateBody: map[string]any{"description": "Machine learning"},
			list:       cells{vis, vis, vis, vis, vis, vis, vis},
			view:       cells{200, 200, 200, 200, 200, 200, 200},
			create:     cells{400, 400, 400, 200, 400, 400, 200},
			update:     cells{404, 404, 404, 200, 404, 404, 200},
			delete:     cells{404, 404, 404, 204, 404, 404, 204}},
		{name: "roles", perm: a.UsersManage, id: f.StaffRole,
			createBody: map[string]any{"name": "Helpers", "permissions": []string{a.CheckinScan}},
			updateBody: map[string]any{"description": "Manages accounts"},
			list:       cells{hid, hid, hid, vis, hid, hid, vis},
			view:       cells{404, 404, 404, 200, 404, 404, 200},
			create:     cells{400, 400, 400, 200, 400, 400, 200},
			update:     cells{404, 404, 404, 200, 404, 404, 200},
			delete:     cells{404, 404, 404, 204, 404, 404, 204}},
		// the host sees the student enrolled in their course
		{name: "users", perm: a.UsersManage, id: f.Student,
			createBody: map[string]any{"email": "new.member@questbase.test", "password": testapp.Password, "passwordConfirm": testapp.Password, "first_name": "Новый"},
			updateBody: map[string]any{"first_name": "Анна-Мария"},
			list:       cells{hid, vis, hid, vis, hid, vis, vis},
			view:       cells{404, 200, 404, 200, 404, 200, 200},
			create:     cells{400, 400, 400, 200, 400, 400, 200},
			update:     cells{404, 200, 404, 200, 404, 404, 200},
			delete:     cells{404, 404, 404, 204, 404, 404, 204}},
		// a view: rules join it, nobody reads it; PocketBase refuses writes to views
		{name: a.GrantsCollection, perm: a.UsersManage, id: f.Grant,
			createBody: map[string]any{"user": f.Student, "permission": a.UsersManage},
			updateBody: map[string]any{"tag": f.TagML},
			list:       cells{403, 403, 403, 403, 403, 403, vis},
			view:       cells{403, 403, 403, 403, 403, 403, 200},
			create:     cells{400, 400, 400, 400, 400, 400, 400},
			update:     cells{400, 400, 400, 400, 400, 400, 400},
			delete:     cells{400, 400, 400, 400, 400, 400, 400}},
		{name: "public_profiles", perm: a.UsersManage, id: f.Student,
			createBody: map[string]any{"first_name": "Новый"},
			updateBody: map[string]any{"first_name": "Анна-Мария"},
			list:       cells{hid, vis, vis, vis, vis, vis, vis},
			view:       cells{404, 200, 200, 200, 200, 200, 200},
			create:     cells{400, 400, 400, 400, 400, 400, 400},
			update:     cells{400, 400, 400, 400, 400, 400, 400},
			delete:     cells{400, 400, 400, 400, 400, 400, 400}},

		{name: "meetups", perm: a.MeetupsManage, id: f.Meetup,
			createBody: map[string]any{"title": "Deep learning night", "starts_at": soon, "tags": ml},
			updateBody: map[string]any{"title": "ML meetup (moved)"},
			list:       cells{vis, vis, vis, vis, vis, vis, vis},
			view:       cells{200, 200, 200, 200, 200, 200, 200},
			create:     cells{400, 400, 400, 200, 400, 400, 200},
			update:     cells{404, 404, 404, 200, 404, 404, 200},
			delete:     cells{404, 404, 404, 204, 404, 404, 204}},
		{name: "meetups/draft", perm: a.MeetupsManage, id: f.DraftMeetup,
			list: cells{hid, hid, hid, vis, hid, hid, vis},
			view: cells{404, 404, 404, 200, 404, 404, 200}},
		{name: "registrations", perm: a.MeetupsManage, id: f.Registration, clear: f.Registration,
			createBody: map[string]any{"meetup": f.Meetup, "user": f.Student},
			updateBody: map[string]any{"status": "cancelled"},
			list:       cells{hid, vis, hid, vis, hid, hid, vis},
			view:       cells{404, 200, 404, 200, 404, 404, 200},
			create:     cells{400, 200, 400, 200, 400, 400, 200},
			update:     cells{404, 200, 404, 200, 404, 404, 200},
			delete:     cells{404, 404, 404, 204, 404, 404, 204}},
		// scanners check people in; undoing a check-in is for meetup managers
		{name: "checkins", perm: a.CheckinScan, id: f.Checkin, clear: f.Checkin,
			createBody: map[string]any{"meetup": f.Meetup, "user": f.Student, "registration": f.Registration},
			updateBody: map[string]any{"method": "manual"},
			list:       cells{hid, vis, hid, vis, hid, hid, vis},
			view:       cells{404, 200, 404, 200, 404, 404, 200},
			create:     cells{400, 400, 400, 200, 400, 400, 200},
			update:     cells{403, 403, 403, 403, 403, 403, 200},
			delete:     cells{404, 404, 404, 404, 404, 404, 204}},
		{name: "feedback", perm: a.MeetupsManage, id: f.Feedback, clear: f.Feedback,
			createBody: map[string]any{"meetup": f.Meetup, "user": f.Student, "rating": 4, "comment": "useful"},
			updateBody: map[string]any{"rating": 3},
			list:       cells{hid, vis, hid, vis, hid, hid, vis},
			view:       cells{404, 200, 404, 200, 404, 404, 200},
			create:     cells{400, 200, 400, 400, 400, 400, 200},
			update:     cells{404, 200, 404, 404, 404, 404, 200},
			delete:     cells{403, 403, 403, 403, 403, 403, 204}},

		{name: "courses", perm: a.CoursesManage, id: f.Course,
			createBody: map[string]any{"title": "Rust course", "tags": ml},
			updateBody: map[string]any{"title": "Go course, spring"},
			list:       cells{vis, vis, vis, vis, vis, vis, vis},
			view:       cells{200, 200, 200, 200, 200, 200, 200},
			create:     cells{400, 400, 400, 200, 400, 400, 200},
			update:     cells{404, 404, 404, 200, 404, 200, 200},
			delete:     cells{404, 404, 404, 204, 404, 404, 204}},
		{name: "courses/draft", perm: a.CoursesManage, id: f.DraftCourse,
			list: cells{hid, hid, hid, vis, hid, vis, vis},
			view: cells{404, 404, 404, 200, 404, 200, 200}},
		{name: "course_sessions", perm: a.CoursesManage, id: f.Session,
			createBody: map[string]any{"course": f.Course, "title": "Week 2", "starts_at": soon},
			updateBody: map[string]any{"title": "Intro (moved)"},
			list:       cells{vis, vis, vis, vis, vis, vis, vis},
			view:       cells{200, 200, 200, 200, 200, 200, 200},
			create:     cells{400, 400, 400, 200, 400, 200, 200},
			update:     cells{404, 404, 404, 200, 404, 200, 200},
			delete:     cells{404, 404, 404, 204, 404, 204, 204}},
		{name: "enrollments", perm: a.CoursesManage, id: f.Enrollment, clear: f.Enrollment,
			createBody: map[string]any{"course": f.Course, "user": f.Student},
			updateBody: map[string]any{"status": "cancelled"},
			list:       cells{hid, vis, hid, vis, hid, vis, vis},
			view:       cells{404, 200, 404, 200, 404, 200, 200},
			create:     cells{400, 200, 400, 200, 400, 400, 200},
			update:     cells{404, 200, 404, 200, 404, 200, 200},
			delete:     cells{404, 404, 404, 204, 404, 404, 204}},
		{name: "attendance", perm: a.CoursesManage, id: f.Attendance, clear: f.Attendance,
			createBody: map[string]any{"session": f.Session, "user": f.Student, "status": "present"},
			updateBody: map[string]any{"status": "late"},
			list:       cells{hid, vis, hid, vis, hid, vis, vis},
			view:       cells{404, 200, 404, 200, 404, 200, 200},
			create:     cells{400, 400, 400, 200, 400, 200, 200},
			update:     cells{404, 404, 404, 200, 404, 200, 200},
			delete:     cells{404, 404, 404, 204, 404, 204, 204}},

		{name: "levels", perm: a.AchievementsManage, id: f.Level1,
			createBody: map[string]any{"number": 11, "title": "Бессмертный", "min_points": 1_000_000},
			updateBody: map[string]any{"title": "Первокурсник"},
			list:       cells{vis, vis, vis, vis, vis, vis, vis},
			view:       cells{200, 200, 200, 200, 200, 200, 200},
			create:     cells{400, 400, 400, 200, 400, 400, 200},
			update:     cells{404, 404, 404, 200, 404, 404, 200},
			delete:     cells{404, 404, 404, 204, 404, 404, 204}},
		{name: "achievements", perm: a.AchievementsManage, id: f.Achievement,
			createBody: map[string]any{"title": "Speaker", "points": 30},
			updateBody: map[string]any{"title": "First steps!"},
			list:       cells{vis, vis, vis, vis, vis, vis, vis},
			view:       cells{200, 200, 200, 200, 200, 200, 200},
			create:     cells{400, 400, 400, 200, 400, 400, 200},
			update:     cells{404, 404, 404, 200, 404, 404, 200},
			delete:     cells{404, 404, 404, 204, 404, 404, 204}},
		// awards show on public profiles, so every signed-in user reads them
		{name: "awards", perm: a.AchievementsAward, id: f.Award, clear: f.Award,
			createBody: map[string]any{"user": f.Student, "achievement": f.Achievement},
			updateBody: map[string]any{"note": "for the first meetup"},
			list:       cells{hid, vis, vis, vis, vis, vis, vis},
			view:       cells{404, 200, 200, 200, 200, 200, 200},
			create:     cells{400, 400, 400, 200, 400, 400, 200},
			update:     cells{403, 403, 403, 403, 403, 403, 200},
			delete:     cells{403, 403, 403, 403, 403, 403, 204}},
		{name: "claims", perm: a.ClaimsReview, id: f.Claim,
			createBody: map[string]any{"user": f.Student, "title": "Talk at a conference"},
			updateBody: map[string]any{"title": "Won a big hackathon"},
			list:       cells{hid, vis, hid, vis, hid, hid, vis},
			view:       cells{404, 200, 404, 200, 404, 404, 200},
			create:     cells{400, 200, 400, 400, 400, 400, 200},
			update:     cells{404, 200, 404, 404, 404, 404, 200},
			delete:     cells{404, 204, 404, 404, 404, 404, 204}},
		// the decision is the reviewers' alone
		{name: "claims/review", perm: a.ClaimsReview, id: f.Claim,
			updateBody: map[string]any{"status": "rejected", "review_note": "No proof attached"},
			update:     cells{404, 404, 404, 200, 404, 404, 200}},
		// the ledger is append-only, for superusers too: mistakes get a correction
		{name: "points", perm: a.UsersManage, id: f.Ledger,
			createBody: map[string]any{"user": f.Student, "amount": 5, "reason": "correction", "ref": "fix-1", "note": "missed check-in"},
			updateBody: map[string]any{"amount": 1000},
			list:       cells{hid, vis, hid, vis, hid, hid, vis},
			view:       cells{404, 200, 404, 200, 404, 404, 200},
			create:     cells{400, 400, 400, 200, 400, 400, 200},
			update:     cells{403, 403, 403, 403, 403, 403, 403},
			delete:     cells{403, 403, 403, 403, 403, 403, 403}},

		// the fixture broadcast goes to everyone: unscoped senders only
		{name: "broadcasts", perm: a.BroadcastsSend, id: f.Broadcast,
			createBody: map[string]any{"title": "News", "text": "Hello everyone"},
			updateBody: map[string]any{"title": "Hello!"},
			list:       cells{hid, hid, hid, vis, hid, hid, vis},
			view:       cells{404, 404, 404, 200, 404, 404, 200},
			create:     cells{400, 400, 400, 200, 400, 400, 200},
			update:     cells{404, 404, 404, 200, 404, 404, 200},
			delete:     cells{404, 404, 404, 204, 404, 404, 204}},
		// a draft to the fixture course's participants: its host may write it
		{name: "broadcasts/course", perm: a.BroadcastsSend, id: f.CourseCast,
			createBody: map[string]any{"title": "Room change", "text": "Room 404", "audience": "course", "audience_course": f.Course},
			updateBody: map[string]any{"text": "Room 405"},
			list:       cells{hid, hid, hid, vis, hid, vis, vis},
			view:       cells{404, 404, 404, 200, 404, 200, 200},
			create:     cells{400, 400, 400, 200, 400, 200, 200},
			update:     cells{404, 404, 404, 200, 404, 200, 200},
			delete:     cells{404, 404, 404, 204, 404, 404, 204}},
		{name: "outbox", perm: a.BroadcastsSend, id: f.Outbox,
			createBody: map[string]any{"user": f.Student, "kind": "test", "dedupe_key": "test:2"},
			updateBody: map[string]any{"status": "cancelled"},
			list:       cells{hid, hid, hid, vis, hid, hid, vis},
			view:       cells{404, 404, 404, 200, 404, 404, 200},
			create:     cells{403, 403, 403, 403, 403, 403, 200},
			update:     cells{403, 403, 403, 403, 403, 403, 200},
			delete:     cells{403, 403, 403, 403, 403, 403, 204}},
		{name: "poll_votes", perm: a.BroadcastsSend, id: f.PollVote, clear: f.PollVote,
			createBody: map[string]any{"broadcast": f.Broadcast, "user": f.Student, "poll_id": "p1", "options": []int{1}},
			updateBody: map[string]any{"options": []int{1}},
			list:       cells{hid, vis, hid, vis, hid, hid, vis},
			view:       cells{404, 200, 404, 200, 404, 404, 200},
			create:     cells{403, 403, 403, 403, 403, 403, 200},
			update:     cells{403, 403, 403, 403, 403, 403, 200},
			delete:     cells{403, 403, 403, 403, 403, 403, 204}},

		// quizzes hold the correct answers: students take them through the Mini App routes
		{name: "quizzes", perm: a.MeetupsManage, id: f.Quiz,
			createBody: map[string]any{"meetup": f.Meetup, "title": "Quiz 2"},
			updateBody: map[string]any{"title": "Warm-up quiz"},
			list:       cells{hid, hid, hid, vis, hid, hid, vis},
			view:       cells{404, 404, 404, 200, 404, 404, 200},
			create:     cells{400, 400, 400, 200, 400, 400, 200},
			update:     cells{404, 404, 404, 200, 404, 404, 200},
			delete:     cells{404, 404, 404, 204, 404, 404, 204}},
		{name: "quiz_attempts", perm: a.MeetupsManage, id: f.QuizAttempt, clear: f.QuizAttempt,
			createBody: map[string]any{"quiz": f.Quiz, "user": f.Student, "answers": map[string]any{"0": []int{1}}},
			updateBody: map[string]any{"answers": map[string]any{"0": []int{0}}},
			list:       cells{hid, vis, hid, vis, hid, hid, vis},
			view:       cells{404, 200, 404, 200, 404, 404, 200},
			create:     cells{400, 200, 400, 400, 400, 400, 200},
			update:     cells{404, 200, 404, 404, 404, 404, 200},
			delete:     cells{403, 403, 403, 403, 403, 403, 204}},
		// the fixture raffle is committed: its seed hash is public, nothing changes it
		{name: "raffles", perm: a.RafflesRun, id: f.Raffle,
			createBody: map[string]any{"meetup": f.Meetup, "title": "Books"},
			updateBody: map[string]any{"title": "Stickers and books"},
			list:       cells{hid, vis, vis, vis, vis, vis, vis},
			view:       cells{404, 200, 200, 200, 200, 200, 200},
			create:     cells{400, 400, 400, 200, 400, 400, 200},
			update:     cells{404, 404, 404, 404, 404, 404, 200},
			delete:     cells{404, 404, 404, 404, 404, 404, 204}},
		{name: "raffles/draft", perm: a.RafflesRun, id: f.DraftRaffle,
			updateBody: map[string]any{"title": "Books and mugs"},
			list:       cells{hid, hid, hid, vis, hid, hid, vis},
			view:       cells{404, 404, 404, 200, 404, 404, 200},
			update:     cells{404, 404, 404, 200, 404, 404, 200},
			delete:     cells{404, 404, 404, 204, 404, 404, 204}},

		// replaced and rejected verification photos, kept for the retention period
		{name: "verification_archive", perm: a.VerificationReview, id: f.ArchivedPhoto,
			createBody: map[string]any{"user": f.Student, "status": "rejected"}, createFile: "photo",
			updateBody: map[string]any{"note": "blurred"},
			list:       cells{hid, hid, hid, vis, hid, hid, vis},
			view:       cells{404, 404, 404, 200, 404, 404, 200},
			create:     cells{403, 403, 403, 403, 403, 403, 200},
			update:     cells{403, 403, 403, 403, 403, 403, 200},
			delete:     cells{403, 403, 403, 403, 403, 403, 204}},

		// append-only, for superusers too
		{name: "audit_log", perm: a.AuditView, id: f.AuditEntry,
			createBody: map[string]any{"actor_kind": "user", "module": "claims", "action": "forged"},
			updateBody: map[string]any{"action": "forged"},
			list:       cells{hid, hid, hid, vis, hid, hid, vis},
			view:       cells{404, 404, 404, 200, 404, 404, 200},
			create:     cells{403, 403, 403, 403, 403, 403, 403},
			update:     cells{403, 403, 403, 403, 403, 403, 403},
			delete:     cells{403, 403, 403, 403, 403, 403, 403}},
		{name: "app_state", perm: a.UsersManage, id: f.AppState,
			createBody: map[string]any{"key": "another", "value": "v"},
			updateBody: map[string]any{"key": "renamed"},
			list:       cells{403, 403, 403, 403, 403, 403, vis},
			view:       cells{403, 403, 403, 403, 403, 403, 200},
			create:     cells{403, 403, 403, 403, 403, 403, 200},
			update:     cells{403, 403, 403, 403, 403, 403, 200},
			delete:     cells{403, 403, 403, 403, 403, 403, 204}},
	}
}

// who returns the user id acting in column c of a row about perm ("" for a guest).
func (f *fix) who(c actor, perm string) string {
	switch c {
	case student:
		return f.Student
	case student2:
		return f.Student2
	case staff:
		return f.Staff[perm]
	case scoped:
		return f.Scoped[perm]
	case host:
		return f.Host
	case super:
		return f.Superuser
	}
	return ""
}

// Fixed ids of the records extras adds (15 characters, as PocketBase's).
const (
	draftCourseID = "draftcourse0001"
	courseCastID  = "bcastcourse0001"
	draftRaffleID = "draftraffle0001"
	archivedID    = "archivedphoto01"
)

// extras adds the matrix's own records: a draft course the fixture host
// hosts, a draft broadcast to that course's participants, a draft raffle,
// an archived verification photo of the student.
func extras(app core.App, w *testapp.World) error {
	photo, err := filesystem.NewFileFromBytes(testapp.PNG(2, 2), "photo.png")
	if err != nil {
		return err
	}
	recs := []struct {
		collection, id string
		data           map[string]any
	}{
		{"courses", draftCourseID, map[string]any{"title": "Draft course", "tags": []string{w.TagML}, "hosts": []string{w.Host}, "status": "draft"}},
		{"broadcasts", courseCastID, map[string]any{"title": "Course news", "text": "Hi", "audience": "course", "audience_course": w.Course}},
		{"raffles", draftRaffleID, map[string]any{"meetup": w.Meetup, "title": "Mugs"}},
		{"verification_archive", archivedID, map[string]any{"user": w.Student, "photo": photo, "status": "rejected"}},
	}
	for _, r := range recs {
		if _, err := save(app, r.collection, r.id, r.data); err != nil {
			return err
		}
	}
	return nil
}

// save creates a record with the given id ("" for a random one).
func save(app core.App, collection, id string, data map[string]any) (*core.Record, error) {
	col, err := app.FindCollectionByNameOrId(collection)
	if err != nil {
		return nil, err
	}
	rec := core.NewRecord(col)
	if id != "" {
		rec.Id = id
	}
	for k, v := range data {
		rec.Set(k, v)
	}
	if err := app.Save(rec); err != nil {
		return nil, fmt.Errorf("save %s %v: %w", collection, data, err)
	}
	return rec, nil
}

// mustSave is save for test set-up.
func mustSave(t testing.TB, app core.App, collection string, data map[string]any) *core.Record {
	t.Helper()
	rec, err := save(app, collection, "", data)
	if err != nil {
		t.Fatal(err)
	}
	return rec
}

// factory builds a fresh app with the extras for one request.
func factory(t testing.TB) *tests.TestApp {
	app := testapp.Factory(testapp.Options{})(t)
	if err := extras(app, testapp.Fixtures(t)); err != nil {
		app.Cleanup()
		t.Fatal(err)
	}
	return app
}

// newApp returns an app with the extras and the matrix's fixture ids.
func newApp(t testing.TB) (*tests.TestApp, *fix) {
	t.Helper()
	app, w := testapp.New(t)
	if err := extras(app, w); err != nil {
		t.Fatal(err)
	}
	// the audit entry of the fixture claim's creation: every app clones the
	// same template, so its id is the same everywhere
	entry, err := app.FindFirstRecordByFilter("audit_log", "collection = 'claims' && record = {:id} && action = 'create'", dbx.Params{"id": w.Claim})
	if err != nil {
		t.Fatalf("find the fixture claim's audit entry: %v", err)
	}
	return app, &fix{
		World:       w,
		DraftCourse: draftCourseID, CourseCast: courseCastID, DraftRaffle: draftRaffleID,
		ArchivedPhoto: archivedID,
		AuditEntry:    entry.Id,
		// the grants view's id is user:role:permission:tag
		Grant: w.Staff[a.UsersManage] + ":" + w.StaffRole + ":" + a.UsersManage + ":",
	}
}

func serve(t testing.TB, app *tests.TestApp) http.Handler { return testapp.Handler(t, app) }

// listPage is the part of a list response the tests read.
type listPage struct {
	Items      []map[string]any `json:"items"`
	TotalItems int              `json:"totalItems"`
}

func parseList(t testing.TB, body []byte) listPage {
	t.Helper()
	var p listPage
	if err := json.Unmarshal(body, &p); err != nil {
		t.Fatalf("list response: %v: %s", err, body)
	}
	return p
}

func (p listPage) has(id string) bool {
	for _, it := range p.Items {
		if it["id"] == id {
			return true
		}
	}
	return false
}

func recordsURL(collection string) string { return "/api/collections/" + collection + "/records" }

func token(w *testapp.World, id string) string {
	if id == "" {
		return ""
	}
	return w.Token(id)
}

// Reads change nothing, so one app answers every list and view cell.
func TestMatrixReads(t *testing.T) {
	t.Parallel()
	app, f := newApp(t)
	h := serve(t, app)
	for _, r := range matrix(f) {
		t.Run(r.name, func(t *testing.T) {
			for c := range nActors {
				tok := token(f.World, f.who(c, r.perm))
				if want := r.list[c]; want != 0 {
					// perPage above any fixture collection's size: no filter, so
					// the list rule alone decides what comes back
					status, body := testapp.Do(h, http.MethodGet, recordsURL(r.collection())+"?perPage=500", tok, nil)
					got := status
					if status == http.StatusOK {
						p := parseList(t, body)
						if p.TotalItems > len(p.Items) {
							t.Fatalf("%s has more than one page of records: raise perPage", r.collection())
						}
						got = hid
						if p.has(r.id) {
							got = vis
						}
					}
					if got != want {
						t.Errorf("list by %s: got %s, want %s (%d %.200s)", actorNames[c], outcome(got), outcome(want), status, body)
					}
				}
				if want := r.view[c]; want != 0 {
					status, body := testapp.Do(h, http.MethodGet, recordsURL(r.collection())+"/"+r.id, tok, nil)
					if status != want {
						t.Errorf("view by %s: got %d, want %d (%.200s)", actorNames[c], status, want, body)
					} else if status == http.StatusOK && !bytes.Contains(body, []byte(`"id":"`+r.id+`"`)) {
						t.Errorf("view by %s: 200 without the record: %.200s", actorNames[c], body)
					}
				}
			}
		})
	}
}

func outcome(v int) string {
	switch v {
	case vis:
		return "200 with the record"
	case hid:
		return "200 without the record"
	}
	return fmt.Sprint(v)
}

// Every write cell gets a fresh app, so a write that wrongly succeeds
// cannot change what another cell sees. Each cell also checks the stored
// data: a refused write changed nothing, an accepted one did what it said.
func TestMatrixWrites(t *testing.T) {
	t.Parallel()
	_, f := newApp(t)
	for _, r := range matrix(f) {
		t.Run(r.name, func(t *testing.T) {
			t.Parallel()
			col := r.collection()
			for c := range nActors {
				auth := f.Auth(f.who(c, r.perm))
				if want := r.create[c]; want != 0 {
					var before int64
					s := scenario(http.MethodPost, recordsURL(col), r.createBody, auth, want)
					s.Name = "create/" + actorNames[c]
					if r.createFile != "" {
						s.Body, s.Headers = withUpload(r.createBody, r.createFile, auth)
					}
					s.BeforeTestFunc = func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
						if r.clear != "" {
							rec, err := app.FindRecordById(col, r.clear)
							if err == nil {
								err = app.Delete(rec)
							}
							if err != nil {
								t.Fatalf("clear %s: %v", r.clear, err)
							}
						}
						before = count(t, app, col)
					}
					s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) {
						wantCount := before
						if want == http.StatusOK {
							wantCount++
						}
						if got := count(t, app, col); got != wantCount {
							t.Errorf("%s holds %d records after the create, want %d", col, got, wantCount)
						}
					}
					s.Test(t)
				}
				if want := r.update[c]; want != 0 {
					var before *core.Record
					s := scenario(http.MethodPatch, recordsURL(col)+"/"+r.id, r.updateBody, auth, want)
					s.Name = "update/" + actorNames[c]
					s.BeforeTestFunc = func(t testing.TB, app *tests.TestApp, e *core.ServeEvent) {
						before = testapp.Find(t, app, col, r.id)
					}
					s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) {
						after := testapp.Find(t, app, col, r.id)
						for k, v := range r.updateBody {
							if want != http.StatusOK {
								v = before.Get(k)
							}
							if !same(after.Get(k), v) {
								t.Errorf("%s after the update is %v, want %v", k, after.Get(k), v)
							}
						}
					}
					s.Test(t)
				}
				if want := r.delete[c]; want != 0 {
					s := scenario(http.MethodDelete, recordsURL(col)+"/"+r.id, nil, auth, want)
					s.Name = "delete/" + actorNames[c]
					s.AfterTestFunc = func(t testing.TB, app *tests.TestApp, res *http.Response) {
						_, err := app.FindRecordById(col, r.id)
						if gone := err != nil; gone != (want == http.StatusNoContent) {
							t.Errorf("record gone after the delete: %v, want %v", gone, !gone)
						}
					}
					s.Test(t)
				}
			}
		})
	}
}

// scenario is a request on a fresh app expecting status; the body must be
// the record or PocketBase's error with that status.
func scenario(method, url string, body map[string]any, headers map[string]string, status int) tests.ApiScenario {
	s := tests.ApiScenario{
		Method: method, URL: url, Headers: headers,
		ExpectedStatus: status,
		TestAppFactory: factory,
	}
	if body != nil {
		raw, _ := json.Marshal(body)
		s.Body = bytes.NewReader(raw)
	}
	switch status {
	case http.StatusNoContent:
		// no body
	case http.StatusOK:
		s.ExpectedContent = []string{`"id":"`}
	default:
		s.ExpectedContent = []string{fmt.Sprintf(`"status":%d`, status)}
	}
	return s
}

// withUpload returns body as multipart/form-data with a PNG in field file,
// and headers with the matching content type.
func withUpload(body map[string]any, file string, headers map[string]string) (io.Reader, map[string]string) {
	fields := map[string]string{}
	for k, v := range body {
		text, ok := v.(string)
		if !ok {
			raw, _ := json.Marshal(v)
			text = string(raw)
		}
		fields[k] = text
	}
	rd, contentType := testapp.Multipart(fields, testapp.File{Field: file, Name: "photo.png", ContentType: "image/png", Data: testapp.PNG(2, 2)})
	h := map[string]string{"Content-Type": contentType}
	for k, v := range headers {
		h[k] = v
	}
	return rd, h
}

func count(t testing.TB, app core.App, col string) int64 {
	t.Helper()
	n, err := app.CountRecords(col)
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// same compares a stored value with a request value by their JSON.
func same(stored, sent any) bool {
	x, err1 := json.Marshal(stored)
	y, err2 := json.Marshal(sent)
	return err1 == nil && err2 == nil && bytes.Equal(x, y)
}

// publicByDesign are the collections anyone may read without signing in.
// Meetups and courses are public too, but only once published: their rules
// say so, and the matrix's draft rows check it.
var publicByDesign = map[string]bool{"tags": true, "levels": true, "achievements": true}

// No collection may become readable by anyone by accident, nor writable by
// anyone at all, and every collection's rules must be pinned by the matrix.
func TestMatrixCoversEveryCollection(t *testing.T) {
	t.Parallel()
	app, f := newApp(t)
	cols, err := app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string][]row{}
	for _, r := range matrix(f) {
		rows[r.collection()] = append(rows[r.collection()], r)
	}
	exists := map[string]bool{}
	for _, c := range cols {
		exists[c.Name] = true
		for name, rule := range map[string]*string{"create": c.CreateRule, "update": c.UpdateRule, "delete": c.DeleteRule, "manage": c.ManageRule} {
			if rule != nil && *rule == "" {
				t.Errorf("%s: anyone may %s", c.Name, name)
			}
		}
		public := (c.ListRule != nil && *c.ListRule == "") || (c.ViewRule != nil && *c.ViewRule == "")
		if public != publicByDesign[c.Name] {
			t.Errorf("%s: public list or view is %v, want %v", c.Name, public, publicByDesign[c.Name])
		}
		if c.System {
			continue
		}
		// the row named after the collection tests all five actions
		var main *row
		for i, r := range rows[c.Name] {
			if r.name == c.Name {
				main = &rows[c.Name][i]
			}
		}
		if main == nil {
			t.Errorf("%s: no row in the matrix: add one, with the expected status of every cell", c.Name)
			continue
		}
		for action, cs := range map[string]cells{"list": main.list, "view": main.view, "create": main.create, "update": main.update, "delete": main.delete} {
			for i, v := range cs {
				if v == 0 {
					t.Errorf("%s: no expected %s outcome for %s", c.Name, action, actorNames[i])
				}
			}
		}
	}
	for name := range rows {
		if !exists[name] {
			t.Errorf("the matrix has rows for %s, which does not exist", name)
		}
	}
}
