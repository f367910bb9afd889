package bot

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/audit"
	"questbase/hooks/notify"
)

// Outbox statuses.
const (
	StatusPending   = "pending"
	StatusSending   = "sending"
	StatusSent      = "sent"
	StatusFailed    = "failed"
	StatusBlocked   = "blocked"
	StatusAmbiguous = "ambiguous"
)

// Sender delivers outbox rows, at most once each:
//
//   - a row is marked "sending" (attempts+1) in its own committed write
//     before Telegram is called, and "sent" (with the message id) after;
//   - a row found "sending" at start was interrupted by a crash: it may or
//     may not have arrived, so it becomes "ambiguous" and is never resent;
//   - 429 pauses all sending for retry_after and puts the row back;
//   - 403 (blocked, deactivated) marks the row "blocked" and the user
//     telegram_blocked; their rows are skipped (marked "blocked" without a
//     call) until they write to the bot again;
//   - 400 fails the row for good with Telegram's reason;
//   - network errors and other answers retry with exponential backoff,
//     up to MaxAttempts, then fail.
type Sender struct {
	App  core.App
	pace *paced // the bot's one budget, shared with replies

	Batch       int           // rows read per query
	MaxAttempts int           // tries before a row fails
	Backoff     time.Duration // first retry delay, doubled per attempt
	MaxBackoff  time.Duration
	Poll        time.Duration // how often to look for due rows when not woken

	wake chan struct{}
}

// newSender returns a sender with the default policy.
func newSender(app core.App, pace *paced) *Sender {
	return &Sender{
		App: app, pace: pace,
		Batch: 200, MaxAttempts: 5,
		Backoff: 5 * time.Second, MaxBackoff: 10 * time.Minute,
		Poll: time.Second,
		wake: make(chan struct{}, 1),
	}
}

// Wake makes the sender look for due rows now.
func (s *Sender) Wake() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// Run delivers due rows until ctx ends. It returns after the call in
// flight (if any) is finished and recorded.
func (s *Sender) Run(ctx context.Context) error {
	if err := s.Recover(); err != nil {
		return err
	}
	for {
		n, err := s.DeliverDue(ctx)
		if ctx.Err() != nil {
			return nil
		}
		if err != nil {
			slog.Error("telegram sender", slog.String("error", err.Error()))
		}
		if err == nil && n > 0 {
			continue // more may be due
		}
		t := time.NewTimer(s.Poll)
		select {
		case <-ctx.Done():
			t.Stop()
			return nil
		case <-s.wake:
		case <-notify.Enqueued():
		case <-t.C:
		}
		t.Stop()
	}
}

// Recover turns rows left "sending" by a crash into "ambiguous" and
// reports them: Telegram may have delivered them, and has no idempotency
// key, so resending could duplicate them.
func (s *Sender) Recover() error {
	var rows []struct {
		ID string `db:"id"`
	}
	if err := s.App.DB().NewQuery(`SELECT id FROM outbox WHERE status = 'sending'`).All(&rows); err != nil {
		return fmt.Errorf("telegram sender: find interrupted rows: %w", err)
	}
	if len(rows) == 0 {
		return nil
	}
	now := types.NowDateTime().String()
	_, err := s.App.DB().NewQuery(`UPDATE outbox SET status = 'ambiguous', updated = {:now},
		last_error = 'interrupted while sending (the service stopped during the call): may or may not have been delivered; not resent'
		WHERE status = 'sending'`).Bind(dbx.Params{"now": now}).Execute()
	if err != nil {
		return fmt.Errorf("telegram sender: mark interrupted rows: %w", err)
	}
	ids := make([]string, len(rows))
	for i, r := range rows {
		ids[i] = r.ID
	}
	slog.Warn("telegram sender: outbox rows interrupted while sending are now ambiguous (not resent)",
		slog.Int("count", len(rows)), slog.String("ids", strings.Join(ids, ",")))
	return nil
}

