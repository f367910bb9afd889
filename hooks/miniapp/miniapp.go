// Package miniapp signs students into the Telegram Mini App (/app/): it
// checks the initData Telegram hands the page (SPEC section 5,
// POST /api/telegram/auth) and answers with a PocketBase auth token for the
// users record the bot made for that Telegram user on /start.
//
// It also serves the Mini App's texts (GET /api/miniapp/texts), which live
// in the students' one catalogue, bot/i18n.
//
// Files: initdata.go (parsing and the HMAC check, no PocketBase), route.go
// (the sign-in route), texts.go (the texts route).
package miniapp

import (
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/config"
)

// Path is the sign-in route.
const Path = "/api/telegram/auth"

// Register binds POST /api/telegram/auth and GET /api/miniapp/texts. Without a bot token the route
// answers 503: nothing can be checked without it.
func Register(app core.App, cfg config.Config) {
	h := &handler{token: cfg.TelegramToken, maxAge: cfg.TelegramAuthMaxAge}
	if h.maxAge <= 0 {
		h.maxAge = config.DefaultTelegramAuthMaxAge
	}
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.POST(Path, h.serve).Bind(apis.BodyLimit(maxBody))
		se.Router.GET(TextsPath, serveTexts)
		return se.Next()
	})
}
