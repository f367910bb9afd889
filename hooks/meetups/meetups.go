// Package meetups owns meetups and their registrations: the lifecycle
// (draft → published → finished, or cancelled), the registration window,
// one registration per user, capacity with a waitlist promoted in order,
// the notices students get (promotion, cancellation, changed time or
// place), who may rate a meetup (feedback from participants only), and
// the calendar export (.ics).
//
// Every rule is a model hook, so it holds for the REST API, the dashboard,
// the bot and Go code alike. Writes are serialized (one writer
// connection), so counting seats and taking one inside the save's
// transaction cannot overbook, however many people register at once.
package meetups

import (
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"questbase/hooks/audit"
	"questbase/hooks/config"
)

// Collections this package owns.
const (
	Collection              = "meetups"
	RegistrationsCollection = "registrations"
)

// Module names this package's rows in the audit log.
const Module = "meetups"

// Meetup statuses.
const (
	StatusDraft     = "draft"
	StatusPublished = "published"
	StatusFinished  = "finished"
	StatusCancelled = "cancelled"
)

// Registration statuses.
const (
	Registered = "registered"
	Waitlisted = "waitlisted"
	Cancelled  = "cancelled"
)

// Registration sources.
const (
	SourceBot    = "bot"
	SourceApp    = "app"
	SourceWeb    = "web"
	SourceWalkIn = "walk_in"
	SourceAdmin  = "admin"
)

// Register binds the meetup and registration rules and the calendar routes.
func Register(app core.App, cfg config.Config) {
	app.OnRecordCreate(Collection).BindFunc(onMeetupCreate)
	app.OnRecordUpdate(Collection).BindFunc(onMeetupUpdate)
	app.OnRecordCreate(RegistrationsCollection).BindFunc(onRegistrationCreate)
	app.OnRecordUpdate(RegistrationsCollection).BindFunc(onRegistrationUpdate)
	app.OnRecordCreate(FeedbackCollection).BindFunc(onFeedbackCreate)
	app.OnRecordDelete(RegistrationsCollection).BindFunc(onRegistrationDelete)
	bindRoutes(app, newCalendar(cfg.PublicURL))
}

// isSelf reports whether actor is the person the record is about, acting
// through the API or the bot.
func isSelf(actor audit.Actor, user string) bool {
	return (actor.Kind == audit.KindUser || actor.Kind == audit.KindBot) && actor.ID == user
}

// fieldError is a 400 naming one field, in PocketBase's error shape.
func fieldError(message, field, code string) error {
	return router.NewBadRequestError(message, validation.Errors{field: validation.NewError(code, message)})
}
