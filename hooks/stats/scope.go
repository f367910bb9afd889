package stats

import (
	"fmt"
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
)

// viewer is who asks for statistics and what they may see. It reads the
// caller's stats.view grant once (access.Scope), so a list of 500 meetups
// costs one query, not 500.
type viewer struct {
	user  string // users id; empty for a superuser
	super bool
	grant access.Grant
}

func newViewer(e *core.RequestEvent) (*viewer, error) {
	if e.HasSuperuserAuth() {
		return &viewer{super: true}, nil
	}
	g, err := access.Scope(e.App, e.Auth.Id, access.StatsView)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	return &viewer{user: e.Auth.Id, grant: g}, nil
}

// holdsStats reports whether the viewer holds stats.view at all.
func (v *viewer) holdsStats() bool { return v.super || v.grant.Any() }

// sees reports whether stats.view covers a record carrying tags.
func (v *viewer) sees(tags []string) bool { return v.super || v.grant.Covers(tags) }

// hosts reports whether the viewer is among a course's hosts.
func (v *viewer) hosts(hosts []string) bool {
	return v.user != "" && slices.Contains(hosts, v.user)
}
