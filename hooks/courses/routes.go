package courses

import (
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
	"questbase/hooks/audit"
	"questbase/hooks/notify"
)

func bindRoutes(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/courses").Bind(apis.RequireAuth())
		g.POST("/{id}/message", handleMessage)
		g.GET("/{id}/stats", handleStats)
		return se.Next()
	})
}

// IsHost reports whether user hosts the course.
func IsHost(course *core.Record, user string) bool {
	return user != "" && slices.Contains(course.GetStringSlice("hosts"), user)
}

// mayRun reports whether the caller runs the course: a superuser, one of
// its hosts, or a holder of one of perms for its tags.
func mayRun(e *core.RequestEvent, course *core.Record, perms ...string) (bool, error) {
	if e.HasSuperuserAuth() || IsHost(course, e.Auth.Id) {
		return true, nil
	}
	for _, perm := range perms {
		ok, err := access.Can(e.App, e.Auth.Id, perm, course.GetStringSlice("tags"))
		if err != nil || ok {
			return ok, err
		}
	}
	return false, nil
}

// loadCourse finds the course of the route and checks the caller runs it.
// Anyone who cannot see the course gets a 404; who can see it but does not
// run it, a 403.
func loadCourse(e *core.RequestEvent, perms ...string) (*core.Record, error) {
	course, err := e.App.FindRecordById(Collection, e.Request.PathValue("id"))
	if err != nil {
		return nil, e.NotFoundError("No such course.", nil)
	}
	ok, err := mayRun(e, course, perms...)
	if err != nil {
		return nil, e.InternalServerError("", err)
	}
	if !ok {
		if course.GetString("status") == StatusDraft {
			return nil, e.NotFoundError("No such course.", nil)
		}
		return nil, e.ForbiddenError("Only the course's hosts and managers may do this.", nil)
	}
	return course, nil
}

// MaxMessage is the longest host message: a Telegram message's limit.
const MaxMessage = 4096

// MessageRequest is the body of POST /api/courses/{id}/message.
type MessageRequest struct {
	Text string `json:"text"`
	// ID makes a retry safe: the same id never reaches a participant twice.
	// Optional; one is generated when empty.
	ID string `json:"id"`
}

// MessageResult is its answer.
type MessageResult struct {
	ID string `json:"id"`
	// Recipients counts the enrolled and completed participants.
	Recipients int `json:"recipients"`
	// Queued counts the outbox rows written now (fewer on a retry).
	Queued int `json:"queued"`
}

var messageIDPattern = regexp.MustCompile(`^[A-Za-z0-9_-]{1,40}$`)

// handleMessage serves POST /api/courses/{id}/message {text, id?}: one
// outbox row per participant (enrolled or completed), for the course's
// hosts and holders of courses.manage.
func handleMessage(e *core.RequestEvent) error {
	course, err := loadCourse(e, access.CoursesManage)
	if err != nil {
		return err
	}
	var req MessageRequest
	if err := e.BindBody(&req); err != nil {
		return e.BadRequestError("The body must be JSON: {text}.", validation.Errors{"text": validation.NewError("validation_invalid_body", "Send {\"text\": \"...\"}.")})
	}
	req.Text = strings.TrimSpace(req.Text)
	switch {
	case req.Text == "":
		return e.BadRequestError("Write the message.", validation.Errors{"text": validation.NewError("validation_required", "Write the message.")})
	case utf8.RuneCountInString(req.Text) > MaxMessage:
		return e.BadRequestError("The message is too long.", validation.Errors{"text": validation.NewError("validation_too_long", fmt.Sprintf("At most %d characters.", MaxMessage))})
	case req.ID != "" && !messageIDPattern.MatchString(req.ID):
		return e.BadRequestError("Invalid message id.", validation.Errors{"id": validation.NewError("validation_invalid_id", "Letters, digits, _ and -, at most 40.")})
	}
	if req.ID == "" {
		req.ID = core.GenerateDefaultRandomId()
	}
	actor := audit.FromAuth(e.Auth)
	res := MessageResult{ID: req.ID}
	err = e.App.RunInTransaction(func(tx core.App) error {
		var users []string
		err := tx.DB().Select("user").From(EnrollmentsCollection).
			Where(dbx.HashExp{"course": course.Id}).
			AndWhere(dbx.In("status", Enrolled, Completed)).
			OrderBy("created").Column(&users)
		if err != nil {
			return err
		}
		res.Recipients = len(users)
		payload := map[string]any{
			"course": course.Id, "title": course.GetString("title"),
			"text": req.Text, "from": actor.Name, "message": req.ID,
		}
		for _, u := range users {
			added, err := notify.Enqueue(tx, notify.Message{
				User: u, Kind: KindCourseMessage,
				// per course too: the id comes from the client
				Key:     KindCourseMessage + ":" + course.Id + ":" + req.ID + ":" + u,
				Payload: payload,
			})
			if err != nil {
				return err
			}
			if added {
				res.Queued++
			}
		}
		if res.Queued == 0 {
			return nil // a retry: nothing happened
		}
		return audit.Write(tx, audit.Entry{
			Actor: actor, Module: Module, Action: "message", Collection: Collection, Record: course.Id,
			Changes: map[string]any{"message": req.ID, "text": req.Text, "recipients": res.Queued},
		})
	})
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, res)
}
