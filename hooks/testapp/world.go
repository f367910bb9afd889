package testapp

import (
	"fmt"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	"golang.org/x/crypto/bcrypt"

	"questbase/hooks/access"
)

// World is the fixture every test app starts with. Meetups and courses
// carry the tag ML; scoped staff hold their permission only for the tag Web.
type World struct {
	TagML, TagWeb string

	Student, Student2, Host string
	Superuser               string
	// Staff[perm] holds perm everywhere; Scoped[perm] only for the tag Web.
	Staff, Scoped map[string]string

	Meetup, DraftMeetup               string
	Registration, Checkin, Feedback   string
	Course, Session, Session2         string
	Enrollment                        string
	Attendance                        string
	Level1, Achievement, Award, Claim string
	Ledger                            string
	Broadcast, Outbox, PollVote       string
	Quiz, QuizAttempt, Raffle         string
	AppState, StaffRole               string

	tokens map[string]string
}

// Token returns an auth token for a fixture user or superuser id.
func (w *World) Token(id string) string {
	tok, ok := w.tokens[id]
	if !ok {
		panic(fmt.Sprintf("testapp: no token for %q", id))
	}
	return tok
}

// Auth returns request headers authenticating as id ("" for a guest).
func (w *World) Auth(id string) map[string]string {
	if id == "" {
		return nil
	}
	return map[string]string{"Authorization": w.Token(id)}
}

// Password is every fixture account's password.
const Password = "password123456"

// seeder saves fixture records and stops at the first error.
type seeder struct {
	app          core.App
	err          error
	passwordHash string // bcrypt of Password, computed once: hashing per user dominates seeding
}

func (s *seeder) save(collection string, data map[string]any) string {
	if s.err != nil {
		return ""
	}
	col, err := s.app.FindCollectionByNameOrId(collection)
	if err != nil {
		s.err = err
		return ""
	}
	rec := core.NewRecord(col)
	for k, v := range data {
		rec.Set(k, v)
	}
	if col.IsAuth() {
		if s.passwordHash == "" {
			h, err := bcrypt.GenerateFromPassword([]byte(Password), bcrypt.DefaultCost)
			if err != nil {
				s.err = err
				return ""
			}
			s.passwordHash = string(h)
		}
		rec.SetRaw(core.FieldNamePassword, &core.PasswordFieldValue{Hash: s.passwordHash})
	}
	if err := s.app.Save(rec); err != nil {
		s.err = fmt.Errorf("seed %s %v: %w", collection, data, err)
		return ""
	}
	return rec.Id
}

