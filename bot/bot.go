// Package bot is questbase's Telegram side: the bot students talk to, and
// the sender that delivers outbox rows at Telegram's rate limit. It saves
// records like any other client; the rules live in hooks.
//
// Files: telegram.go (the Bot API interface and types), tgbotapi.go (its
// implementation on go-telegram-bot-api), pace.go (the one outgoing budget),
// sender.go and render.go (outbox delivery), handle.go (updates: exactly
// once, polling), state.go (its bookkeeping in app_state), webhook.go,
// router.go and context.go (the dispatcher), and one file per screen:
// start.go, menu.go, polls.go, meetups.go, courses.go, claims.go,
// profile.go, verification.go (cards.go and action.go hold what screens
// share); texts in bot/i18n.
package bot

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"github.com/pocketbase/pocketbase/core"

	"questbase/bot/i18n"
	"questbase/hooks/config"
	"questbase/hooks/tickets"
)

// screens register the bot's screens, in order; a later one may replace
// what an earlier one registered.
var screens = []func(*Router){startScreen, menuScreen, pollsScreen,
	// dialogs are asked in this order: a verification photo or a claim the
	// student started explicitly comes before a meetup comment's question
	verificationScreen, claimsScreen, profileScreen, meetupsScreen, coursesScreen}

// Bot is a running bot: update handling and the outbox sender, sharing one
// outgoing budget.
type Bot struct {
	App    core.App
	Sender *Sender

	cfg    config.Config
	raw    Telegram // unpaced: getUpdates, downloads, set-up
	tg     Telegram // paced: every message call
	self   User
	router *Router
	// tickets signs the codes of the ticket QR images the bot sends.
	tickets *tickets.Signer
	// photoIDs remembers the file_id Telegram gave this bot for banners
	// already uploaded (stored file path → file_id): a card shown again
	// costs no upload.
	photoIDs sync.Map

	handleMu sync.Mutex
	next     int64 // next update id to handle (cached app_state value)
}

// New builds a bot on tg for app.
func New(app core.App, cfg config.Config, tg Telegram) *Bot {
	rate := cfg.TelegramRate
	if rate <= 0 {
		rate = config.DefaultTelegramRate
	}
	p := newPaced(tg, rate)
	b := &Bot{App: app, cfg: cfg, raw: tg, tg: p, self: tg.Self(), router: NewRouter(), tickets: tickets.New(app, cfg.TicketSecret)}
	// The signer loads (or first stores) its key on first use, which must
	// not happen inside an update's transaction: load it now.
	if _, err := b.tickets.Sign(tickets.Registration, "keycheck"); err != nil {
		slog.Error("telegram bot: ticket key", slog.String("error", err.Error()))
	}
	b.Sender = newSender(app, p)
	for _, screen := range screens {
		screen(b.router)
	}
	return b
}

// Router is the bot's dispatcher, for screens registered from outside.
func (b *Bot) Router() *Router { return b.router }

// appURL is the Mini App's address, "" without a public URL.
func (b *Bot) appURL() string {
	if b.cfg.PublicURL == "" {
		return ""
	}
	return b.cfg.PublicURL + "/app/"
}

// WebhookSecret is the secret token Telegram sends with every webhook
// request: derived from the bot token, so it needs no setting of its own
// and changes when the token does.
func WebhookSecret(token string) string {
	m := hmac.New(sha256.New, []byte(token))
	m.Write([]byte("questbase telegram webhook"))
	return hex.EncodeToString(m.Sum(nil))
}

