// Package notify writes what a student must hear about as outbox rows, in
// the transaction of the event itself. It never talks to Telegram: the
// bot's sender delivers the rows. Texts are not stored here, only a kind
// and its data, so the bot renders them in each student's language.
package notify

import (
	"encoding/json"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Collection is the outbox's collection name.
const Collection = "outbox"

// Kinds of notifications.
const (
	KindPoints               = "points"
	KindLevelUp              = "level_up"
	KindLevelDown            = "level_down"
	KindAchievement          = "achievement"
	KindClaimApproved        = "claim_approved"
	KindClaimRejected        = "claim_rejected"
	KindVerificationApproved = "verification_approved"
	KindVerificationRejected = "verification_rejected"
	KindVerificationPending  = "verification_pending"
	KindWaitlistPromoted     = "waitlist_promoted" // a seat freed up: the student is registered now
	KindMeetupCancelled      = "meetup_cancelled"  // to everyone registered or waitlisted
	KindMeetupChanged        = "meetup_changed"    // a published meetup's time or place changed
	KindCourseCompleted      = "course_completed"
	KindCourseMessage        = "course_message" // a course host's message to participants
)

// Message is one notification for one user.
type Message struct {
	User string
	Kind string
	// Key makes the row unique: the same event never yields two rows,
	// however often it is processed. Convention: kind:source-id[:detail].
	Key     string
	Payload map[string]any
	// SendAfter delays delivery (reminders); zero means now.
	SendAfter types.DateTime
	Broadcast string
}

// Enqueue adds m to the outbox unless a row with its key exists, and
// reports whether it did. Pass the event's transaction app.
//
// It inserts directly, without record hooks: outbox rows are delivery
// bookkeeping (not audited), and an award writes one for every ledger row.
func Enqueue(app core.App, m Message) (bool, error) {
	if m.User == "" || m.Kind == "" || m.Key == "" {
		return false, fmt.Errorf("notify: user, kind and key are required (%+v)", m)
	}
	payload, err := json.Marshal(m.Payload)
	if err != nil {
		return false, fmt.Errorf("notify %s: payload: %w", m.Key, err)
	}
	now := types.NowDateTime().String()
	sendAfter := now
	if !m.SendAfter.IsZero() {
		sendAfter = m.SendAfter.String()
	}
	res, err := app.DB().NewQuery(`
		INSERT INTO outbox (id, user, kind, payload, dedupe_key, status, attempts, last_error, send_after,
			sending_at, sent_at, broadcast, telegram_message_id, telegram_poll_id, created, updated)
		VALUES ({:id}, {:user}, {:kind}, {:payload}, {:key}, 'pending', 0, '', {:sendAfter},
			'', '', {:broadcast}, 0, '', {:now}, {:now})
		ON CONFLICT (dedupe_key) DO NOTHING`).Bind(dbx.Params{
		"id":        core.GenerateDefaultRandomId(),
		"user":      m.User,
		"kind":      m.Kind,
		"payload":   string(payload),
		"key":       m.Key,
		"sendAfter": sendAfter,
		"broadcast": m.Broadcast,
		"now":       now,
	}).Execute()
	if err != nil {
		return false, fmt.Errorf("notify %s: %w", m.Key, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("notify %s: %w", m.Key, err)
	}
	if n == 1 {
		if info := app.TxInfo(); info != nil {
			info.OnComplete(func(txErr error) error {
				if txErr == nil {
					signal()
				}
				return nil
			})
		} else {
			signal()
		}
	}
	return n == 1, nil
}

// enqueued has a value when rows were added since the sender last looked.
var enqueued = make(chan struct{}, 1)

// Enqueued is signalled after a transaction that added outbox rows
// commits, so the sender delivers them at once instead of at its next poll.
func Enqueued() <-chan struct{} { return enqueued }

func signal() {
	select {
	case enqueued <- struct{}{}:
	default:
	}
}