// due is an outbox row ready to go, with its recipient.
type due struct {
	ID         string         `db:"id"`
	User       string         `db:"user"`
	Kind       string         `db:"kind"`
	Payload    types.JSONRaw  `db:"payload"`
	Attempts   int            `db:"attempts"`
	TelegramID int64          `db:"telegram_id"`
	Blocked    bool           `db:"telegram_blocked"`
	Language   string         `db:"language"`
	payload    map[string]any `db:"-"`
	msg        Outgoing       `db:"-"`
	called     bool           `db:"-"` // the call was made (the row is not to be put back)
}

// DeliverDue sends one batch of due rows and reports how many it handled.
//
// Each row is marked "sending" in a commit of its own before its call, and
// that commit is made while the previous row's call is in flight: a
// commit costs about as much as a call, and paying both in turn would
// hold the sender well below a high rate. So a crash leaves at most two
// rows ambiguous: the one in flight and the next, claimed.
func (s *Sender) DeliverDue(ctx context.Context) (int, error) {
	// a 429 pause in force is waited out before the rows are read, so
	// that rows due meanwhile keep their order
	if d := time.Until(s.pace.pausedUntil()); d > 0 {
		t := time.NewTimer(d)
		select {
		case <-ctx.Done():
			t.Stop()
			return 0, nil
		case <-t.C:
		}
	}
	var rows []due
	err := s.App.DB().NewQuery(`
		SELECT o.id, o.user, o.kind, o.payload, o.attempts,
			COALESCE(u.telegram_id, 0) AS telegram_id,
			COALESCE(u.telegram_blocked, FALSE) AS telegram_blocked,
			COALESCE(u.language, '') AS language
		FROM outbox o LEFT JOIN users u ON u.id = o.user
		WHERE o.status = 'pending' AND o.send_after <= {:now}
		ORDER BY o.send_after
		LIMIT {:n}`).Bind(dbx.Params{"now": types.NowDateTime().String(), "n": s.Batch}).All(&rows)
	if err != nil {
		return 0, fmt.Errorf("read due outbox rows: %w", err)
	}
	rec := s.newRecorder()
	var sendable []*due
	for i := range rows {
		if s.prepare(rec, &rows[i]) {
			sendable = append(sendable, &rows[i])
		}
	}
	handled := len(rows) - len(sendable) // outcomes recorded without a call

	type claimed struct {
		ok  bool
		err error
	}
	claim := func(r *due) <-chan claimed {
		ch := make(chan claimed, 1)
		go func() {
			ok, err := s.claim(rec, r)
			ch <- claimed{ok, err}
		}()
		return ch
	}
	stopped := func() bool { return ctx.Err() != nil || time.Now().Before(s.pace.pausedUntil()) }
	blocked := map[string]bool{}
	var next <-chan claimed
	if len(sendable) > 0 {
		next = claim(sendable[0])
	}
	for k, r := range sendable {
		c := <-next
		next = nil
		if c.err != nil {
			return handled, c.err // the mark could not be written
		}
		if k+1 < len(sendable) && !stopped() {
			next = claim(sendable[k+1])
		}
		if !c.ok {
			handled++ // changed meanwhile (cancelled, or taken by another sender)
			continue
		}
		if stopped() || !s.send(ctx, rec, r, blocked) {
			// stopped, or a 429 paused everyone: what was claimed and not
			// sent goes back untouched, to be reread in order
			if !r.called {
				rec.add(restore(r))
			}
			if next != nil {
				if c := <-next; c.err == nil && c.ok {
					rec.add(restore(sendable[k+1]))
				}
			}
			return handled + 1, rec.close()
		}
		handled++
	}
	return handled, rec.close()
}

// prepare renders a row's message, or records the outcome of a row that
// needs no call (no recipient, blocked, broken payload); it reports
// whether the row is to be sent.
func (s *Sender) prepare(rec *recorder, r *due) bool {
	switch {
	case r.TelegramID <= 0:
		rec.add(func(tx core.App) error { return finish(tx, r.ID, StatusFailed, "no telegram id", nil) })
		return false
	case r.Blocked:
		rec.add(func(tx core.App) error { return skipBlocked(tx, r) })
		return false
	}
	if err := json.Unmarshal(r.Payload, &r.payload); err != nil && len(r.Payload) > 0 && string(r.Payload) != "null" {
		rec.add(func(tx core.App) error {
			return finish(tx, r.ID, StatusFailed, "payload is not a JSON object: "+err.Error(), nil)
		})
		return false
	}
	m, err := Render(r.Kind, r.payload, r.Language)
	if err != nil {
		rec.add(func(tx core.App) error { return finish(tx, r.ID, StatusFailed, err.Error(), nil) })
		return false
	}
	m.ChatID = r.TelegramID
	r.msg = m
	return true
}

