package migrations

import (
	"fmt"

	"github.com/pocketbase/pocketbase/core"
	m "github.com/pocketbase/pocketbase/migrations"

	a "questbase/hooks/access"
)

// apiRules is every collection's access in one table. nil means superusers
// only, "" means anyone (only for the public catalogue). The access test
// matrix in hooks/access checks each cell of it by real requests.
type apiRules struct {
	list, view, create, update, delete *string
}

const own = "user = @request.auth.id"

var (
	hostOf     = a.Includes("course.hosts")
	hostOfSess = a.Includes("session.course.hosts")
)

// usersSelfLocked are the users fields a student may not change on their own
// record: points and level come from the ledger, the verification decision
// from reviewers, roles from admins, the Telegram link from the bot.
var usersSelfLocked = []string{
	"points", "level", "roles", "telegram_id", "telegram_username", "telegram_blocked",
	"verification_status", "verification_note", "verification_reviewed_by", "verification_reviewed_at", "verification_submitted_at",
}

// usersReviewerLocked are the users fields a verification reviewer may not
// change: everything but the decision itself.
var usersReviewerLocked = []string{
	"email", "emailVisibility", "verified", "first_name", "last_name", "study_group", "language",
	"points", "level", "roles", "telegram_id", "telegram_username", "telegram_blocked",
	"verification_photo", "verification_submitted_at", "verification_reviewed_by", "verification_reviewed_at",
}

