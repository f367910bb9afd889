package bot

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"strconv"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/bot/i18n"
)

// nextUpdateKey is the app_state key holding the id of the next update to
// handle. It is written in the same transaction as the update's changes,
// so an update is handled once, whatever restarts or redeliveries follow.
const nextUpdateKey = "telegram.next_update_id"

// Handle handles one update, exactly once: updates with an id below the
// recorded next id are skipped; the changes an update makes and the new
// next id commit together; the answers go out after the commit. Updates
// are handled one at a time, in order (Telegram's ids increase).
//
// An error means the update could not be recorded (the database failed):
// the caller retries it later. A failing handler is not an error: its
// changes are rolled back, the user is told something went wrong, and the
// update counts as handled.
func (b *Bot) Handle(ctx context.Context, u Update) error {
	b.handleMu.Lock()
	defer b.handleMu.Unlock()
	next, err := b.nextUpdate()
	if err != nil {
		return err
	}
	if u.ID < next {
		return nil // handled before
	}

	var c *Context
	files := map[string]fetched{}
	fetches := 0
	for try := 0; try < 3; try++ {
		if try > 0 {
			sleep(ctx, time.Duration(try*try)*300*time.Millisecond)
		}
		c = b.newContext(ctx, u)
		c.files = files
		err = b.App.RunInTransaction(func(tx core.App) error {
			c.App = tx
			if err := b.dispatch(c); err != nil {
				return err
			}
			return writeState(tx, nextUpdateKey, strconv.FormatInt(u.ID+1, 10))
		})
		var fr *fileRequest
		if errors.As(err, &fr) && fetches < maxFilesPerUpdate {
			// the handler needs a file: fetch it with no transaction open
			fetches++
			data, derr := b.raw.Download(ctx, fr.id, fr.max)
			files[fr.id] = fetched{data: data, max: fr.max, err: derr}
			try-- // not a failure
			continue
		}
		if err == nil || errors.Is(err, errPanic) {
			break
		}
	}
	if err != nil {
		slog.Error("telegram update failed", slog.Int64("update_id", u.ID), slog.String("error", err.Error()))
		// Record the update as handled without its changes, and say so.
		if err := writeState(b.App, nextUpdateKey, strconv.FormatInt(u.ID+1, 10)); err != nil {
			return fmt.Errorf("telegram update %d: %w", u.ID, err)
		}
		b.next = u.ID + 1
		failed := b.newContext(ctx, u)
		failed.out = nil
		if failed.ChatID != 0 {
			failed.Reply(failed.T("error", nil), nil)
		}
		failed.Answer("")
		b.flush(ctx, failed)
		return nil
	}
	b.next = u.ID + 1
	if c.Callback != nil {
		c.Answer("") // every button press gets its spinner stopped
	}
	b.flush(ctx, c)
	return nil
}

// nextUpdate is the recorded next update id (cached after the first read).
func (b *Bot) nextUpdate() (int64, error) {
	if b.next > 0 {
		return b.next, nil
	}
	v, err := readState(b.App, nextUpdateKey)
	if err != nil {
		return 0, err
	}
	n, _ := strconv.ParseInt(v, 10, 64)
	b.next = max(n, 1)
	return b.next, nil
}

// flush sends a handled update's answers, in order. They never abort the
// update (its changes are committed); failures are logged.
func (b *Bot) flush(ctx context.Context, c *Context) {
	for _, send := range c.out {
		for try := 0; ; try++ {
			err := send(ctx, b.tg)
			if err == nil {
				break
			}
			if _, ok := RetryAfter(err); ok && try < 3 && ctx.Err() == nil {
				continue // the pacer waits out the pause
			}
			if e, ok := AsAPIError(err); ok && e.Code == 403 && c.User != nil {
				if err := setBlocked(ctx, b.App, c.User.Id, true); err != nil {
					slog.Error("telegram: mark blocked", slog.String("error", err.Error()))
				}
			}
			slog.Warn("telegram reply not delivered", slog.Int64("chat", c.ChatID), slog.String("error", err.Error()))
			break
		}
	}
	c.out = nil
}

func (b *Bot) newContext(ctx context.Context, u Update) *Context {
	c := &Context{Context: ctx, Update: u, bot: b}
	switch {
	case u.Message != nil:
		c.Message = u.Message
		if u.Message.From != nil {
			c.From = *u.Message.From
		}
		if u.Message.Chat.Type == "private" {
			c.ChatID = u.Message.Chat.ID
		}
		c.Text = u.Message.Text
		if c.Text == "" {
			c.Text = u.Message.Caption
		}
	case u.CallbackQuery != nil:
		c.Callback = u.CallbackQuery
		c.From = u.CallbackQuery.From
		if m := u.CallbackQuery.Message; m != nil && m.Chat.Type == "private" {
			c.ChatID = m.Chat.ID
		}
		if c.ChatID == 0 && c.From.ID > 0 {
			c.ChatID = c.From.ID // a private chat's id is the user's
		}
	case u.PollAnswer != nil:
		c.From = u.PollAnswer.User
	case u.MyChatMember != nil:
		c.From = u.MyChatMember.From
		if u.MyChatMember.Chat.Type == "private" {
			c.ChatID = u.MyChatMember.Chat.ID
		}
	}
	c.Lang = i18n.Lang(c.From.LanguageCode)
	return c
}

