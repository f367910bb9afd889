package access

import (
	"fmt"
	"hash/fnv"
	"strings"
)

// SignedIn holds for any signed-in user of the users collection
// (superusers bypass rules anyway).
const SignedIn = `@request.auth.collectionName = "users"`

// Has returns a rule that holds when the caller holds perm through any of
// their roles, whatever the role's scope. Use it for permissions that are
// not about tagged things (users.manage, audit.view, ...).
func Has(perm string) string {
	a := alias(perm, "")
	return fmt.Sprintf(`(@collection.grants:%[1]s.user ?= @request.auth.id && @collection.grants:%[1]s.permission ?= %[2]q)`, a, perm)
}

// HasGlobal returns a rule that holds when the caller holds perm through a
// role without scope tags.
func HasGlobal(perm string) string {
	a := alias(perm, "*")
	return fmt.Sprintf(`(@collection.grants:%[1]s.user ?= @request.auth.id && @collection.grants:%[1]s.permission ?= %[2]q && @collection.grants:%[1]s.tag ?= "")`, a, perm)
}

// HasFor returns a rule that holds when the caller holds perm through a role
// that is either unscoped or scoped to one of the tags at tagsPath (a
// relation path such as "tags", "meetup.tags" or "@request.body.tags").
//
// Each call joins the grants view under its own alias, so the conditions on
// user, permission and tag are met by one and the same grant row.
func HasFor(perm, tagsPath string) string {
	a := alias(perm, tagsPath)
	return fmt.Sprintf(`(@collection.grants:%[1]s.user ?= @request.auth.id && @collection.grants:%[1]s.permission ?= %[2]q && (@collection.grants:%[1]s.tag ?= "" || @collection.grants:%[1]s.tag ?= %[3]s))`, a, perm, tagsPath)
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

// alias names a grants join after the permission and the tag path it is
// checked against; PocketBase accepts only [a-zA-Z0-9_] there.
func alias(perm, tagsPath string) string {
	a := "g_" + strings.ReplaceAll(perm, ".", "_")
	if tagsPath != "" {
		h := fnv.New32a()
		h.Write([]byte(tagsPath))
		a += fmt.Sprintf("_%x", h.Sum32())
	}
	return a
}
