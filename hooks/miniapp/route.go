package miniapp

import (
	"database/sql"
	"errors"
	"log/slog"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"

	"questbase/hooks/access"
)

// maxBody bounds a request: initData and a little JSON around it.
const maxBody = MaxLen + 1<<10

// Request is the body of POST /api/telegram/auth.
type Request struct {
	InitData string `json:"init_data" form:"init_data"`
}

// Meta is the "meta" of the answer, beside PocketBase's token and record.
type Meta struct {
	TelegramUser User `json:"telegram_user"`
	// CanScan says the user holds checkin.scan somewhere: the Mini App
	// then offers the organizer's scanner.
	CanScan bool `json:"can_scan"`
}

// Reasons of refusals that are not about the initData itself.
const (
	ReasonNotConfigured = "not_configured"
	ReasonNotRegistered = "not_registered"
)

type handler struct {
	token  string
	maxAge time.Duration
}

func (h *handler) serve(e *core.RequestEvent) error {
	if h.token == "" {
		msg := "Mini App sign-in is off: this server has no Telegram bot token (QB_TELEGRAM_TOKEN)."
		return router.NewApiError(http.StatusServiceUnavailable, msg, fieldErr(ReasonNotConfigured, msg))
	}
	var req Request
	if err := e.BindBody(&req); err != nil {
		return e.BadRequestError("The body must be JSON: {\"init_data\": \"...\"}.", fieldErr("validation_invalid_body", "Send init_data."))
	}
	if req.InitData == "" {
		msg := "init_data is required: the page must send Telegram.WebApp.initData."
		return e.BadRequestError(msg, fieldErr("validation_required", msg))
	}
	data, err := Validate(req.InitData, h.token, h.maxAge, time.Now())
	if err != nil {
		var ie *Error
		if !errors.As(err, &ie) {
			return e.InternalServerError("", err)
		}
		status := http.StatusBadRequest
		if ie == ErrSignature || ie == ErrExpired || ie == ErrFuture {
			status = http.StatusUnauthorized
		}
		slog.Info("telegram auth refused", slog.String("reason", ie.Reason), slog.String("ip", e.RealIP()))
		return router.NewApiError(status, ie.Message, fieldErr(ie.Reason, ie.Message))
	}

	user, err := e.App.FindFirstRecordByFilter("users", "telegram_id = {:id}", dbx.Params{"id": data.User.ID})
	if errors.Is(err, sql.ErrNoRows) {
		msg := "There is no account for this Telegram user yet: open the bot, send /start, then open the app again."
		return e.NotFoundError(msg, fieldErr(ReasonNotRegistered, msg))
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	canScan, err := access.CanAny(e.App, user.Id, access.CheckinScan)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return apis.RecordAuthResponse(e, user, "telegram", Meta{TelegramUser: data.User, CanScan: canScan})
}

// fieldErr is PocketBase's error data naming init_data with a reason code.
func fieldErr(code, msg string) validation.Errors {
	return validation.Errors{"init_data": validation.NewError(code, msg)}
}
