package stats

import (
	"fmt"
	"slices"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
)

// viewer is who asks for statistics and what they may see. It reads the
// caller's stats.view grants once, with the meaning access.Can gives them
// (an unscoped grant sees everything, a scoped one the records carrying
// one of its tags), so a list of 500 meetups costs one query, not 500.
type viewer struct {
	user  string // users id; empty for a superuser
	super bool
	all   bool            // stats.view without scope tags
	tags  map[string]bool // scope tags of scoped stats.view roles
}

func newViewer(e *core.RequestEvent) (*viewer, error) {
	if e.HasSuperuserAuth() {
		return &viewer{super: true, all: true}, nil
	}
	v := &viewer{user: e.Auth.Id, tags: map[string]bool{}}
	g, err := access.Scope(e.App, v.user, access.StatsView)
	if err != nil {
		return nil, fmt.Errorf("stats: %w", err)
	}
	v.all = g.Global
	for _, t := range g.Tags {
		v.tags[t] = true
	}
	return v, nil
}

// holdsStats reports whether the viewer holds stats.view at all.
func (v *viewer) holdsStats() bool { return v.all || len(v.tags) > 0 }

// sees reports whether stats.view covers a record carrying tags. A scoped
// role sees nothing of an untagged record.
func (v *viewer) sees(tags []string) bool {
	if v.all {
		return true
	}
	for _, t := range tags {
		if v.tags[t] {
			return true
		}
	}
	return false
}

// hosts reports whether the viewer is among a course's hosts.
func (v *viewer) hosts(hosts []string) bool {
	return v.user != "" && slices.Contains(hosts, v.user)
}
