package input_test

import (
	"fmt"
	"testing"

	"questbase/hooks/access"
	"questbase/hooks/input"
	"questbase/hooks/testapp"
)

// Error codes PocketBase's own record validation answers with.
const (
	codeRequired   = "validation_required"
	codeMissingRel = "validation_missing_rel_records"
)

// js formats a JSON body; %q of a Go string is a valid JSON string for
// the ids and words used here.
func js(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// TestCreateRejected sends, for each business collection, create requests
// with a wrong-type value (as a superuser and as a user the rules let
// create), without a required field, and with a relation to a missing
// record. Each gets a 400 naming the field and saves nothing.
func TestCreateRejected(t *testing.T) {
	w := testapp.Fixtures(t)
	su := w.Superuser
	staff := w.Staff
	create := func(collection, as, body string) request {
		return request{collection: collection, as: as, json: body}
	}
	const typ = input.CodeInvalidType

	runRejected(t, []rejected{
		// tags
		{"tags/number as name", create("tags", su, `{"name": 5}`), "name", typ},
		{"tags/user bool as name", create("tags", staff[access.MeetupsManage], `{"name": true}`), "name", typ},
		{"tags/missing name", create("tags", su, `{"description": "x"}`), "name", codeRequired},

		// roles
		{"roles/number as permissions", create("roles", su, `{"name": "r", "permissions": 5}`), "permissions", typ},
		{"roles/user numbers as scope tags", create("roles", staff[access.UsersManage], `{"name": "r", "scope_tags": [1]}`), "scope_tags", typ},
		{"roles/missing name", create("roles", su, `{"description": "x"}`), "name", codeRequired},
		{"roles/missing scope tag", create("roles", su, js(`{"name": "r", "scope_tags": [%q]}`, missingID)), "scope_tags", codeMissingRel},

		// users
		{"users/string as telegram id", create("users", su, `{"first_name": "A", "telegram_id": "1001", "password": "password123456", "passwordConfirm": "password123456"}`), "telegram_id", typ},
		{"users/user array as first name", create("users", staff[access.UsersManage], `{"first_name": ["A"], "password": "password123456", "passwordConfirm": "password123456"}`), "first_name", typ},
		{"users/missing password", create("users", su, `{"first_name": "A"}`), "password", codeRequired},
		{"users/missing role", create("users", su, js(`{"first_name": "A", "roles": [%q], "password": "password123456", "passwordConfirm": "password123456"}`, missingID)), "roles", codeMissingRel},

		// meetups
		{"meetups/string as points", create("meetups", su, js(`{"title": "t", "starts_at": %q, "points": "lots"}`, future)), "points", typ},
		{"meetups/user unreadable date", create("meetups", staff[access.MeetupsManage], `{"title": "t", "starts_at": "next friday"}`), "starts_at", input.CodeInvalidDate},
		{"meetups/user fraction as capacity", create("meetups", staff[access.MeetupsManage], js(`{"title": "t", "starts_at": %q, "capacity": 10.5}`, future)), "capacity", input.CodeOnlyInt},
		{"meetups/missing start", create("meetups", su, `{"title": "t"}`), "starts_at", codeRequired},
		{"meetups/missing tag", create("meetups", su, js(`{"title": "t", "starts_at": %q, "tags": [%q]}`, future, missingID)), "tags", codeMissingRel},

		// registrations
		{"registrations/number as status", create("registrations", su, js(`{"meetup": %q, "user": %q, "status": 1}`, w.Meetup, w.Student2)), "status", typ},
		{"registrations/user list as single source", create("registrations", w.Student2, js(`{"meetup": %q, "user": %q, "source": ["app", "bot"]}`, w.Meetup, w.Student2)), "source", typ},
		{"registrations/missing user", create("registrations", su, js(`{"meetup": %q}`, w.Meetup)), "user", codeRequired},
		{"registrations/missing meetup record", create("registrations", su, js(`{"meetup": %q, "user": %q}`, missingID, w.Student2)), "meetup", codeMissingRel},

		// checkins
		{"checkins/bool as method", create("checkins", su, js(`{"meetup": %q, "user": %q, "method": true}`, w.Meetup, w.Student2)), "method", typ},
		{"checkins/user number as registration", create("checkins", staff[access.CheckinScan], js(`{"meetup": %q, "user": %q, "registration": 5}`, w.Meetup, w.Student2)), "registration", typ},
		{"checkins/missing user", create("checkins", su, js(`{"meetup": %q}`, w.Meetup)), "user", codeRequired},
		{"checkins/user missing scanner record", create("checkins", staff[access.CheckinScan], js(`{"meetup": %q, "user": %q, "scanned_by": %q}`, w.Meetup, w.Student2, missingID)), "scanned_by", codeMissingRel},

		// feedback
		{"feedback/string as rating", create("feedback", su, js(`{"meetup": %q, "user": %q, "rating": "5"}`, w.Meetup, w.Student2)), "rating", typ},
		{"feedback/user fraction as rating", create("feedback", w.Student2, js(`{"meetup": %q, "user": %q, "rating": 4.5}`, w.Meetup, w.Student2)), "rating", input.CodeOnlyInt},
		{"feedback/missing rating", create("feedback", su, js(`{"meetup": %q, "user": %q}`, w.Meetup, w.Student2)), "rating", codeRequired},
		{"feedback/missing meetup record", create("feedback", su, js(`{"meetup": %q, "user": %q, "rating": 4}`, missingID, w.Student2)), "meetup", codeMissingRel},

		// courses
		{"courses/string as share", create("courses", su, `{"title": "c", "completion_share": "half"}`), "completion_share", typ},
		{"courses/user integer beyond 2^53", create("courses", staff[access.CoursesManage], `{"title": "c", "capacity": 9007199254740993}`), "capacity", input.CodeUnsafeInt},
		{"courses/missing title", create("courses", su, `{"description": "x"}`), "title", codeRequired},
		{"courses/missing host", create("courses", su, js(`{"title": "c", "hosts": [%q]}`, missingID)), "hosts", codeMissingRel},

		// course_sessions
		{"course_sessions/string as bool", create("course_sessions", su, js(`{"course": %q, "starts_at": %q, "cancelled": "yes"}`, w.Course, future)), "cancelled", typ},
		{"course_sessions/host number as date", create("course_sessions", w.Host, js(`{"course": %q, "starts_at": 1700000000}`, w.Course)), "starts_at", typ},
		{"course_sessions/missing start", create("course_sessions", su, js(`{"course": %q}`, w.Course)), "starts_at", codeRequired},
		{"course_sessions/missing course record", create("course_sessions", su, js(`{"course": %q, "starts_at": %q}`, missingID, future)), "course", codeMissingRel},

		// enrollments
		{"enrollments/unreadable date", create("enrollments", su, js(`{"course": %q, "user": %q, "completed_at": "yesterday"}`, w.Course, w.Student2)), "completed_at", input.CodeInvalidDate},
		{"enrollments/user list as single user", create("enrollments", w.Student2, js(`{"course": %q, "user": [%q]}`, w.Course, w.Student2)), "user", typ},
		{"enrollments/missing user", create("enrollments", su, js(`{"course": %q}`, w.Course)), "user", codeRequired},
		{"enrollments/missing user record", create("enrollments", su, js(`{"course": %q, "user": %q}`, w.Course, missingID)), "user", codeMissingRel},

		// attendance
		{"attendance/number as method", create("attendance", su, js(`{"session": %q, "user": %q, "status": "present", "method": 0}`, w.Session, w.Student2)), "method", typ},
		{"attendance/host list as single status", create("attendance", w.Host, js(`{"session": %q, "user": %q, "status": ["present", "late"]}`, w.Session, w.Student2)), "status", typ},
		{"attendance/missing status", create("attendance", su, js(`{"session": %q, "user": %q}`, w.Session, w.Student2)), "status", codeRequired},
		{"attendance/user missing marker record", create("attendance", staff[access.CoursesManage], js(`{"session": %q, "user": %q, "status": "present", "marked_by": %q}`, w.Session, w.Student2, missingID)), "marked_by", codeMissingRel},

		// levels
		{"levels/string as number", create("levels", su, `{"number": "eleven", "title": "L"}`), "number", typ},
		{"levels/user string as min points", create("levels", staff[access.AchievementsManage], `{"number": 11, "title": "L", "min_points": "100"}`), "min_points", typ},
		{"levels/missing number", create("levels", su, `{"title": "L"}`), "number", codeRequired},

		// achievements
		{"achievements/string as bool", create("achievements", su, `{"title": "A", "archived": "yes"}`), "archived", typ},
		{"achievements/user object as points", create("achievements", staff[access.AchievementsManage], `{"title": "A", "points": {"n": 1}}`), "points", typ},
		{"achievements/missing title", create("achievements", su, `{"points": 5}`), "title", codeRequired},
		{"achievements/missing tag record", create("achievements", su, js(`{"title": "A", "rule_tag": %q}`, missingID)), "rule_tag", codeMissingRel},

		// awards
		{"awards/number as note", create("awards", su, js(`{"user": %q, "achievement": %q, "note": 12}`, w.Student2, w.Achievement)), "note", typ},
		{"awards/user number as claim", create("awards", staff[access.AchievementsAward], js(`{"user": %q, "achievement": %q, "claim": 1}`, w.Student2, w.Achievement)), "claim", typ},
		{"awards/missing achievement", create("awards", su, js(`{"user": %q}`, w.Student2)), "achievement", codeRequired},
		{"awards/missing achievement record", create("awards", su, js(`{"user": %q, "achievement": %q}`, w.Student2, missingID)), "achievement", codeMissingRel},

		// claims
		{"claims/string as points", create("claims", su, js(`{"user": %q, "title": "C", "points": "10"}`, w.Student2)), "points", typ},
		{"claims/user array as description", create("claims", w.Student2, js(`{"user": %q, "title": "C", "description": ["a"]}`, w.Student2)), "description", typ},
		{"claims/missing title", create("claims", su, js(`{"user": %q}`, w.Student2)), "title", codeRequired},
		{"claims/missing tag record", create("claims", su, js(`{"user": %q, "title": "C", "tags": [%q]}`, w.Student2, missingID)), "tags", codeMissingRel},

		// points
		{"points/string as amount", create("points", su, js(`{"user": %q, "amount": "ten", "reason": "correction"}`, w.Student2)), "amount", typ},
		{"points/user fraction as amount", create("points", staff[access.UsersManage], js(`{"user": %q, "amount": 1.5, "reason": "correction"}`, w.Student2)), "amount", input.CodeOnlyInt},
		// the ledger's own hook answers first for a missing (zero) amount, with its code
		{"points/missing amount", create("points", su, js(`{"user": %q, "reason": "correction", "note": "n"}`, w.Student2)), "amount", ""},
		{"points/missing user record", create("points", su, js(`{"user": %q, "amount": 1, "reason": "correction", "note": "n"}`, missingID)), "user", codeMissingRel},

		// broadcasts
		{"broadcasts/string as bool", create("broadcasts", su, `{"title": "B", "poll_multiple": "true"}`), "poll_multiple", typ},
		{"broadcasts/user unreadable date", create("broadcasts", staff[access.BroadcastsSend], `{"title": "B", "scheduled_at": "next week"}`), "scheduled_at", input.CodeInvalidDate},
		{"broadcasts/missing title", create("broadcasts", su, `{"text": "x"}`), "title", codeRequired},
		{"broadcasts/missing meetup record", create("broadcasts", su, js(`{"title": "B", "audience_meetup": %q}`, missingID)), "audience_meetup", codeMissingRel},

		// outbox (superusers only)
		{"outbox/string as attempts", create("outbox", su, js(`{"user": %q, "kind": "k", "dedupe_key": "d", "attempts": "3"}`, w.Student2)), "attempts", typ},
		{"outbox/missing dedupe key", create("outbox", su, js(`{"user": %q, "kind": "k"}`, w.Student2)), "dedupe_key", codeRequired},
		{"outbox/missing broadcast record", create("outbox", su, js(`{"user": %q, "kind": "k", "dedupe_key": "d", "broadcast": %q}`, w.Student2, missingID)), "broadcast", codeMissingRel},

		// poll_votes (superusers only)
		{"poll_votes/number as poll id", create("poll_votes", su, js(`{"broadcast": %q, "user": %q, "poll_id": 7}`, w.Broadcast, w.Student2)), "poll_id", typ},
		{"poll_votes/missing user", create("poll_votes", su, js(`{"broadcast": %q}`, w.Broadcast)), "user", codeRequired},
		{"poll_votes/missing broadcast record", create("poll_votes", su, js(`{"broadcast": %q, "user": %q}`, missingID, w.Student2)), "broadcast", codeMissingRel},

		// quizzes
		{"quizzes/string as number", create("quizzes", su, js(`{"meetup": %q, "title": "Q", "current_question": "first"}`, w.Meetup)), "current_question", typ},
		{"quizzes/user list as single mode", create("quizzes", staff[access.MeetupsManage], js(`{"meetup": %q, "title": "Q", "mode": ["live"]}`, w.Meetup)), "mode", typ},
		{"quizzes/missing title", create("quizzes", su, js(`{"meetup": %q}`, w.Meetup)), "title", codeRequired},
		{"quizzes/missing meetup record", create("quizzes", su, js(`{"meetup": %q, "title": "Q"}`, missingID)), "meetup", codeMissingRel},

		// quiz_attempts
		{"quiz_attempts/string as score", create("quiz_attempts", su, js(`{"quiz": %q, "user": %q, "score": "high"}`, w.Quiz, w.Student2)), "score", typ},
		{"quiz_attempts/user number as quiz", create("quiz_attempts", w.Student2, js(`{"quiz": 5, "user": %q}`, w.Student2)), "quiz", typ},
		{"quiz_attempts/missing user", create("quiz_attempts", su, js(`{"quiz": %q}`, w.Quiz)), "user", codeRequired},
		{"quiz_attempts/missing quiz record", create("quiz_attempts", su, js(`{"quiz": %q, "user": %q}`, missingID, w.Student2)), "quiz", codeMissingRel},

		// raffles
		{"raffles/string as count", create("raffles", su, js(`{"meetup": %q, "title": "R", "winners_count": "two"}`, w.Meetup)), "winners_count", typ},
		{"raffles/user bool as eligibility", create("raffles", staff[access.RafflesRun], js(`{"meetup": %q, "title": "R", "eligibility": false}`, w.Meetup)), "eligibility", typ},
		{"raffles/missing title", create("raffles", su, js(`{"meetup": %q}`, w.Meetup)), "title", codeRequired},
		{"raffles/missing meetup record", create("raffles", su, js(`{"meetup": %q, "title": "R"}`, missingID)), "meetup", codeMissingRel},
	})
}
