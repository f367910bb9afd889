package points

import (
	"context"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Settle makes the ledger's total for one source what the source's state
// says it should have paid: e.Amount is that total (0 to take everything
// back). The rows of a source share e.Reason and have ref e.Ref (the
// first) or e.Ref:<random> (later corrections), so a mark changed from
// present to absent and back, or a completion withdrawn and given again,
// never pays twice; and even a race past every other check meets the
// ledger's unique (user, reason, ref) on the first row. It reports the
// amount it added (negative when it took points back).
func Settle(ctx context.Context, app core.App, e Entry) (int, error) {
	var got struct {
		Total int `db:"total"`
		First int `db:"first"`
	}
	err := app.DB().NewQuery(`
		SELECT COALESCE(SUM(amount), 0) AS total, COALESCE(SUM(ref = {:ref}), 0) AS first
		FROM points
		WHERE user = {:user} AND reason = {:reason} AND (ref = {:ref} OR ref LIKE {:later})`).
		Bind(dbx.Params{"user": e.User, "reason": e.Reason, "ref": e.Ref, "later": e.Ref + ":%"}).
		One(&got)
	if err != nil {
		return 0, fmt.Errorf("ledger total of %s/%s for %s: %w", e.Reason, e.Ref, e.User, err)
	}
	diff := e.Amount - got.Total
	if diff == 0 {
		return 0, nil
	}
	if got.First > 0 {
		e.Ref += ":" + core.GenerateDefaultRandomId()
	}
	e.Amount = diff
	if _, err := Award(ctx, app, e); err != nil {
		return 0, err
	}
	return diff, nil
}
