package bot

import (
	"context"

	"github.com/pocketbase/pocketbase/core"

	"questbase/bot/i18n"
	"questbase/hooks/audit"
)

// Context is one update being handled.
type Context struct {
	context.Context
	// App is the update's transaction: read and save through it.
	App    core.App
	Update Update
	// From is who sent the update; ChatID where to answer (their private chat).
	From   User
	ChatID int64
	// User is From's users record, nil before /start.
	User *core.Record
	// Lang is the catalogue language: the user's stored language, else
	// their Telegram language.
	Lang string

	// Message is the incoming message (nil for callbacks); Text its text or caption.
	Message *Message
	Text    string
	// Command and Args of a /command; Data of a callback after "prefix:".
	Command string
	Args    string
	Data    string
	// Callback is the pressed button's query (nil for messages).
	Callback *Callback

	bot      *Bot
	out      []func(ctx context.Context, tg Telegram) error
	answered bool
	files    map[string]fetched // downloads of this update, by file id
}

// T renders a catalogue text in the user's language.
func (c *Context) T(key string, data map[string]any) string { return tr(c.Lang, key, data) }

func tr(lang, key string, data map[string]any) string { return i18n.T(lang, key, data) }

// Actor is ctx naming the user (or, before they exist, the bot) as the
// actor of saves, for the audit log.
func (c *Context) Actor() context.Context {
	if c.User != nil {
		return audit.WithActor(c.Context, audit.Bot(c.User))
	}
	return audit.WithActor(c.Context, audit.Actor{Kind: audit.KindBot, Name: "telegram"})
}

// Save saves rec in the update's transaction as the user.
func (c *Context) Save(rec *core.Record) error { return c.App.SaveWithContext(c.Actor(), rec) }

// Reply queues a message to the user's chat.
func (c *Context) Reply(text string, kb *Keyboard) {
	c.Send(Outgoing{Text: text, Keyboard: kb})
}

// Send queues any message to the user's chat.
func (c *Context) Send(m Outgoing) {
	if m.ChatID == 0 {
		m.ChatID = c.ChatID
	}
	c.out = append(c.out, func(ctx context.Context, tg Telegram) error {
		_, err := tg.Send(ctx, m)
		return err
	})
}

// Answer queues the answer to the pressed button (a short notice; "" just
// stops the button's spinner). Every callback gets one.
func (c *Context) Answer(text string) {
	if c.Callback == nil || c.answered {
		return
	}
	c.answered = true
	id := c.Callback.ID
	c.out = append(c.out, func(ctx context.Context, tg Telegram) error {
		return tg.AnswerCallback(ctx, id, text)
	})
}

// Edit queues a change of the message whose button was pressed, or sends
// text as a new message when there is none or it cannot become text (a
// photo or a document with a caption).
func (c *Context) Edit(text string, kb *Keyboard) {
	if m := c.Callback; m == nil || m.Message == nil || len(m.Message.Photo) > 0 || m.Message.Document != nil {
		c.Reply(text, kb)
		return
	}
	chat, id := c.Callback.Message.Chat.ID, c.Callback.Message.ID
	c.out = append(c.out, func(ctx context.Context, tg Telegram) error {
		return tg.EditText(ctx, chat, id, text, kb)
	})
}

// editKeyboard queues a new keyboard for the message whose button was pressed.
func (c *Context) editKeyboard(kb *Keyboard) {
	if c.Callback == nil || c.Callback.Message == nil {
		return
	}
	chat, id := c.Callback.Message.Chat.ID, c.Callback.Message.ID
	c.out = append(c.out, func(ctx context.Context, tg Telegram) error {
		return tg.EditKeyboard(ctx, chat, id, kb)
	})
}

// Download returns a file the user sent (at most max bytes). Files are
// never fetched inside the update's transaction, which holds the
// database's one writer: the first call for a file ends the handler with
// a request for it, Handle rolls back, downloads it and runs the handler
// again, when Download answers from what was fetched. Handlers must pass
// its error up (wrapped is fine) rather than swallow it.
func (c *Context) Download(fileID string, max int64) ([]byte, error) {
	if f, ok := c.files[fileID]; ok && f.max == max {
		return f.data, f.err
	}
	return nil, &fileRequest{id: fileID, max: max}
}

// fileRequest is Download asking Handle to fetch a file outside the
// transaction.
type fileRequest struct {
	id  string
	max int64
}

func (r *fileRequest) Error() string {
	return "telegram file " + r.id + " is fetched outside the transaction"
}

// fetched is a file downloaded for an update, or why it could not be.
type fetched struct {
	data []byte
	max  int64
	err  error
}

// PublicURL is the service's public base URL ("" when unset).
func (c *Context) PublicURL() string { return c.bot.cfg.PublicURL }
