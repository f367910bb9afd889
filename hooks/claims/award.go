package claims

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// grantAchievement gives the approved claim's achievement to its owner,
// unless they have it already (awards are unique per user and
// achievement). The awards hooks add the achievement's own points and
// notification.
func grantAchievement(ctx context.Context, tx core.App, claim *core.Record, awardedBy string) error {
	achievement := claim.GetString("achievement")
	if achievement == "" {
		return nil
	}
	user := claim.GetString("user")
	_, err := tx.FindFirstRecordByFilter("awards", "user = {:user} && achievement = {:achievement}",
		dbx.Params{"user": user, "achievement": achievement})
	if err == nil {
		return nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("claims: look up award of %s to %s: %w", achievement, user, err)
	}
	col, err := tx.FindCachedCollectionByNameOrId("awards")
	if err != nil {
		return err
	}
	award := core.NewRecord(col)
	award.Set("user", user)
	award.Set("achievement", achievement)
	award.Set("source", "claim")
	award.Set("claim", claim.Id)
	award.Set("awarded_by", awardedBy)
	if err := tx.SaveWithContext(ctx, award); err != nil {
		return fmt.Errorf("claims: award %s to %s: %w", achievement, user, err)
	}
	return nil
}
