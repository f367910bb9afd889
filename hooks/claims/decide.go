package claims

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/access"
	"questbase/hooks/audit"
	"questbase/hooks/notify"
)

// onUpdate checks a claim change against the stored row and, for a
// decision, sets the reviewer fields, pays or takes back points, grants the
// achievement and notifies the student, all in the save's transaction.
func onUpdate(e *core.RecordEvent) error {
	return e.App.RunInTransaction(func(tx core.App) error {
		e.App = tx
		// The stored row, not e.Record.Original(): the caller may have loaded
		// the claim long ago, and writes are serialized, so of two concurrent
		// decisions the second one reads the first one's result here.
		stored, err := tx.FindRecordById(e.Record.Collection(), e.Record.Id)
		if err != nil {
			return fmt.Errorf("claims: load %s: %w", e.Record.Id, err)
		}
		actor := audit.ActorOf(e)
		action, err := judge(tx, actor, stored, e.Record)
		if err != nil {
			return err
		}
		stamp(e.Record, action, actor)
		if err := e.Next(); err != nil {
			return err
		}
		return consequences(e.Context, tx, e.Record, action, actor)
	})
}

// consequences writes what a decision causes, in the claim's transaction.
func consequences(ctx context.Context, tx core.App, claim *core.Record, action string, actor audit.Actor) error {
	if action == "" {
		return nil
	}
	if err := syncLedger(ctx, tx, claim, person(actor)); err != nil {
		return err
	}
	switch action {
	case ActionApprove:
		if err := grantAchievement(ctx, tx, claim, person(actor)); err != nil {
			return err
		}
		return notifyDecision(tx, claim, notify.KindClaimApproved)
	case ActionReject:
		return notifyDecision(tx, claim, notify.KindClaimRejected)
	}
	return nil
}

// judge decides whether actor may turn stored into rec and returns the
// decision it makes: ActionApprove, ActionReject, ActionReopen or "" (no
// decision: the decision fields are untouched, or a reviewer edits them on
// a claim that stays pending).
func judge(tx core.App, actor audit.Actor, stored, rec *core.Record) (string, error) {
	wasDecided := stored.GetString("status") != StatusPending
	if wasDecided && rec.GetString("user") != stored.GetString("user") {
		// its points are on the first user's balance
		return "", badRequest("A decided claim cannot be given to another user; reopen it first.",
			"user", "validation_claim_decided", "A decided claim cannot be given to another user.")
	}
	changed, err := changedDecisionFields(tx, stored, rec)
	if err != nil {
		return "", err
	}
	// Approving an approved claim changes nothing in the row, yet it is a
	// second decision the caller believes it makes: refuse it as well.
	again := wasDecided && isDecision(requestedStatus(rec))
	if len(changed) == 0 && !again {
		return "", nil
	}
	if err := mayDecide(tx, actor, stored, rec); err != nil {
		return "", err
	}
	if wasDecided && actor.Kind != audit.KindSuperuser {
		if len(changed) == 0 {
			changed = []string{"status"}
		}
		errs := validation.Errors{}
		for _, f := range changed {
			errs[f] = validation.NewError("validation_claim_decided", "Only pending claims can be decided.")
		}
		return "", router.NewBadRequestError("Only pending claims can be decided.", errs)
	}
	if len(changed) == 0 {
		return "", nil // a superuser saving the decision as it is
	}

	switch rec.GetString("status") {
	case StatusApproved:
		return ActionApprove, nil
	case StatusRejected:
		if strings.TrimSpace(rec.GetString("review_note")) == "" {
			return "", badRequest("A rejection needs a reason.",
				"review_note", "validation_reason_required", "Say why the claim is rejected.")
		}
		return ActionReject, nil
	case StatusPending:
		if wasDecided {
			return ActionReopen, nil
		}
		return "", nil
	default:
		return "", badRequest("Unknown claim status.",
			"status", "validation_invalid_value", "Choose pending, approved or rejected.")
	}
}

// mayDecide allows superusers, Go code without a person behind it, and
// holders of claims.review — never for a claim of their own, even if they
// hold the permission.
//
// claims.review counts only from a role without scope tags, as in the API
// rules (access.HasGlobal): claims are not meetups or courses, so a scoped
// role grants nothing on them, and the bot must not let such a user do what
// the API refuses.
func mayDecide(tx core.App, actor audit.Actor, stored, rec *core.Record) error {
	switch actor.Kind {
	case audit.KindSuperuser, audit.KindSystem, audit.KindCron:
		return nil
	}
	if actor.ID == stored.GetString("user") || actor.ID == rec.GetString("user") {
		return router.NewForbiddenError("Nobody decides their own claim.", nil)
	}
	ok, err := access.Can(tx, actor.ID, access.ClaimsReview, nil)
	if err != nil {
		return err
	}
	if !ok {
		return router.NewForbiddenError("Only reviewers (claims.review) decide claims.", nil)
	}
	return nil
}

// stamp sets the reviewer fields for the decision and labels the audit row.
// Outside a decision it leaves them alone: the API rules keep everyone but
// superusers from writing them, and PocketBase must be able to clear
// reviewed_by when the reviewer's account is deleted.
func stamp(rec *core.Record, action string, actor audit.Actor) {
	switch action {
	case ActionApprove, ActionReject:
		rec.Set("reviewed_by", person(actor))
		rec.Set("reviewed_at", types.NowDateTime())
	case ActionReopen:
		rec.Set("reviewed_by", "")
		rec.Set("reviewed_at", types.DateTime{})
	}
	label := action
	if label == "" {
		// overwrites a label left on a reused record instance by an earlier decision
		label = "update"
	}
	audit.Label(rec, audit.Module(Collection), label)
}

// person returns the users id of a human actor, "" for superusers (not a
// users record), the system and cron.
func person(actor audit.Actor) string {
	if actor.Kind == audit.KindUser || actor.Kind == audit.KindBot {
		return actor.ID
	}
	return ""
}

// changedDecisionFields lists the decision fields rec changes against the
// stored row. An achievement cleared because it was deleted is not a
// change: PocketBase unsets the relation on every claim that named it, and
// that must neither be refused on decided claims nor count as a new decision.
func changedDecisionFields(tx core.App, stored, rec *core.Record) ([]string, error) {
	var changed []string
	for _, f := range decisionFields {
		if fmt.Sprint(stored.Get(f)) == fmt.Sprint(rec.Get(f)) {
			continue
		}
		if f == "achievement" && rec.GetString(f) == "" {
			gone, err := deleted(tx, "achievements", stored.GetString(f))
			if err != nil {
				return nil, err
			}
			if gone {
				continue
			}
		}
		changed = append(changed, f)
	}
	return changed, nil
}

func deleted(tx core.App, collection, id string) (bool, error) {
	_, err := tx.FindRecordById(collection, id)
	if errors.Is(err, sql.ErrNoRows) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("claims: look up %s/%s: %w", collection, id, err)
	}
	return false, nil
}

func isDecision(status string) bool { return status == StatusApproved || status == StatusRejected }

// badRequest is a 400 naming one field, in PocketBase's error shape.
func badRequest(message, field, code, fieldMessage string) error {
	return router.NewBadRequestError(message, validation.Errors{field: validation.NewError(code, fieldMessage)})
}
