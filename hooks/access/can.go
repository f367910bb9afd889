package access

import (
	"fmt"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// Can reports whether the user holds perm through a role that is unscoped
// or scoped to one of tags. With no tags only an unscoped role counts: a
// scoped role grants nothing on records without tags.
func Can(app core.App, userID, perm string, tags []string) (bool, error) {
	if userID == "" {
		return false, nil
	}
	cond := "t.value IS NULL" // a role without scope tags
	params := dbx.Params{}
	if len(tags) > 0 {
		names := make([]string, len(tags))
		for i, t := range tags {
			k := fmt.Sprint("tag", i)
			names[i] = "{:" + k + "}"
			params[k] = t
		}
		cond += " OR t.value IN (" + strings.Join(names, ", ") + ")"
	}
	return exists(app, userID, perm, cond, params)
}

// CanAny reports whether the user holds perm through any role, whatever its scope.
func CanAny(app core.App, userID, perm string) (bool, error) {
	if userID == "" {
		return false, nil
	}
	return exists(app, userID, perm, "1", dbx.Params{})
}

// exists asks the grants of one user — the same joins as GrantsViewQuery,
// but starting from the user's row, so it reads a handful of rows rather
// than expanding every user's roles (the view does that before filtering).
func exists(app core.App, userID, perm, tagCond string, params dbx.Params) (bool, error) {
	params["user"] = userID
	params["perm"] = perm
	var n int
	err := app.DB().NewQuery(`SELECT count(*) FROM users u
		JOIN json_each(CASE WHEN json_valid(u.roles) THEN u.roles ELSE '[]' END) ur
		JOIN roles r ON r.id = ur.value
		JOIN json_each(CASE WHEN json_valid(r.permissions) THEN r.permissions ELSE '[]' END) p
		LEFT JOIN json_each(CASE WHEN json_valid(r.scope_tags) THEN r.scope_tags ELSE '[]' END) t
		WHERE u.id = {:user} AND p.value = {:perm} AND (` + tagCond + `)`).Bind(params).Row(&n)
	if err != nil {
		return false, fmt.Errorf("check grant %s for %s: %w", perm, userID, err)
	}
	return n > 0, nil
}

// Grant is what one user holds of one permission.
type Grant struct {
	// Global is true when a role without scope tags grants it.
	Global bool
	// Tags are the scope tags of the scoped roles that grant it.
	Tags []string
}

// Any reports whether the user holds the permission at all.
func (g Grant) Any() bool { return g.Global || len(g.Tags) > 0 }

// Covers reports whether the grant reaches a record carrying tags, as Can
// decides it: a global grant reaches everything, a scoped one the records
// carrying one of its tags (and nothing untagged). For checking many
// records against one Scope query.
func (g Grant) Covers(tags []string) bool {
	if g.Global {
		return true
	}
	for _, t := range tags {
		if slices.Contains(g.Tags, t) {
			return true
		}
	}
	return false
}

// Scope returns what userID holds of perm.
func Scope(app core.App, userID, perm string) (Grant, error) {
	var g Grant
	if userID == "" {
		return g, nil
	}
	var tags []string
	err := app.DB().NewQuery(`SELECT COALESCE(t.value, '') FROM users u
		JOIN json_each(CASE WHEN json_valid(u.roles) THEN u.roles ELSE '[]' END) ur
		JOIN roles r ON r.id = ur.value
		JOIN json_each(CASE WHEN json_valid(r.permissions) THEN r.permissions ELSE '[]' END) p
		LEFT JOIN json_each(CASE WHEN json_valid(r.scope_tags) THEN r.scope_tags ELSE '[]' END) t
		WHERE u.id = {:user} AND p.value = {:perm}`).Bind(dbx.Params{"user": userID, "perm": perm}).Column(&tags)
	if err != nil {
		return g, fmt.Errorf("grants of %s for %s: %w", perm, userID, err)
	}
	for _, t := range tags {
		if t == "" {
			g.Global = true
		} else if !slices.Contains(g.Tags, t) {
			g.Tags = append(g.Tags, t)
		}
	}
	return g, nil
}
