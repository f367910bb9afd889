package bot

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// paced wraps Telegram so that every outgoing message call of the whole
// bot (the sender's and the replies to users) shares one budget:
//
//   - a token bucket at the configured rate (QB_TELEGRAM_RATE), and
//   - a pause: a 429 stops every call for its retry_after.
//
// Message calls are made one at a time, and a 429 sets the pause before
// the next call may start, so no call is ever made during a pause that the
// bot knows of. Serial calls bound throughput by the round trip (at 40 ms
// that is 25/s); getUpdates and file downloads are not paced.
type paced struct {
	Telegram
	lim  *rate.Limiter
	call sync.Mutex

	mu    sync.Mutex
	until time.Time
}

func newPaced(tg Telegram, perSecond float64) *paced {
	// a burst of a fiftieth of a second's worth absorbs scheduling jitter
	// without ever exceeding the rate by more than that
	burst := max(1, int(perSecond/50))
	return &paced{Telegram: tg, lim: rate.NewLimiter(rate.Limit(perSecond), burst)}
}

// pausedUntil is when the current pause ends (zero: none).
func (p *paced) pausedUntil() time.Time {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.until
}

// pause stops every message call for d.
func (p *paced) pause(d time.Duration) {
	until := time.Now().Add(d)
	p.mu.Lock()
	if until.After(p.until) {
		p.until = until
	}
	p.mu.Unlock()
	slog.Warn("telegram: 429, pausing all sending", slog.Duration("retry_after", d))
}

// do runs one message call within the budget. ctx cancels the wait; a
// call once started is not cancelled (it has its own timeout), since an
// aborted send may still have been delivered.
func (p *paced) do(ctx context.Context, fn func(ctx context.Context) error) error {
	p.call.Lock()
	defer p.call.Unlock()
	for {
		if d := time.Until(p.pausedUntil()); d > 0 {
			t := time.NewTimer(d)
			select {
			case <-ctx.Done():
				t.Stop()
				return ctx.Err()
			case <-t.C:
			}
			continue
		}
		if err := p.lim.Wait(ctx); err != nil {
			return err
		}
		if time.Now().Before(p.pausedUntil()) {
			continue
		}
		break
	}
	err := fn(context.WithoutCancel(ctx))
	if d, ok := RetryAfter(err); ok {
		p.pause(d)
	}
	return err
}

func (p *paced) Send(ctx context.Context, m Outgoing) (Sent, error) {
	var s Sent
	err := p.do(ctx, func(ctx context.Context) error {
		var err error
		s, err = p.Telegram.Send(ctx, m)
		return err
	})
	return s, err
}

func (p *paced) AnswerCallback(ctx context.Context, id, text string) error {
	return p.do(ctx, func(ctx context.Context) error { return p.Telegram.AnswerCallback(ctx, id, text) })
}

func (p *paced) EditText(ctx context.Context, chatID int64, messageID int, text string, kb *Keyboard) error {
	return p.do(ctx, func(ctx context.Context) error { return p.Telegram.EditText(ctx, chatID, messageID, text, kb) })
}

func (p *paced) EditKeyboard(ctx context.Context, chatID int64, messageID int, kb *Keyboard) error {
	return p.do(ctx, func(ctx context.Context) error { return p.Telegram.EditKeyboard(ctx, chatID, messageID, kb) })
}

func (p *paced) Delete(ctx context.Context, chatID int64, messageID int) error {
	return p.do(ctx, func(ctx context.Context) error { return p.Telegram.Delete(ctx, chatID, messageID) })
}