// claim marks a row "sending" (attempts+1), committed with the outcomes
// queued so far, before it is sent: if the service dies during the call,
// the row is found "sending" at start and never resent. A row no longer
// pending is left alone (false).
func (s *Sender) claim(rec *recorder, r *due) (bool, error) {
	claimed := false
	err := rec.commit(func(tx core.App) error {
		now := types.NowDateTime().String()
		res, err := tx.DB().NewQuery(`UPDATE outbox SET status = 'sending', sending_at = {:now}, updated = {:now},
			attempts = attempts + 1 WHERE id = {:id} AND status = 'pending'`).Bind(dbx.Params{"id": r.ID, "now": now}).Execute()
		if err != nil {
			return fmt.Errorf("mark outbox %s sending: %w", r.ID, err)
		}
		n, _ := res.RowsAffected()
		claimed = n == 1
		return nil
	})
	return claimed, err
}

// restore returns a claimed row that was not sent to pending, as it was.
func restore(r *due) func(core.App) error {
	return func(tx core.App) error { return back(tx, r.ID, r.Attempts, "", time.Time{}) }
}

// send makes the call for a claimed row within the budget and records the
// outcome. It reports false when the row was not sent because ctx ended
// while waiting for the budget, or when the call was throttled (429): the
// caller then stops the batch.
func (s *Sender) send(ctx context.Context, rec *recorder, r *due, blocked map[string]bool) bool {
	if blocked[r.User] {
		// an earlier row found the user gone: skipped without a call
		rec.add(func(tx core.App) error { return skipBlocked(tx, r) })
		return true
	}
	var sent Sent
	err := s.pace.do(ctx, func(callCtx context.Context) error {
		r.called = true
		var err error
		sent, err = s.pace.Telegram.Send(callCtx, r.msg)
		return err
	})
	if !r.called {
		return false // ctx ended while waiting: the row goes back
	}
	attempts := r.Attempts + 1

	if err == nil {
		rec.add(func(tx core.App) error { return finish(tx, r.ID, StatusSent, "", &sent) })
		return true
	}
	if _, ok := RetryAfter(err); ok {
		// throttled, not failed: the call does not count as an attempt,
		// and the pacer has paused everyone
		rec.add(func(tx core.App) error { return back(tx, r.ID, r.Attempts, err.Error(), time.Time{}) })
		return false
	}
	if e, ok := AsAPIError(err); ok {
		switch {
		case e.Code == 403:
			blocked[r.User] = true
			user := r.User
			rec.add(func(tx core.App) error { return setBlocked(context.WithoutCancel(ctx), tx, user, true) })
			rec.add(func(tx core.App) error { return finish(tx, r.ID, StatusBlocked, e.Description, nil) })
			return true
		case e.Code == 400:
			rec.add(func(tx core.App) error { return finish(tx, r.ID, StatusFailed, e.Description, nil) })
			return true
		}
	}
	if attempts >= s.MaxAttempts {
		rec.add(func(tx core.App) error {
			return finish(tx, r.ID, StatusFailed, fmt.Sprintf("gave up after %d attempts: %v", attempts, err), nil)
		})
		return true
	}
	delay := s.Backoff << (attempts - 1)
	if delay > s.MaxBackoff || delay <= 0 {
		delay = s.MaxBackoff
	}
	rec.add(func(tx core.App) error { return back(tx, r.ID, attempts, err.Error(), time.Now().Add(delay)) })
	return true
}

