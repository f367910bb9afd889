package tickets

import (
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"net/http"
	"time"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
	qrcode "github.com/skip2/go-qrcode"
)

// Response is the JSON answer of GET /api/tickets/{id}.
type Response struct {
	Kind Kind   `json:"kind"`
	ID   string `json:"id"`
	// Meetup or Course is the record the ticket admits to.
	Meetup string `json:"meetup,omitempty"`
	Course string `json:"course,omitempty"`
	Code   string `json:"code"`
	// QR is the code as a PNG data URL.
	QR string `json:"qr"`
	// Live is set for a rotating code; ExpiresAt is when the next window
	// starts (the code is accepted for one more window after that), and
	// RefreshIn the milliseconds until then by the server's clock, which a
	// phone with a wrong clock can still count down.
	Live      bool   `json:"live"`
	ExpiresAt string `json:"expires_at,omitempty"`
	RefreshIn int64  `json:"refresh_in,omitempty"`
}

// QR returns a PNG of code: medium error correction, 8 pixels a module.
func QR(code string) ([]byte, error) {
	png, err := qrcode.Encode(code, qrcode.Medium, -8)
	if err != nil {
		return nil, fmt.Errorf("ticket QR: %w", err)
	}
	return png, nil
}

// handleTicket serves GET /api/tickets/{id}: the ticket of the caller's
// registration or enrollment {id}. Anyone else gets a 404, as for a record
// they may not see. ?format=png answers the QR image itself; ?live=1 a
// rotating code (the Mini App polls it every window).
func (s *Signer) handleTicket(e *core.RequestEvent) error {
	id := e.Request.PathValue("id")
	if e.Auth == nil {
		return e.UnauthorizedError("Sign in to get your ticket.", nil)
	}
	kind, rec, err := findOwn(e.App, id, e.Auth)
	if err != nil {
		if errors.Is(err, sql.ErrNoRows) {
			return e.NotFoundError("No such ticket.", nil)
		}
		return e.InternalServerError("", err)
	}
	if reason, msg := unusable(kind, rec); reason != "" {
		return e.BadRequestError(msg, validation.Errors{"status": validation.NewError(reason, msg)})
	}

	q := e.Request.URL.Query()
	live := q.Get("live") == "1" || q.Get("live") == "true"
	format := q.Get("format")
	if format != "" && format != "png" && format != "json" {
		return e.BadRequestError("Unknown format.", validation.Errors{"format": validation.NewError("validation_invalid_format", "Use format=png or leave it out.")})
	}

	now := time.Now()
	var code string
	if live {
		code, err = s.Rotating(kind, rec.Id, now)
	} else {
		code, err = s.Sign(kind, rec.Id)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	png, err := QR(code)
	if err != nil {
		return e.InternalServerError("", err)
	}
	// a ticket is a pass: never cached by a proxy, nor kept by the browser
	e.Response.Header().Set("Cache-Control", "no-store, private")
	if format == "png" {
		return e.Blob(http.StatusOK, "image/png", png)
	}
	res := Response{Kind: kind, ID: rec.Id, Code: code, QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(png), Live: live}
	if kind == Registration {
		res.Meetup = rec.GetString("meetup")
	} else {
		res.Course = rec.GetString("course")
	}
	if live {
		// windows count from the Unix epoch, as the code's window number does
		p := int64(s.window / time.Second)
		next := time.Unix((now.Unix()/p+1)*p, 0)
		dt, _ := types.ParseDateTime(next)
		res.ExpiresAt = dt.String()
		res.RefreshIn = max(next.Sub(now).Milliseconds(), 1)
	}
	return e.JSON(http.StatusOK, res)
}

// findOwn finds the caller's registration or enrollment with id.
func findOwn(app core.App, id string, auth *core.Record) (Kind, *core.Record, error) {
	if auth.Collection().Name != "users" {
		return "", nil, sql.ErrNoRows
	}
	for kind, collection := range map[Kind]string{Registration: "registrations", Enrollment: "enrollments"} {
		rec, err := app.FindRecordById(collection, id)
		if errors.Is(err, sql.ErrNoRows) {
			continue
		}
		if err != nil {
			return "", nil, err
		}
		if rec.GetString("user") != auth.Id {
			return "", nil, sql.ErrNoRows
		}
		return kind, rec, nil
	}
	return "", nil, sql.ErrNoRows
}

// unusable says why a ticket would not let its holder in, if it would not.
func unusable(kind Kind, rec *core.Record) (reason, message string) {
	switch st := rec.GetString("status"); {
	case kind == Registration && st == "waitlisted":
		return "waitlisted", "You are on the waitlist; the ticket comes with a seat."
	case st == "cancelled":
		return "cancelled", "This registration is cancelled."
	}
	return "", ""
}
