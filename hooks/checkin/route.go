package checkin

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"questbase/hooks/tickets"
)

func bindRoutes(app core.App, signer *tickets.Signer) {
	s := &scanner{signer: signer, now: time.Now}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST("/api/checkin", s.handle).Bind(apis.RequireAuth())
		se.Router.GET("/api/checkin/people", handlePeople).Bind(apis.RequireAuth())
		return se.Next()
	})
}

// Request is the body of POST /api/checkin: a ticket code (with the meetup
// or the course session being checked in at), or, for a walk-in, the user
// and the meetup.
type Request struct {
	Code    string `json:"code"`
	Meetup  string `json:"meetup"`
	Session string `json:"session"`
	User    string `json:"user"`
	// Method is "qr" (scanned, the default) or "code" (typed by hand).
	Method string `json:"method"`
}

// Response is the answer to a check-in that let the person in: result
// "checked_in" now, or "already" (At and By then say when and by whom).
type Response struct {
	Result string `json:"result"`
	User   Card   `json:"user"`
	// At is when the person was checked in (now, or the first time).
	At string `json:"at"`
	// By is the name of who checked them in, ByID their users id ("" for a
	// superuser).
	By   string `json:"by"`
	ByID string `json:"by_id"`
	// Method is how they were checked in (qr, rotating_qr, code, walk_in,
	// manual).
	Method string `json:"method"`
	// Points the check-in paid now (0 for "already").
	Points int `json:"points"`

	Meetup       *Ref   `json:"meetup,omitempty"`
	Session      *Ref   `json:"session,omitempty"`
	Registration string `json:"registration,omitempty"`
	Checkin      string `json:"checkin,omitempty"`
	Attendance   string `json:"attendance,omitempty"`
}

// Ref names a meetup, a course session (with its course) for the card.
type Ref struct {
	ID     string `json:"id"`
	Title  string `json:"title"`
	Course string `json:"course,omitempty"`
}

// Results.
const (
	ResultCheckedIn = "checked_in"
	ResultAlready   = "already"
)

// Refusal is a 400 answer: PocketBase's error shape naming the field at
// fault, plus the reason code at the top for clients to switch on.
type Refusal struct {
	Status  int            `json:"status"`
	Message string         `json:"message"`
	Data    map[string]any `json:"data"`
	Reason  string         `json:"reason"`
}

// refusal is a check-in refused for a reason; it changes nothing.
type refusal struct {
	field, reason, message string
}

func (r *refusal) Error() string { return "checkin refused: " + r.reason }

func refuse(field, reason, message string) error {
	return &refusal{field: field, reason: reason, message: message}
}

// fieldError is a 400 naming one field, in PocketBase's error shape.
func fieldError(message, field, code string) error {
	return router.NewBadRequestError(message, validation.Errors{field: validation.NewError(code, message)})
}

// answer writes err as the route's error response.
func answer(e *core.RequestEvent, err error) error {
	var r *refusal
	if errors.As(err, &r) {
		return e.JSON(http.StatusBadRequest, Refusal{
			Status: http.StatusBadRequest, Message: r.message, Reason: r.reason,
			Data: map[string]any{r.field: map[string]any{"code": r.reason, "message": r.message}},
		})
	}
	var api *router.ApiError
	if errors.As(err, &api) {
		return api
	}
	return e.InternalServerError("", err)
}

// maxBody bounds a check-in request.
const maxBody = 8 << 10

// readRequest reads the body strictly: every key must be known and a
// string, so a typo or a wrong type is a 400 naming the field.
func readRequest(e *core.RequestEvent) (Request, error) {
	var req Request
	raw, err := io.ReadAll(io.LimitReader(e.Request.Body, maxBody+1))
	if err != nil || len(raw) > maxBody {
		return req, refuse("code", "validation_invalid_body", "The body must be a small JSON object.")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return req, refuse("code", "validation_invalid_body", "The body must be a JSON object: {code, meetup} or {code, session} or {user, meetup}.")
	}
	targets := map[string]*string{"code": &req.Code, "meetup": &req.Meetup, "session": &req.Session, "user": &req.User, "method": &req.Method}
	for k, v := range fields {
		dst, ok := targets[k]
		if !ok {
			return req, refuse(k, "validation_unknown_key", "Unknown key "+k+".")
		}
		if string(v) == "null" {
			continue
		}
		if err := json.Unmarshal(v, dst); err != nil {
			return req, refuse(k, "validation_invalid_type", k+" must be a string.")
		}
		*dst = strings.TrimSpace(*dst)
	}
	switch {
	case req.Code != "" && req.User != "":
		return req, refuse("user", "validation_conflict", "Give a ticket code or a user, not both.")
	case req.Code == "" && req.User == "":
		return req, refuse("code", "validation_required", "Give the ticket code.")
	case req.Method != "" && req.Method != MethodQR && req.Method != MethodCode:
		return req, refuse("method", "validation_invalid_value", "method is qr (scanned) or code (typed).")
	case req.User != "" && req.Meetup == "":
		return req, refuse("meetup", "validation_required", "Choose the meetup the walk-in is for.")
	case req.User != "" && req.Session != "":
		return req, refuse("session", "validation_conflict", "Walk-ins are for meetups; mark course guests in the attendance grid.")
	case req.Meetup != "" && req.Session != "":
		return req, refuse("session", "validation_conflict", "Give a meetup or a session, not both.")
	}
	return req, nil
}

func fieldErrors(field, code, message string) validation.Errors {
	return validation.Errors{field: validation.NewError(code, message)}
}