// Scope tags limit a role to the meetups and courses (and what hangs off
// them) carrying one of the tags. Everything else carries no tag, so only an
// unscoped role grants rights on it: HasGlobal, never Has.
func collectionRules() map[string]apiRules {
	r := rule

	usersManage := a.HasGlobal(a.UsersManage)
	catalog := a.Or(a.HasGlobal(a.MeetupsManage), a.HasGlobal(a.CoursesManage), a.HasGlobal(a.AchievementsManage))
	meetupStaff := func(path string) string {
		return a.Or(a.HasFor(a.MeetupsManage, path), a.HasFor(a.CheckinScan, path))
	}

	seeUsers := a.Or(
		"id = @request.auth.id",
		usersManage,
		a.HasGlobal(a.VerificationReview),
		a.HasGlobal(a.CheckinScan),
		a.HasGlobal(a.ClaimsReview),
		a.HasGlobal(a.AchievementsAward),
		// course hosts see the people enrolled in their courses
		a.Includes("enrollments_via_user.course.hosts"),
	)

	// A scanner scoped to tags fetches the verification photo of people
	// registered at their meetups, through a file token only: the check-in
	// card links it so that faces can be compared at the door. The photo
	// download hook (hooks/verification) checks the same.
	scannerSeesPhoto := a.And(`@request.context = "protectedFile"`, a.HasFor(a.CheckinScan, "registrations_via_user.meetup.tags"))

	// Broadcasts: unscoped senders reach anyone; scoped senders only the
	// participants of a meetup or course carrying their tags; course hosts
	// only their course's participants.
	sendAll := a.HasGlobal(a.BroadcastsSend)
	sendScoped := a.Or(
		a.And(`audience = "meetup_registered" || audience = "meetup_checked_in"`, a.HasFor(a.BroadcastsSend, "audience_meetup.tags")),
		a.And(`audience = "course"`, a.HasFor(a.BroadcastsSend, "audience_course.tags")),
	)
	courseHost := a.And(`audience = "course"`, a.Includes("audience_course.hosts"))
	seeBroadcast := a.Or(sendAll, sendScoped, courseHost)

	rules := map[string]apiRules{
		"tags": {list: r(""), view: r(""), create: r(catalog), update: r(catalog), delete: r(catalog)},
		"roles": {
			list: r(a.Or("@request.auth.roles.id ?= id", usersManage)), view: r(a.Or("@request.auth.roles.id ?= id", usersManage)),
			create: r(usersManage), update: r(usersManage), delete: r(usersManage),
		},
		"users": {
			list: r(seeUsers), view: r(a.Or(seeUsers, scannerSeesPhoto)),
			create: r(a.And(usersManage, a.Unset("points", "level", "verification_status"))),
			update: r(a.Or(
				a.And("id = @request.auth.id", a.Unchanged(usersSelfLocked...)),
				a.And(usersManage, a.Unchanged("points", "level", "verification_status", "verification_note", "verification_reviewed_by", "verification_reviewed_at")),
				a.And(a.HasGlobal(a.VerificationReview), a.Unchanged(usersReviewerLocked...), a.Unset("password")),
			)),
			delete: r(usersManage),
		},
		a.GrantsCollection: {},
		"public_profiles":  {list: r(a.SignedIn), view: r(a.SignedIn)},

		"meetups": {
			list: r(a.Or(`status != "draft"`, meetupStaff("tags"))), view: r(a.Or(`status != "draft"`, meetupStaff("tags"))),
			create: r(a.HasFor(a.MeetupsManage, "tags")),
			update: r(a.And(a.HasFor(a.MeetupsManage, "tags"), a.Or(a.Unchanged("tags"), a.HasFor(a.MeetupsManage, "@request.body.tags")))),
			delete: r(a.HasFor(a.MeetupsManage, "tags")),
		},
		"registrations": {
			list: r(a.Or(own, meetupStaff("meetup.tags"))), view: r(a.Or(own, meetupStaff("meetup.tags"))),
			create: r(a.Or(a.And(own, `meetup.status = "published"`), meetupStaff("meetup.tags"))),
			update: r(a.And(a.Unchanged("meetup", "user"), a.Or(
				// a student may only cancel: seats and the waitlist are the service's to decide
				// or register again after cancelling; the hooks give a seat or a waitlist place
				a.And(own, a.Unchanged("source", "cancelled_at", "promoted_at"), `@request.body.status:changed = false || @request.body.status = "cancelled" || (status = "cancelled" && @request.body.status = "registered")`),
				a.HasFor(a.MeetupsManage, "meetup.tags"),
			))),
			delete: r(a.HasFor(a.MeetupsManage, "meetup.tags")),
		},
		"checkins": {
			list: r(a.Or(own, meetupStaff("meetup.tags"))), view: r(a.Or(own, meetupStaff("meetup.tags"))),
			create: r(a.HasFor(a.CheckinScan, "meetup.tags")),
			delete: r(a.HasFor(a.MeetupsManage, "meetup.tags")),
		},
		"feedback": {
			list:   r(a.Or(own, a.HasFor(a.MeetupsManage, "meetup.tags"), a.HasFor(a.StatsView, "meetup.tags"))),
			view:   r(a.Or(own, a.HasFor(a.MeetupsManage, "meetup.tags"), a.HasFor(a.StatsView, "meetup.tags"))),
			create: r(own),
			update: r(a.And(own, a.Unchanged("meetup", "user"))),
		},

		"courses": {
			list:   r(a.Or(`status != "draft"`, a.Includes("hosts"), a.HasFor(a.CoursesManage, "tags"))),
			view:   r(a.Or(`status != "draft"`, a.Includes("hosts"), a.HasFor(a.CoursesManage, "tags"))),
			create: r(a.HasFor(a.CoursesManage, "tags")),
			update: r(a.Or(
				// hosts edit the course's info, schedule and reminders; publishing, rules and points are the managers'
				a.And(a.Includes("hosts"), a.Unchanged("hosts", "tags", "status", "points_per_session", "points_on_completion", "completion_share", "capacity")),
				a.And(a.HasFor(a.CoursesManage, "tags"), a.Or(a.Unchanged("tags"), a.HasFor(a.CoursesManage, "@request.body.tags"))),
			)),
			delete: r(a.HasFor(a.CoursesManage, "tags")),
		},
		"course_sessions": {
			list:   r(a.Or(`course.status != "draft"`, hostOf, a.HasFor(a.CoursesManage, "course.tags"))),
			view:   r(a.Or(`course.status != "draft"`, hostOf, a.HasFor(a.CoursesManage, "course.tags"))),
			create: r(a.Or(hostOf, a.HasFor(a.CoursesManage, "course.tags"))),
			update: r(a.And(a.Unchanged("course"), a.Or(hostOf, a.HasFor(a.CoursesManage, "course.tags")))),
			delete: r(a.Or(hostOf, a.HasFor(a.CoursesManage, "course.tags"))),
		},
		"enrollments": {
			list:   r(a.Or(own, hostOf, a.HasFor(a.CoursesManage, "course.tags"))),
			view:   r(a.Or(own, hostOf, a.HasFor(a.CoursesManage, "course.tags"))),
			create: r(a.Or(a.And(own, `course.status = "published"`, a.Unset("status", "completed_at", "completed_by")), a.HasFor(a.CoursesManage, "course.tags"))),
			update: r(a.And(a.Unchanged("course", "user"), a.Or(
				a.And(own, `status != "completed"`, a.Unchanged("completed_at", "completed_by"), `(@request.body.status:changed = false || @request.body.status = "cancelled" || @request.body.status = "enrolled")`),
				hostOf,
				a.HasFor(a.CoursesManage, "course.tags"),
			))),
			delete: r(a.HasFor(a.CoursesManage, "course.tags")),
		},
		"attendance": {
			list:   r(a.Or(own, hostOfSess, a.HasFor(a.CoursesManage, "session.course.tags"))),
			view:   r(a.Or(own, hostOfSess, a.HasFor(a.CoursesManage, "session.course.tags"))),
			create: r(a.Or(hostOfSess, a.HasFor(a.CoursesManage, "session.course.tags"))),
			update: r(a.And(a.Unchanged("session", "user"), a.Or(hostOfSess, a.HasFor(a.CoursesManage, "session.course.tags")))),
			delete: r(a.Or(hostOfSess, a.HasFor(a.CoursesManage, "session.course.tags"))),
		},

		"levels": {list: r(""), view: r(""), create: r(a.HasGlobal(a.AchievementsManage)), update: r(a.HasGlobal(a.AchievementsManage)), delete: r(a.HasGlobal(a.AchievementsManage))},
		"achievements": {
			list: r(""), view: r(""),
			create: r(a.HasGlobal(a.AchievementsManage)), update: r(a.HasGlobal(a.AchievementsManage)), delete: r(a.HasGlobal(a.AchievementsManage)),
		},
		// awards carry points: nobody awards themselves (as with claims and corrections)
		"awards": {list: r(a.SignedIn), view: r(a.SignedIn), create: r(a.And(a.HasGlobal(a.AchievementsAward), "user != @request.auth.id"))},
		"claims": {
			list: r(a.Or(own, a.HasGlobal(a.ClaimsReview))), view: r(a.Or(own, a.HasGlobal(a.ClaimsReview))),
			create: r(a.And(own, a.Unset("status", "points", "achievement", "review_note", "reviewed_by", "reviewed_at"))),
			update: r(a.Or(
				a.And(own, `status = "pending"`, a.Unchanged("user", "status", "points", "achievement", "review_note", "reviewed_by", "reviewed_at")),
				a.And(a.HasGlobal(a.ClaimsReview), "user != @request.auth.id", a.Unchanged("user", "title", "description", "attachments", "reviewed_by", "reviewed_at")),
			)),
			delete: r(a.And(own, `status = "pending"`)),
		},
		"points": {
			list:   r(a.Or(own, usersManage, a.HasGlobal(a.StatsView), a.HasGlobal(a.AuditView))),
			view:   r(a.Or(own, usersManage, a.HasGlobal(a.StatsView), a.HasGlobal(a.AuditView))),
			create: r(a.And(usersManage, `reason = "correction"`, "user != @request.auth.id")),
		},

		"broadcasts": {
			list:   r(seeBroadcast),
			view:   r(seeBroadcast),
			create: r(seeBroadcast),
			update: r(a.And(`status = "draft" || status = "scheduled"`, a.Or(
				sendAll,
				a.And(a.Or(sendScoped, courseHost), a.Unchanged("audience", "audience_meetup", "audience_course")),
			))),
			delete: r(a.And(`status = "draft"`, a.Or(sendAll, sendScoped))),
		},
		"outbox":     {list: r(a.HasGlobal(a.BroadcastsSend)), view: r(a.HasGlobal(a.BroadcastsSend))},
		"poll_votes": {list: r(a.Or(own, a.HasGlobal(a.BroadcastsSend), a.HasGlobal(a.StatsView))), view: r(a.Or(own, a.HasGlobal(a.BroadcastsSend), a.HasGlobal(a.StatsView)))},

		"quizzes": {
			list: r(a.HasFor(a.MeetupsManage, "meetup.tags")), view: r(a.HasFor(a.MeetupsManage, "meetup.tags")),
			create: r(a.HasFor(a.MeetupsManage, "meetup.tags")),
			update: r(a.And(a.Unchanged("meetup"), a.HasFor(a.MeetupsManage, "meetup.tags"))),
			delete: r(a.HasFor(a.MeetupsManage, "meetup.tags")),
		},
		"quiz_attempts": {
			list: r(a.Or(own, a.HasFor(a.MeetupsManage, "quiz.meetup.tags"))), view: r(a.Or(own, a.HasFor(a.MeetupsManage, "quiz.meetup.tags"))),
			create: r(a.And(own, a.Unset("score", "finished_at"))),
			update: r(a.And(own, `finished_at = ""`, a.Unchanged("quiz", "user", "score", "finished_at"))),
		},
		"raffles": {
			list:   r(a.Or(a.And(a.SignedIn, `status = "committed" || status = "drawn"`), a.HasFor(a.RafflesRun, "meetup.tags"))),
			view:   r(a.Or(a.And(a.SignedIn, `status = "committed" || status = "drawn"`), a.HasFor(a.RafflesRun, "meetup.tags"))),
			create: r(a.And(a.HasFor(a.RafflesRun, "meetup.tags"), a.Unset("seed", "seed_hash", "revealed_seed", "winners", "eligible_count", "drawn_at", "drawn_by"))),
			update: r(a.And(`status = "draft"`, a.Unchanged("meetup", "seed", "seed_hash", "revealed_seed", "winners", "eligible_count", "drawn_at", "drawn_by"), a.HasFor(a.RafflesRun, "meetup.tags"))),
			delete: r(a.And(`status = "draft"`, a.HasFor(a.RafflesRun, "meetup.tags"))),
		},

		// reviewers read the history of a profile; only the hooks write it
		"verification_archive": {list: r(a.HasGlobal(a.VerificationReview)), view: r(a.HasGlobal(a.VerificationReview))},

		"audit_log": {list: r(a.HasGlobal(a.AuditView)), view: r(a.HasGlobal(a.AuditView))},
		"app_state": {},
	}
	return rules
}

func init() {
	m.Register(applyRules, nil)
}

// applyRules sets every collection's rules from the table. Later
// migrations call it again when the table changed, so that existing
// databases follow it too.
func applyRules(app core.App) error {
	for name, rs := range collectionRules() {
		c, err := app.FindCollectionByNameOrId(name)
		if err != nil {
			return fmt.Errorf("rules for %q: %w", name, err)
		}
		c.ListRule, c.ViewRule, c.CreateRule, c.UpdateRule, c.DeleteRule = rs.list, rs.view, rs.create, rs.update, rs.delete
		if name == "users" {
			c.ManageRule = rule(a.HasGlobal(a.UsersManage))
		}
		if err := app.Save(c); err != nil {
			return fmt.Errorf("rules for %q: %w", name, err)
		}
	}
	return nil
}