func seedWorld(app core.App) (*World, error) {
	s := &seeder{app: app}
	w := &World{Staff: map[string]string{}, Scoped: map[string]string{}, tokens: map[string]string{}}
	soon := types.NowDateTime().Add(24 * time.Hour)

	w.TagML = s.save("tags", map[string]any{"name": "ml"})
	w.TagWeb = s.save("tags", map[string]any{"name": "web"})

	w.Superuser = s.save(core.CollectionNameSuperusers, map[string]any{"email": "root@questbase.test"})
	w.Student = s.save("users", map[string]any{"first_name": "Анна", "last_name": "Иванова", "study_group": "ИТ-21", "telegram_id": 1001})
	w.Student2 = s.save("users", map[string]any{"first_name": "Борис", "last_name": "Петров", "study_group": "ИТ-22", "telegram_id": 1002})
	w.Host = s.save("users", map[string]any{"first_name": "Вера", "last_name": "Хостова", "email": "host@questbase.test"})
	for _, perm := range access.Permissions {
		global := s.save("roles", map[string]any{"name": perm, "permissions": []string{perm}})
		scoped := s.save("roles", map[string]any{"name": perm + "@web", "permissions": []string{perm}, "scope_tags": []string{w.TagWeb}})
		w.Staff[perm] = s.save("users", map[string]any{"first_name": "Staff", "last_name": perm, "email": "staff." + perm + "@questbase.test", "roles": []string{global}})
		w.Scoped[perm] = s.save("users", map[string]any{"first_name": "Scoped", "last_name": perm, "email": "scoped." + perm + "@questbase.test", "roles": []string{scoped}})
		if perm == access.UsersManage {
			w.StaffRole = global
		}
	}

	w.Meetup = s.save("meetups", map[string]any{
		"title": "ML meetup", "starts_at": soon, "tags": []string{w.TagML},
		"points": 10, "capacity": 50, "status": "published",
	})
	w.DraftMeetup = s.save("meetups", map[string]any{"title": "Draft", "starts_at": soon, "tags": []string{w.TagML}, "status": "draft"})
	w.Registration = s.save("registrations", map[string]any{"meetup": w.Meetup, "user": w.Student, "status": "registered"})
	w.Checkin = s.save("checkins", map[string]any{"meetup": w.Meetup, "user": w.Student, "registration": w.Registration, "scanned_by": w.Staff[access.CheckinScan]})
	w.Feedback = s.save("feedback", map[string]any{"meetup": w.Meetup, "user": w.Student, "rating": 5, "comment": "great"})

	w.Course = s.save("courses", map[string]any{
		"title": "Go course", "tags": []string{w.TagML}, "hosts": []string{w.Host},
		"points_per_session": 5, "points_on_completion": 50, "completion_share": 0.75, "status": "published",
	})
	// two sessions, the student attended one: 1/2 is short of 0.75, so the
	// fixture enrollment stays uncompleted
	w.Session = s.save("course_sessions", map[string]any{"course": w.Course, "title": "Intro", "starts_at": soon})
	w.Session2 = s.save("course_sessions", map[string]any{"course": w.Course, "title": "Week 2", "starts_at": soon.Add(7 * 24 * time.Hour)})
	w.Enrollment = s.save("enrollments", map[string]any{"course": w.Course, "user": w.Student})
	w.Attendance = s.save("attendance", map[string]any{"session": w.Session, "user": w.Student, "status": "present", "marked_by": w.Host})

	if lvl, err := app.FindFirstRecordByData("levels", "number", 1); err == nil {
		w.Level1 = lvl.Id
	} else if s.err == nil {
		s.err = err
	}
	w.Achievement = s.save("achievements", map[string]any{"title": "First steps", "points": 20})
	w.Award = s.save("awards", map[string]any{"user": w.Student, "achievement": w.Achievement, "awarded_by": w.Staff[access.AchievementsAward]})
	w.Claim = s.save("claims", map[string]any{"user": w.Student, "title": "Won a hackathon", "description": "1st place"})
	// the check-in paid the meetup's points (ref: the meetup)
	if row, err := app.FindFirstRecordByFilter("points", "user = {:u} && reason = 'checkin' && ref = {:m}", map[string]any{"u": w.Student, "m": w.Meetup}); err == nil {
		w.Ledger = row.Id
	} else if s.err == nil {
		s.err = fmt.Errorf("fixture ledger row of the check-in: %w", err)
	}

	w.Broadcast = s.save("broadcasts", map[string]any{"title": "Hello", "text": "Hi all"})
	w.Outbox = s.save("outbox", map[string]any{"user": w.Student, "kind": "test", "dedupe_key": "test:1", "payload": map[string]any{"text": "hi"}})
	w.PollVote = s.save("poll_votes", map[string]any{"broadcast": w.Broadcast, "user": w.Student, "poll_id": "p1", "options": []int{0}})

	w.Quiz = s.save("quizzes", map[string]any{"meetup": w.Meetup, "title": "Quiz", "questions": []map[string]any{{"text": "2+2", "options": []string{"3", "4"}, "correct": []int{1}, "points": 1}}})
	w.QuizAttempt = s.save("quiz_attempts", map[string]any{"quiz": w.Quiz, "user": w.Student, "answers": map[string]any{"0": []int{1}}})
	w.Raffle = s.save("raffles", map[string]any{"meetup": w.Meetup, "title": "Stickers", "status": "committed", "seed_hash": "abc"})
	w.AppState = s.save("app_state", map[string]any{"key": "fixture", "value": "secret"})
	if s.err != nil {
		return nil, s.err
	}

	ids := []string{w.Student, w.Student2, w.Host}
	for _, perm := range access.Permissions {
		ids = append(ids, w.Staff[perm], w.Scoped[perm])
	}
	for _, id := range ids {
		u, err := app.FindRecordById("users", id)
		if err != nil {
			return nil, err
		}
		if w.tokens[id], err = u.NewAuthToken(); err != nil {
			return nil, err
		}
	}
	su, err := app.FindRecordById(core.CollectionNameSuperusers, w.Superuser)
	if err != nil {
		return nil, err
	}
	if w.tokens[w.Superuser], err = su.NewAuthToken(); err != nil {
		return nil, err
	}
	return w, nil
}
