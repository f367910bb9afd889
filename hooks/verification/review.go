package verification

import (
	"fmt"
	"strings"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/access"
	"questbase/hooks/audit"
)

// transitions are the decisions a reviewer can make without a new photo.
// Pending comes only from a new photo, none only from removing it.
var transitions = map[string]map[string]string{
	StatusPending:  {StatusApproved: "approve", StatusRejected: "reject"},
	StatusApproved: {StatusRejected: "reject"}, // ask for a new photo
}

// review checks a change of the status or the note made without a new
// photo, and stamps a decision with its reviewer and time.
func review(tx core.App, actor audit.Actor, rec, stored *core.Record, out *outcome) error {
	from, to := status(stored), status(rec)
	noteChanged := rec.GetString(fieldNote) != stored.GetString(fieldNote)
	if from == to && !noteChanged {
		return nil
	}
	// who may decide comes first: a student learns nothing about the rules
	// of a change they may not make
	if err := mayReview(tx, actor, rec.Id); err != nil {
		return err
	}

	errs := validation.Errors{}
	action, allowed := transitions[from][to]
	if from != to && !allowed {
		errs[fieldStatus] = validation.NewError("validation_invalid_transition",
			"The verification status cannot change from {{.from}} to {{.to}}; only a new photo makes it pending.").
			SetParams(map[string]any{"from": from, "to": to})
	}
	if to == StatusRejected && strings.TrimSpace(rec.GetString(fieldNote)) == "" {
		errs[fieldNote] = validation.NewError("validation_required", "A rejection needs a reason for the student.")
	}
	if len(errs) > 0 {
		return errs
	}
	if from == to {
		return nil // the reviewer edited the note of the current decision
	}

	reviewer := ""
	if actor.Kind == audit.KindUser || actor.Kind == audit.KindBot {
		reviewer = actor.ID // superusers, the system and jobs are no users row
	}
	rec.Set(fieldReviewedBy, reviewer)
	rec.Set(fieldReviewedAt, types.NowDateTime())
	audit.Label(rec, Module, action)
	out.decision = to
	return nil
}

// mayReview allows superusers, Go code acting for nobody in particular (the
// system, jobs) and holders of an unscoped verification.review, the same
// grant the users update rule asks for. Nobody decides on their own profile.
func mayReview(tx core.App, actor audit.Actor, userID string) error {
	switch actor.Kind {
	case audit.KindSuperuser, audit.KindSystem, audit.KindCron:
		return nil
	case audit.KindUser, audit.KindBot:
		if actor.ID == userID {
			return router.NewForbiddenError("Nobody can decide on their own verification.", nil)
		}
		ok, err := access.Can(tx, actor.ID, access.VerificationReview, nil)
		if err != nil {
			return fmt.Errorf("verification: %w", err)
		}
		if ok {
			return nil
		}
	}
	return router.NewForbiddenError("Only verification reviewers can change the verification status or note.", nil)
}
