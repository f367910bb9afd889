// Package courses owns courses and what hangs off them: sessions,
// enrollment (capacity, one per person), attendance marks and the points
// they pay, completion (by the course's rule or a host's mark) and its
// points, reminder settings, host messages to participants and host stats.
//
// Every rule is a model hook, so it holds for the REST API, the host
// page, the dashboard, the bot and the check-in route alike: a mark made by
// QR scan goes through Mark, which saves the same attendance record a host
// would. Points always follow the current marks through the ledger, so a
// mark corrected from present to absent takes the session's points back,
// and nothing is ever paid twice.
package courses

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"questbase/hooks/audit"
	"questbase/hooks/notify"
)

// Collections this package owns.
const (
	Collection            = "courses"
	SessionsCollection    = "course_sessions"
	EnrollmentsCollection = "enrollments"
	AttendanceCollection  = "attendance"
)

// Module names this package's rows in the audit log.
const Module = "courses"

// Course statuses.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
	StatusFinished  = "finished"
	StatusArchived  = "archived"
)

// Enrollment statuses.
const (
	Enrolled  = "enrolled"
	Completed = "completed"
	Cancelled = "cancelled"
)

// Attendance marks.
const (
	Present = "present"
	Late    = "late"
	Absent  = "absent"
	Excused = "excused"
)

// Attendance methods.
const (
	MethodManual = "manual"
	MethodQR     = "qr"
)

// Notification kinds this package writes.
const (
	KindCourseCompleted = notify.KindCourseCompleted
	KindCourseMessage   = notify.KindCourseMessage
)

// Register binds the course rules and the host routes.
func Register(app core.App) {
	app.OnRecordCreate(Collection).BindFunc(onCourseSave)
	app.OnRecordUpdate(Collection).BindFunc(onCourseSave)
	app.OnRecordUpdate(SessionsCollection).BindFunc(onSessionChange)
	app.OnRecordDelete(SessionsCollection).BindFunc(onSessionChange)
	app.OnRecordCreate(EnrollmentsCollection).BindFunc(onEnrollmentCreate)
	app.OnRecordUpdate(EnrollmentsCollection).BindFunc(onEnrollmentUpdate)
	app.OnRecordCreate(AttendanceCollection).BindFunc(onAttendanceSave)
	app.OnRecordUpdate(AttendanceCollection).BindFunc(onAttendanceSave)
	app.OnRecordDelete(AttendanceCollection).BindFunc(onAttendanceDelete)
	bindRoutes(app)
}

// attended reports whether a mark counts as attending (and pays).
func attended(status string) bool { return status == Present || status == Late }

func isSelf(actor audit.Actor, user string) bool {
	return (actor.Kind == audit.KindUser || actor.Kind == audit.KindBot) && actor.ID == user
}

// person returns the users id of a human actor, "" for superusers (not a
// users record), the system and cron.
func person(actor audit.Actor) string {
	if actor.Kind == audit.KindUser || actor.Kind == audit.KindBot {
		return actor.ID
	}
	return ""
}

// fieldError is a 400 naming one field, in PocketBase's error shape.
func fieldError(message, field, code string) error {
	return router.NewBadRequestError(message, validation.Errors{field: validation.NewError(code, message)})
}
