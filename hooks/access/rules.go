package access

import (
	"fmt"
	"strings"
)

// SignedIn holds for any signed-in user of the users collection
// (superusers bypass rules anyway).
const SignedIn = `@request.auth.collectionName = "users"`

// Grant checks read the caller's own roles through @request.auth.roles:
// PocketBase joins the caller's users row by id, then their roles, their
// permissions and their scope tags, so a rule sees a handful of rows per
// record. (Joining the grants view with @collection instead is a cross join
// of every grant in the club, once per alias: a users list with six such
// checks ran for 30 s on the test fixture.)
//
// Every check in one rule shares that join, so all conditions of one check
// are met by one and the same role. The flip side: never AND two checks for
// different permissions in one rule; they would have to hold in one row.
//
// Multi-valued fields are compared with :each; a bare multi-valued field in a
// rule is its raw JSON text and never equals an id.

// Has returns a rule that holds when one of the caller's roles grants perm,
// whatever the role's scope. Rules about records that carry no tags use
// HasGlobal instead: a scoped role grants nothing outside its tags.
func Has(perm string) string {
	return fmt.Sprintf(`@request.auth.roles.permissions:each ?= %q`, perm)
}

// HasGlobal returns a rule that holds when a role without scope tags grants
// perm to the caller.
func HasGlobal(perm string) string {
	return fmt.Sprintf(`(@request.auth.roles.permissions:each ?= %q && @request.auth.roles.scope_tags:length ?= 0)`, perm)
}

// HasFor returns a rule that holds when a role grants perm to the caller and
// is either unscoped or scoped to one of the tags at tagsPath (a path to a
// tags relation such as "tags", "meetup.tags" or "@request.body.tags").
func HasFor(perm, tagsPath string) string {
	return fmt.Sprintf(`(@request.auth.roles.permissions:each ?= %q && (@request.auth.roles.scope_tags:length ?= 0 || @request.auth.roles.scope_tags:each ?= %s:each))`, perm, tagsPath)
}

// Includes returns a rule that holds when the multi-valued relation at path
// (such as "hosts" or "course.hosts") holds the caller. A guest never
// matches: PocketBase compares a guest's empty id equal to a missing value.
func Includes(path string) string {
	return fmt.Sprintf(`(@request.auth.id != "" && %s:each ?= @request.auth.id)`, path)
}

// Or joins rules with ||, each in parentheses.
func Or(rules ...string) string { return join(" || ", rules) }

// And joins rules with &&, each in parentheses.
func And(rules ...string) string { return join(" && ", rules) }

// Unchanged returns a rule that holds when the request body leaves every
// named field as it is (absent, or equal to the stored value).
func Unchanged(fields ...string) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = fmt.Sprintf("@request.body.%s:changed = false", f)
	}
	return strings.Join(parts, " && ")
}

// Unset returns a rule that holds when the request body does not send any of
// the named fields (for create rules, where nothing is stored yet).
func Unset(fields ...string) string {
	parts := make([]string, len(fields))
	for i, f := range fields {
		parts[i] = fmt.Sprintf("@request.body.%s:isset = false", f)
	}
	return strings.Join(parts, " && ")
}

func join(sep string, rules []string) string {
	parts := make([]string, 0, len(rules))
	for _, r := range rules {
		if r = strings.TrimSpace(r); r != "" {
			parts = append(parts, "("+r+")")
		}
	}
	return strings.Join(parts, sep)
}
