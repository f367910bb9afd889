// Package bot is questbase's Telegram side: the bot students talk to, and
// the sender that delivers outbox rows at Telegram's rate limit. It saves
// records like any other client; the rules live in hooks.
package bot

import (
	"log/slog"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/config"
)

// Register starts the bot with the service when a token is configured.
func Register(app core.App, cfg config.Config) error {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if cfg.TelegramToken == "" {
			slog.Info("telegram bot: off (set QB_TELEGRAM_TOKEN to start it)")
			return se.Next()
		}
		slog.Warn("telegram bot: QB_TELEGRAM_TOKEN is set but this build has no bot yet", slog.String("api", cfg.TelegramAPIURL))
		return se.Next()
	})
	return nil
}
