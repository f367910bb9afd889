package sync

import (
	"context"
	"errors"
	"log/slog"
	gosync "sync"
	"time"
)

// Backoff after failed runs: the interval doubles per consecutive failure,
// up to maxBackoff (or the interval, when that is longer).
const maxBackoff = 15 * time.Minute

// runTimeout bounds one scheduled run: a server that stops answering
// mid-run must not hold the mirror (or a SQLite snapshot) for ever.
const runTimeout = 30 * time.Minute

// Job runs the mirror on a schedule in the background: never two runs at
// once, and a PostgreSQL that is down or slow only delays the mirror,
// never the app.
type Job struct {
	m        *Mirror
	interval time.Duration
	first    time.Duration // delay of the first run after start

	mu       gosync.Mutex
	last     *Report // last successful run of this process
	attempt  time.Time
	lastErr  string
	errAt    time.Time
	failures int
	next     time.Time

	cancel context.CancelFunc
	done   chan struct{}
}

// NewJob schedules m every interval.
func NewJob(m *Mirror, interval time.Duration) *Job {
	if interval <= 0 {
		interval = time.Minute
	}
	return &Job{m: m, interval: interval, first: min(5*time.Second, interval)}
}

// Start runs the loop until Stop.
func (j *Job) Start() {
	j.mu.Lock()
	defer j.mu.Unlock()
	if j.cancel != nil {
		return
	}
	ctx, cancel := context.WithCancel(context.Background())
	j.cancel, j.done = cancel, make(chan struct{})
	j.next = time.Now().Add(j.first)
	go j.loop(ctx, j.first)
}

// Stop ends the loop, cancelling a run in progress (its transaction rolls
// back; the next start catches up).
func (j *Job) Stop() {
	j.mu.Lock()
	cancel, done := j.cancel, j.done
	j.cancel = nil
	j.mu.Unlock()
	if cancel == nil {
		return
	}
	cancel()
	<-done
}

func (j *Job) loop(ctx context.Context, delay time.Duration) {
	defer close(j.done)
	timer := time.NewTimer(delay)
	defer timer.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-timer.C:
		}
		delay = j.runOnce(ctx)
		j.mu.Lock()
		j.next = time.Now().Add(delay)
		j.mu.Unlock()
		timer.Reset(delay)
	}
}

// runOnce runs the mirror and returns the delay before the next run.
func (j *Job) runOnce(ctx context.Context) time.Duration {
	ctx, cancel := context.WithTimeout(ctx, runTimeout)
	defer cancel()
	start := time.Now()
	j.mu.Lock()
	j.attempt = start.UTC()
	j.mu.Unlock()

	rep, err := j.m.Run(ctx, RunOptions{})
	j.mu.Lock()
	defer j.mu.Unlock()
	switch {
	case errors.Is(err, ErrBusy):
		slog.Info("reporting mirror: another run holds the mirror (sync --once?); trying again next time")
		return j.interval
	case err != nil && ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled):
		return j.interval // shutting down
	case err != nil:
		j.failures++
		j.lastErr, j.errAt = err.Error(), time.Now().UTC()
		delay := j.backoff()
		slog.Warn("reporting mirror: run failed; the app is unaffected and the next run catches up",
			slog.String("error", err.Error()), slog.Int("failures", j.failures), slog.Duration("retry_in", delay))
		if rep != nil && !rep.Finished.IsZero() {
			j.last = rep // the rows committed; only the views failed
		}
		return delay
	}
	j.failures, j.lastErr = 0, ""
	j.last = rep
	if rep.Upserted > 0 || rep.Deleted > 0 || rep.Mode == "full" {
		slog.Info("reporting mirror: run done", slog.Int64("upserted", rep.Upserted), slog.Int64("deleted", rep.Deleted),
			slog.Duration("took", time.Since(start).Round(time.Millisecond)))
	}
	return j.interval
}

func (j *Job) backoff() time.Duration {
	limit := max(maxBackoff, j.interval)
	d := j.interval
	for i := 1; i < j.failures && d < limit; i++ {
		d *= 2
	}
	return min(d, limit)
}
