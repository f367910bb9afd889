package claims

import (
	"context"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/points"
)

// syncLedger makes the claim's total in the ledger what its state says:
// its points while approved, nothing otherwise. Comparing totals rather
// than reacting to the transition keeps a reopened, re-decided or
// re-approved claim from paying twice or keeping points it lost.
//
// The first row's ref is the claim id, so even a second approval racing
// past every other check would hit the ledger's unique (user, reason, ref);
// later corrections get the ref claimId:<random>.
func syncLedger(ctx context.Context, tx core.App, claim *core.Record, actor string) error {
	want := 0
	if claim.GetString("status") == StatusApproved {
		want = claim.GetInt("points")
	}
	var got struct {
		Total int `db:"total"`
		First int `db:"first"`
	}
	err := tx.DB().NewQuery(`
		SELECT COALESCE(SUM(amount), 0) AS total, COALESCE(SUM(ref = {:ref}), 0) AS first
		FROM points
		WHERE user = {:user} AND reason = {:reason} AND (ref = {:ref} OR ref LIKE {:later})`).
		Bind(dbx.Params{"user": claim.GetString("user"), "reason": points.ReasonClaim, "ref": claim.Id, "later": claim.Id + ":%"}).
		One(&got)
	if err != nil {
		return fmt.Errorf("claims: ledger total of %s: %w", claim.Id, err)
	}
	if got.Total == want {
		return nil
	}
	ref := claim.Id
	if got.First > 0 {
		ref = claim.Id + ":" + core.GenerateDefaultRandomId()
	}
	_, err = points.Award(ctx, tx, points.Entry{
		User:   claim.GetString("user"),
		Amount: want - got.Total,
		Reason: points.ReasonClaim,
		Ref:    ref,
		Note:   "Claim: " + claim.GetString("title"),
		Tags:   claim.GetStringSlice("tags"),
		Actor:  actor,
	})
	return err
}