var errPanic = errors.New("panic")

// maxFilesPerUpdate bounds the downloads one update may ask for (a claim
// has at most 5 attachments).
const maxFilesPerUpdate = 10

// dispatch routes an update to its screen. It recovers a panicking screen
// into an error, so that garbage never takes the bot down.
func (b *Bot) dispatch(c *Context) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("%w: %v\n%s", errPanic, p, debug.Stack())
		}
	}()
	if c.From.ID <= 0 || c.From.IsBot {
		return nil // not from a person: nothing to answer
	}
	if err := b.loadUser(c); err != nil {
		return err
	}
	u := c.Update
	switch {
	case u.MyChatMember != nil:
		return b.memberChanged(c)
	case u.PollAnswer != nil:
		if c.User == nil || b.router.PollAnswer == nil {
			return nil
		}
		return b.router.PollAnswer(c)
	case c.ChatID == 0:
		return nil // a group or channel: the bot talks in private chats only
	}
	if c.User != nil && c.User.GetBool("telegram_blocked") {
		// they write to the bot again: it may write to them again
		if err := setBlocked(c.Actor(), c.App, c.User.Id, false); err != nil {
			return err
		}
		c.User.Set("telegram_blocked", false)
	}
	if c.Callback != nil {
		return b.callback(c)
	}
	return b.message(c)
}

func (b *Bot) message(c *Context) error {
	r := b.router
	if name, args, ok := splitCommand(c.Text, b.self.Username); ok {
		c.Command, c.Args = name, args
		if h := r.commands[name]; h != nil && (c.User != nil || name == "start" || name == "help") {
			return h(c)
		}
		if c.User == nil {
			c.Reply(c.T("need_start", nil), nil)
			return nil
		}
		c.Reply(c.T("unknown.text", nil), nil)
		return nil
	}
	if c.User == nil {
		c.Reply(c.T("need_start", nil), nil)
		return nil
	}
	for _, d := range r.dialogs {
		took, err := d(c)
		if err != nil || took {
			return err
		}
	}
	if (len(c.Message.Photo) > 0 || c.Message.Document != nil) && r.Media != nil {
		return r.Media(c)
	}
	if c.Message.Text != "" && r.Text != nil {
		return r.Text(c)
	}
	c.Reply(c.T("unknown.text", nil), nil)
	return nil
}

func (b *Bot) callback(c *Context) error {
	if c.User == nil {
		c.Answer(c.T("need_start", nil))
		return nil
	}
	for _, hook := range b.router.buttonHooks {
		if err := hook(c); err != nil {
			return err
		}
	}
	h, rest := b.router.route(c.Callback.Data)
	if h == nil {
		c.Answer(c.T("unknown.button", nil))
		return b.showMenu(c)
	}
	c.Data = rest
	return h(c)
}

// memberChanged follows the user blocking ("kicked") and unblocking
// ("member") the bot.
func (b *Bot) memberChanged(c *Context) error {
	m := c.Update.MyChatMember
	if c.User == nil || m.Chat.Type != "private" {
		return nil
	}
	switch m.NewChatMember.Status {
	case "kicked":
		return setBlocked(c.Actor(), c.App, c.User.Id, true)
	case "member":
		return setBlocked(c.Actor(), c.App, c.User.Id, false)
	}
	return nil
}

// loadUser finds the users record of c.From.
func (b *Bot) loadUser(c *Context) error {
	u, err := c.App.FindFirstRecordByFilter("users", "telegram_id = {:id}", dbx.Params{"id": c.From.ID})
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("find user by telegram id: %w", err)
	}
	c.User = u
	if lang := u.GetString("language"); lang != "" {
		c.Lang = i18n.Lang(lang)
	}
	return nil
}

// PollTimeout is how long one getUpdates call waits for an update.
const PollTimeout = 25 * time.Second

// Poll long-polls Telegram and handles the updates until ctx ends. On
// shutdown it stops fetching and finishes the update in hand; the rest of
// a fetched batch was not confirmed and comes again at the next start.
func (b *Bot) Poll(ctx context.Context, timeout time.Duration) error {
	wait := time.Second
	for ctx.Err() == nil {
		next, err := b.nextUpdate()
		if err == nil {
			var ups []Update
			ups, err = b.raw.Updates(ctx, next, timeout)
			if ctx.Err() != nil {
				return nil
			}
			if err == nil {
				wait = time.Second
				for _, u := range ups {
					if err = b.Handle(context.WithoutCancel(ctx), u); err != nil || ctx.Err() != nil {
						break
					}
				}
			}
		}
		if err == nil || ctx.Err() != nil {
			continue
		}
		d, throttled := RetryAfter(err)
		if !throttled {
			d = wait
			wait = min(2*wait, 30*time.Second)
		}
		slog.Warn("telegram getUpdates", slog.String("error", err.Error()), slog.Duration("retry_in", d))
		sleep(ctx, d)
	}
	return nil
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
