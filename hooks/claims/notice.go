package claims

import (
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/notify"
)

// notifyDecision tells the student about a decision. The key carries the
// decision time, so every decision (a superuser's re-decision too) is its
// own message, and one decision never yields two.
func notifyDecision(tx core.App, claim *core.Record, kind string) error {
	status := claim.GetString("status")
	_, err := notify.Enqueue(tx, notify.Message{
		User: claim.GetString("user"),
		Kind: kind,
		Key:  "claim:" + claim.Id + ":" + status + ":" + claim.GetDateTime("reviewed_at").String(),
		Payload: map[string]any{
			"claim":       claim.Id,
			"title":       claim.GetString("title"),
			"status":      status,
			"points":      claim.GetInt("points"),
			"achievement": claim.GetString("achievement"),
			"reason":      claim.GetString("review_note"),
		},
	})
	return err
}
