package bot

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"io"
	"net/http"

	"github.com/pocketbase/pocketbase/core"
)

// WebhookPath is where Telegram posts updates in webhook mode; the
// configured QB_TELEGRAM_WEBHOOK_URL must lead here.
const WebhookPath = "/api/telegram/webhook"

// ServeWebhook handles one webhook request: the secret token header must
// match (compared in constant time), the update is handled exactly once
// (Telegram redelivers until it gets a 2xx; setWebhook asks for one
// connection, so updates come in order), and a database failure answers
// 500 so that Telegram retries.
func (b *Bot) ServeWebhook(e *core.RequestEvent, secret string) error {
	got := e.Request.Header.Get("X-Telegram-Bot-Api-Secret-Token")
	if subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
		return e.UnauthorizedError("Wrong or missing secret token.", nil)
	}
	var u Update
	if err := json.NewDecoder(io.LimitReader(e.Request.Body, 1<<20)).Decode(&u); err != nil || u.ID <= 0 {
		return e.BadRequestError("Not a Telegram update.", nil)
	}
	if err := b.Handle(context.WithoutCancel(e.Request.Context()), u); err != nil {
		return e.Error(http.StatusInternalServerError, "The update could not be recorded; retry.", nil)
	}
	return e.NoContent(http.StatusOK)
}
