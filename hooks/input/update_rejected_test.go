package input_test

import (
	"testing"

	"questbase/hooks/access"
	"questbase/hooks/input"
	"questbase/hooks/testapp"
)

// TestUpdateRejected sends, for each business collection, an update with
// a wrong-type value (as a superuser, and as a user the rules let update
// where the collection has such users). The stored record stays as it was.
func TestUpdateRejected(t *testing.T) {
	w := testapp.Fixtures(t)
	su := w.Superuser
	staff := w.Staff
	update := func(collection, id, as, body string) request {
		return request{collection: collection, id: id, as: as, json: body}
	}
	const typ = input.CodeInvalidType

	runRejected(t, []rejected{
		{"tags/number as name", update("tags", w.TagML, su, `{"name": 1}`), "name", typ},
		{"tags/user bool as description", update("tags", w.TagML, staff[access.MeetupsManage], `{"description": false}`), "description", typ},
		{"roles/number as scope tags", update("roles", w.StaffRole, su, `{"scope_tags": 5}`), "scope_tags", typ},
		{"roles/user number as name", update("roles", w.StaffRole, staff[access.UsersManage], `{"name": 5}`), "name", typ},
		{"users/string as bool", update("users", w.Student, su, `{"telegram_blocked": "no"}`), "telegram_blocked", typ},
		{"users/string increment", update("users", w.Student, su, `{"points+": "lots"}`), "points", typ},
		{"users/number as password confirmation", update("users", w.Student, su, `{"password": "password654321", "passwordConfirm": 654321}`), "passwordConfirm", typ},
		{"users/self number as name", update("users", w.Student, w.Student, `{"first_name": 42}`), "first_name", typ},
		{"meetups/string as points", update("meetups", w.Meetup, su, `{"points": "lots"}`), "points", typ},
		{"meetups/user string increment", update("meetups", w.Meetup, staff[access.MeetupsManage], `{"capacity+": "1"}`), "capacity", typ},
		{"meetups/user number appended to tags", update("meetups", w.Meetup, staff[access.MeetupsManage], `{"tags+": 5}`), "tags", typ},
		{"meetups/user missing tag appended", update("meetups", w.Meetup, su, js(`{"+tags": %q}`, missingID)), "tags", codeMissingRel},
		{"registrations/student number as cancelled date", update("registrations", w.Registration, w.Student, `{"status": "cancelled", "cancelled_at": 0}`), "cancelled_at", typ},
		{"registrations/user number as status", update("registrations", w.Registration, staff[access.MeetupsManage], `{"status": 0}`), "status", typ},
		{"registrations/unreadable date", update("registrations", w.Registration, su, `{"cancelled_at": "now"}`), "cancelled_at", input.CodeInvalidDate},
		{"checkins/number as method", update("checkins", w.Checkin, su, `{"method": 5}`), "method", typ},
		{"feedback/student string as rating", update("feedback", w.Feedback, w.Student, `{"rating": "5"}`), "rating", typ},
		{"feedback/student cleared rating", update("feedback", w.Feedback, w.Student, `{"rating": null}`), "rating", codeRequired},
		{"courses/bool as share", update("courses", w.Course, su, `{"completion_share": true}`), "completion_share", typ},
		{"courses/user missing host", update("courses", w.Course, staff[access.CoursesManage], js(`{"hosts": [%q]}`, missingID)), "hosts", codeMissingRel},
		{"course_sessions/user string as bool", update("course_sessions", w.Session, staff[access.CoursesManage], `{"cancelled": "true"}`), "cancelled", typ},
		{"course_sessions/cleared start", update("course_sessions", w.Session, su, `{"starts_at": ""}`), "starts_at", codeRequired},
		{"enrollments/unreadable date", update("enrollments", w.Enrollment, su, `{"completed_at": "soon"}`), "completed_at", input.CodeInvalidDate},
		{"attendance/user number as status", update("attendance", w.Attendance, staff[access.CoursesManage], `{"status": 3}`), "status", typ},
		{"levels/string as min points", update("levels", w.Level1, su, `{"min_points": "0"}`), "min_points", typ},
		{"achievements/user string as points", update("achievements", w.Achievement, staff[access.AchievementsManage], `{"points": "20"}`), "points", typ},
		{"awards/number as note", update("awards", w.Award, su, `{"note": 5}`), "note", typ},
		{"claims/student number as title", update("claims", w.Claim, w.Student, `{"title": 5}`), "title", typ},
		{"claims/reviewer string as points", update("claims", w.Claim, staff[access.ClaimsReview], `{"points": "10"}`), "points", typ},
		{"points/string as amount", update("points", w.Ledger, su, `{"amount": "10"}`), "amount", typ},
		{"broadcasts/user string as level", update("broadcasts", w.Broadcast, staff[access.BroadcastsSend], `{"audience_level": "1"}`), "audience_level", typ},
		{"broadcasts/user missing course record", update("broadcasts", w.Broadcast, staff[access.BroadcastsSend], js(`{"audience_course": %q}`, missingID)), "audience_course", codeMissingRel},
		{"outbox/array as attempts", update("outbox", w.Outbox, su, `{"attempts": [1]}`), "attempts", typ},
		{"poll_votes/object as poll id", update("poll_votes", w.PollVote, su, `{"poll_id": {"a": 1}}`), "poll_id", typ},
		{"quizzes/user string as points", update("quizzes", w.Quiz, staff[access.MeetupsManage], `{"points": "1"}`), "points", typ},
		{"quiz_attempts/string as score", update("quiz_attempts", w.QuizAttempt, su, `{"score": "1"}`), "score", typ},
		{"quiz_attempts/student misspelt field", update("quiz_attempts", w.QuizAttempt, w.Student, `{"answer": {"0": [0]}}`), "answer", input.CodeUnknownField},
		{"raffles/string as min points", update("raffles", w.Raffle, su, `{"min_points": "5"}`), "min_points", typ},
	})
}
