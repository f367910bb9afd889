package access

import (
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Can reports whether the user holds perm unscoped or scoped to one of
// tags. With no tags, only an unscoped grant counts, unless tags is nil and
// anyScope is wanted: use CanAny for that.
func Can(app core.App, userID, perm string, tags []string) (bool, error) {
	if userID == "" {
		return false, nil
	}
	cond := dbx.HashExp{"tag": ""}
	var where dbx.Expression = cond
	if len(tags) > 0 {
		vals := make([]any, len(tags))
		for i, t := range tags {
			vals[i] = t
		}
		where = dbx.Or(cond, dbx.In("tag", vals...))
	}
	return exists(app, userID, perm, where)
}

// CanAny reports whether the user holds perm through any role, whatever its scope.
func CanAny(app core.App, userID, perm string) (bool, error) {
	if userID == "" {
		return false, nil
	}
	return exists(app, userID, perm, nil)
}

func exists(app core.App, userID, perm string, extra dbx.Expression) (bool, error) {
	var n int
	q := app.DB().Select("count(*)").From(GrantsCollection).
		Where(dbx.HashExp{"user": userID, "permission": perm})
	if extra != nil {
		q = q.AndWhere(extra)
	}
	if err := q.Limit(1).Row(&n); err != nil {
		return false, fmt.Errorf("check grant %s for %s: %w", perm, userID, err)
	}
	return n > 0, nil
}
