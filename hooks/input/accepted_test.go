package input_test

import (
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
)

// TestCreateAccepted creates a record in each business collection with a
// correct JSON body, as a user the rules let create (superusers for the
// superuser-only collections): the check must not stand in the way, and
// every value must be stored as sent.
func TestCreateAccepted(t *testing.T) {
	w := testapp.Fixtures(t)
	staff := w.Staff
	create := func(collection, as, body string) request {
		return request{collection: collection, as: as, json: body}
	}
	// only participants rate a meetup: the second student registers first
	participant := func(r request) request {
		r.before = func(t testing.TB, app core.App) {
			col, err := app.FindCollectionByNameOrId("registrations")
			if err != nil {
				t.Fatal(err)
			}
			reg := core.NewRecord(col)
			reg.Set("meetup", w.Meetup)
			reg.Set("user", w.Student2)
			if err := app.Save(reg); err != nil {
				t.Fatal(err)
			}
		}
		return r
	}
	runAccepted(t, []accepted{
		{"tags", create("tags", staff[access.MeetupsManage], `{"name": "go", "description": "The Go language"}`), nil},
		{"roles", create("roles", staff[access.UsersManage], js(`{"name": "viewer", "permissions": ["stats.view"], "scope_tags": [%q], "expand": {}}`, w.TagML)), nil},
		{"users", create("users", staff[access.UsersManage], `{"first_name": "Новый", "email": "new@questbase.test", "emailVisibility": false, "telegram_id": 4242, "language": "ru", "password": "password123456", "passwordConfirm": "password123456"}`), nil},
		{"meetups", create("meetups", staff[access.MeetupsManage], js(`{"title": "New", "starts_at": %q, "ends_at": "2030-01-31T20:00:00Z", "tags": [%q], "points": 5, "capacity": 0, "agenda": [{"at": "18:00", "title": "Talk"}], "status": "published", "feedback_url": "https://example.com/f"}`, future, w.TagML)), nil},
		{"registrations", create("registrations", w.Student2, js(`{"meetup": %q, "user": %q}`, w.Meetup, w.Student2)), nil},
		{"checkins", create("checkins", staff[access.CheckinScan], js(`{"meetup": %q, "user": %q, "method": "manual"}`, w.Meetup, w.Student2)), nil},
		{"feedback", participant(create("feedback", w.Student2, js(`{"meetup": %q, "user": %q, "rating": 4, "comment": "ok"}`, w.Meetup, w.Student2))), nil},
		{"courses", create("courses", staff[access.CoursesManage], js(`{"title": "New", "tags": [%q], "completion_share": 0.75, "points_per_session": 3, "reminders": [{"before_minutes": 60}]}`, w.TagML)), nil},
		{"course_sessions", create("course_sessions", staff[access.CoursesManage], js(`{"course": %q, "title": "S2", "starts_at": %q, "cancelled": false}`, w.Course, future)), nil},
		{"enrollments", create("enrollments", w.Student2, js(`{"course": %q, "user": %q}`, w.Course, w.Student2)), nil},
		{"attendance", create("attendance", staff[access.CoursesManage], js(`{"session": %q, "user": %q, "status": "late"}`, w.Session, w.Student2)), nil},
		{"levels", create("levels", staff[access.AchievementsManage], `{"number": 11, "title": "L11", "min_points": 999999}`), nil},
		{"achievements", create("achievements", staff[access.AchievementsManage], js(`{"title": "New", "points": 5, "tags": [%q], "archived": false, "rule": "meetups_count", "rule_count": 3}`, w.TagML)), nil},
		{"awards", create("awards", staff[access.AchievementsAward], js(`{"user": %q, "achievement": %q, "note": "well done"}`, w.Student2, w.Achievement)), nil},
		{"claims", create("claims", w.Student2, js(`{"user": %q, "title": "New claim", "tags": [%q]}`, w.Student2, w.TagWeb)), nil},
		{"points", create("points", staff[access.UsersManage], js(`{"user": %q, "amount": -5, "reason": "correction", "ref": "fix-1", "note": "double check-in"}`, w.Student2)), nil},
		{"broadcasts", create("broadcasts", staff[access.BroadcastsSend], `{"title": "New", "text": "hi", "audience": "level", "audience_level": 2, "poll_options": ["a", "b"], "scheduled_at": ""}`), nil},
		{"outbox", create("outbox", w.Superuser, js(`{"user": %q, "kind": "k", "dedupe_key": "k:2", "payload": {"text": "x"}, "attempts": 0}`, w.Student2)), nil},
		{"poll_votes", create("poll_votes", w.Superuser, js(`{"broadcast": %q, "user": %q, "poll_id": "p1", "options": [1]}`, w.Broadcast, w.Student2)), nil},
		{"quizzes", create("quizzes", staff[access.MeetupsManage], js(`{"meetup": %q, "title": "Q2", "questions": [], "current_question": -1, "points": 2}`, w.Meetup)), nil},
		{"quiz_attempts", create("quiz_attempts", w.Student2, js(`{"quiz": %q, "user": %q, "answers": {"0": [1]}}`, w.Quiz, w.Student2)), nil},
		{"raffles", create("raffles", staff[access.RafflesRun], js(`{"meetup": %q, "title": "R2", "winners_count": 2, "prizes": [{"name": "x", "count": 2}]}`, w.Meetup)), nil},
	})
}