// Setup sets the command lists (Russian by default, English for English
// users), the menu button opening the Mini App, and the webhook (or
// removes it, for polling). Failures of the cosmetic parts are logged.
func (b *Bot) Setup(ctx context.Context) error {
	for _, lang := range []string{"", i18n.EN} {
		if err := b.raw.SetCommands(ctx, lang, b.router.Commands(i18n.Lang(lang))); err != nil {
			slog.Warn("telegram: set commands", slog.String("lang", lang), slog.String("error", err.Error()))
		}
	}
	if url := b.appURL(); url != "" {
		if err := b.raw.SetMenuButton(ctx, i18n.T(i18n.RU, "menu.app", nil), url); err != nil {
			slog.Warn("telegram: set menu button", slog.String("error", err.Error()))
		}
	} else {
		slog.Info("telegram: no Mini App menu button (set QB_PUBLIC_URL)")
	}
	if b.cfg.TelegramWebhookURL != "" {
		if err := b.raw.SetWebhook(ctx, b.cfg.TelegramWebhookURL, WebhookSecret(b.cfg.TelegramToken)); err != nil {
			return fmt.Errorf("set webhook: %w", err)
		}
		return nil
	}
	if err := b.raw.DeleteWebhook(ctx); err != nil {
		return fmt.Errorf("delete webhook (needed for polling): %w", err)
	}
	return nil
}

// Run sets the bot up and runs the sender and, without a webhook, the
// long poll, until ctx ends; it returns once both have stopped.
func (b *Bot) Run(ctx context.Context) error {
	for {
		err := b.Setup(ctx)
		if err == nil {
			break
		}
		slog.Error("telegram bot set-up", slog.String("error", err.Error()))
		sleep(ctx, 5*time.Second)
		if ctx.Err() != nil {
			return nil
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		if err := b.Sender.Run(ctx); err != nil {
			slog.Error("telegram sender stopped", slog.String("error", err.Error()))
		}
	})
	if b.cfg.TelegramWebhookURL == "" {
		wg.Go(func() { b.Poll(ctx, PollTimeout) })
	}
	wg.Wait()
	return nil
}

// Register starts the bot with the service when a token is configured.
func Register(app core.App, cfg config.Config) error {
	var (
		mu      sync.Mutex
		running *Bot
		cancel  context.CancelFunc = func() {}
		done    chan struct{}      // closed when the bot stopped; nil if never started
	)
	current := func() *Bot {
		mu.Lock()
		defer mu.Unlock()
		return running
	}

	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		if cfg.TelegramToken == "" {
			slog.Info("telegram bot: off (set QB_TELEGRAM_TOKEN to start it)")
			return se.Next()
		}
		if cfg.TelegramWebhookURL != "" {
			secret := WebhookSecret(cfg.TelegramToken)
			se.Router.POST(WebhookPath, func(e *core.RequestEvent) error {
				b := current()
				if b == nil {
					return e.Error(http.StatusServiceUnavailable, "The bot is starting.", nil)
				}
				return b.ServeWebhook(e, secret)
			})
		}
		var ctx context.Context
		ctx, cancel = context.WithCancel(context.Background())
		done = make(chan struct{})
		go func() {
			defer close(done)
			b := dial(ctx, se.App, cfg)
			if b == nil {
				return
			}
			mu.Lock()
			running = b
			mu.Unlock()
			mode := "long polling"
			if cfg.TelegramWebhookURL != "" {
				mode = "webhook " + cfg.TelegramWebhookURL
			}
			slog.Info("telegram bot: on", slog.String("bot", "@"+b.self.Username), slog.String("mode", mode),
				slog.Float64("rate", cfg.TelegramRate))
			b.Run(ctx)
		}()
		return se.Next()
	})

	app.OnTerminate().BindFunc(func(te *core.TerminateEvent) error {
		cancel()
		if done == nil {
			return te.Next()
		}
		select {
		case <-done:
		case <-time.After(45 * time.Second):
			slog.Error("telegram bot: did not stop in time")
		}
		return te.Next()
	})
	return nil
}

// dial connects to Telegram, retrying until it answers or ctx ends (a
// network outage at start must not keep the service down).
func dial(ctx context.Context, app core.App, cfg config.Config) *Bot {
	wait := time.Second
	for {
		tg, err := Dial(ctx, cfg.TelegramToken, cfg.TelegramAPIURL, nil)
		if err == nil {
			return New(app, cfg, tg)
		}
		if ctx.Err() != nil {
			return nil
		}
		slog.Error("telegram bot: cannot reach the Bot API", slog.String("api", cfg.TelegramAPIURL),
			slog.String("error", err.Error()), slog.Duration("retry_in", wait))
		sleep(ctx, wait)
		wait = min(2*wait, time.Minute)
	}
}