// back returns a row to pending, to be sent after at (now if zero).
func back(app core.App, id string, attempts int, lastErr string, at time.Time) error {
	p := dbx.Params{"id": id, "attempts": attempts, "err": truncate(lastErr, 2000), "now": types.NowDateTime().String(), "after": ""}
	q := `UPDATE outbox SET status = 'pending', attempts = {:attempts}, last_error = {:err}, sending_at = '', updated = {:now}`
	if !at.IsZero() {
		dt, _ := types.ParseDateTime(at)
		p["after"] = dt.String()
		q += `, send_after = {:after}`
	}
	if _, err := app.DB().NewQuery(q + ` WHERE id = {:id}`).Bind(p).Execute(); err != nil {
		return fmt.Errorf("return outbox %s to pending: %w", id, err)
	}
	return nil
}

// skipBlocked records a row not sent because its user blocked the bot,
// with its attempts as they were before any claim.
func skipBlocked(app core.App, r *due) error {
	_, err := app.DB().Update("outbox", dbx.Params{
		"status": StatusBlocked, "attempts": r.Attempts, "sending_at": "",
		"last_error": "skipped: the user has blocked the bot", "updated": types.NowDateTime().String(),
	}, dbx.HashExp{"id": r.ID}).Execute()
	if err != nil {
		return fmt.Errorf("mark outbox %s skipped: %w", r.ID, err)
	}
	return nil
}

// finish records a final status.
func finish(app core.App, id, status, lastErr string, sent *Sent) error {
	now := types.NowDateTime().String()
	p := dbx.Params{"id": id, "status": status, "err": truncate(lastErr, 2000), "now": now, "msg": 0, "poll": "", "sentAt": ""}
	if sent != nil {
		p["msg"], p["poll"], p["sentAt"] = sent.MessageID, sent.PollID, now
	}
	_, err := app.DB().NewQuery(`UPDATE outbox SET status = {:status}, last_error = {:err}, updated = {:now},
		sent_at = {:sentAt}, telegram_message_id = {:msg}, telegram_poll_id = {:poll} WHERE id = {:id}`).Bind(p).Execute()
	if err != nil {
		return fmt.Errorf("mark outbox %s %s: %w", id, status, err)
	}
	return nil
}

// setBlocked sets users.telegram_blocked, through a save so the audit log
// shows when and why the bot stopped (or resumed) writing to someone.
func setBlocked(ctx context.Context, app core.App, userID string, blocked bool) error {
	u, err := app.FindRecordById("users", userID)
	if err != nil {
		return nil // deleted meanwhile: nothing to mark
	}
	if u.GetBool("telegram_blocked") == blocked {
		return nil
	}
	u.Set("telegram_blocked", blocked)
	if err := app.SaveWithContext(audit.WithActor(ctx, audit.System), u); err != nil {
		return fmt.Errorf("mark user %s telegram_blocked=%v: %w", userID, blocked, err)
	}
	return nil
}

// recorder holds outcomes until the next write: they commit together
// with the next row's "sending" mark, and the rest when the batch ends.
// The mark is written while the previous call is in flight, so add and
// commit may run at once. A row whose outcome is lost with a crash stays
// "sending" and becomes ambiguous at the next start: never resent.
type recorder struct {
	app     core.App
	mu      sync.Mutex
	pending []func(core.App) error
}

func (s *Sender) newRecorder() *recorder { return &recorder{app: s.App} }

func (r *recorder) add(fn func(core.App) error) {
	r.mu.Lock()
	r.pending = append(r.pending, fn)
	r.mu.Unlock()
}

// commit writes the queued outcomes and then fn, in one transaction.
func (r *recorder) commit(fn func(core.App) error) error {
	r.mu.Lock()
	batch := r.pending
	r.pending = nil
	r.mu.Unlock()
	err := r.app.RunInTransaction(func(tx core.App) error {
		for _, f := range batch {
			if err := f(tx); err != nil {
				return err
			}
		}
		if fn != nil {
			return fn(tx)
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("telegram sender: record outcomes: %w", err)
	}
	return nil
}

// close writes what is queued.
func (r *recorder) close() error {
	r.mu.Lock()
	empty := len(r.pending) == 0
	r.mu.Unlock()
	if empty {
		return nil
	}
	return r.commit(nil)
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	r := []rune(s)
	if len(r) > n/2 {
		r = r[:n/2]
	}
	return string(r)
}