// TestUpdateAccepted covers correct updates: modifiers, nulls, passwords
// and form bodies.
func TestUpdateAccepted(t *testing.T) {
	w := testapp.Fixtures(t)
	su := w.Superuser
	wantNumber := func(field string, want float64) func(t testing.TB, _ core.App, rec *core.Record) {
		return func(t testing.TB, _ core.App, rec *core.Record) {
			if got := rec.GetFloat(field); got != want {
				t.Errorf("%s = %v, want %v", field, got, want)
			}
		}
	}
	runAccepted(t, []accepted{
		{"increment", request{collection: "meetups", id: w.Meetup, as: su, json: `{"points+": 5, "capacity-": 10}`}, func(t testing.TB, _ core.App, rec *core.Record) {
			wantNumber("points", 15)(t, nil, rec)
			wantNumber("capacity", 40)(t, nil, rec)
		}},
		{"append and remove tags", request{collection: "meetups", id: w.Meetup, as: su, json: js(`{"tags+": %q, "tags-": [%q]}`, w.TagWeb, w.TagML)}, func(t testing.TB, _ core.App, rec *core.Record) {
			if got := rec.GetStringSlice("tags"); len(got) != 1 || got[0] != w.TagWeb {
				t.Errorf("tags = %v, want [%s]", got, w.TagWeb)
			}
		}},
		{"null clears", request{collection: "meetups", id: w.Meetup, as: w.Staff[access.MeetupsManage], json: `{"capacity": null, "location": null, "ends_at": null}`}, wantNumber("capacity", 0)},
		{"self update with password change", request{collection: "users", id: w.Student, as: w.Student, json: `{"first_name": "Аня", "oldPassword": "password123456", "password": "another-password-1", "passwordConfirm": "another-password-1"}`}, func(t testing.TB, _ core.App, rec *core.Record) {
			if !rec.ValidatePassword("another-password-1") {
				t.Error("password not changed")
			}
		}},
		{"form numbers, bools and dates", request{collection: "users", id: w.Student, as: su, form: []kv{
			{"telegram_blocked", "true"}, {"telegram_id", "2002"}, {"study_group", "007"},
		}}, func(t testing.TB, _ core.App, rec *core.Record) {
			wantNumber("telegram_id", 2002)(t, nil, rec)
			if !rec.GetBool("telegram_blocked") || rec.GetString("study_group") != "007" {
				t.Errorf("stored %v", rec.PublicExport())
			}
		}},
		{"form dates and empty numbers", request{collection: "meetups", id: w.Meetup, as: su, form: []kv{
			{"registration_opens_at", "2026-01-02T03:04:05Z"}, {"ends_at", ""}, {"capacity", ""}, {"points", "0012"},
		}}, func(t testing.TB, _ core.App, rec *core.Record) {
			wantNumber("capacity", 0)(t, nil, rec)
			wantNumber("points", 12)(t, nil, rec)
			if got := rec.GetDateTime("registration_opens_at").String(); got != "2026-01-02 03:04:05.000Z" {
				t.Errorf("registration_opens_at = %q", got)
			}
		}},
		{"form repeated keys for a multiple relation", request{collection: "courses", id: w.Course, as: su, form: []kv{{"tags", w.TagML}, {"tags", w.TagWeb}, {"points_per_session", "7"}}}, func(t testing.TB, _ core.App, rec *core.Record) {
			wantNumber("points_per_session", 7)(t, nil, rec)
			if got := rec.GetStringSlice("tags"); len(got) != 2 {
				t.Errorf("tags = %v, want both", got)
			}
		}},
		{"form request with expand and fields query", request{collection: "meetups", id: w.Meetup, as: su, query: "expand=tags&fields=id,title,collectionName", form: []kv{{"title", "Queried"}}}, func(t testing.TB, _ core.App, rec *core.Record) {
			if rec.GetString("title") != "Queried" {
				t.Errorf("title = %q", rec.GetString("title"))
			}
		}},
		{"dashboard token reset", request{collection: "users", id: w.Student, as: su, json: `{"tokenKey:autogenerate": ""}`}, nil},
		{"urlencoded", request{collection: "meetups", id: w.Meetup, as: su, urlencoded: true, form: []kv{{"points", "12"}, {"title", "Renamed & more"}}}, func(t testing.TB, _ core.App, rec *core.Record) {
			wantNumber("points", 12)(t, nil, rec)
			if rec.GetString("title") != "Renamed & more" {
				t.Errorf("title = %q", rec.GetString("title"))
			}
		}},
		{"multipart upload with JSON payload", request{collection: "meetups", id: w.Meetup, as: w.Staff[access.MeetupsManage],
			form:  []kv{{"title", "With banner"}, {"@jsonPayload", `{"agenda": [{"at": "18:00"}], "capacity": 7}`}},
			files: []upload{{"banner", "banner.png", pngImage(t)}},
		}, func(t testing.TB, _ core.App, rec *core.Record) {
			wantNumber("capacity", 7)(t, nil, rec)
			if rec.GetString("banner") == "" {
				t.Error("banner not stored")
			}
		}},
		{"claim attachments appended", request{collection: "claims", id: w.Claim, as: w.Student, files: []upload{
			{"attachments+", "a.png", pngImage(t)}, {"attachments+", "b.png", pngImage(t)},
		}}, func(t testing.TB, _ core.App, rec *core.Record) {
			if got := rec.GetStringSlice("attachments"); len(got) != 2 {
				t.Errorf("attachments = %v, want 2", got)
			}
		}},
	})
}
