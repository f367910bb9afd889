package access_test

import (
	"testing"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
)

// A grant read once with Scope reaches exactly the records Can lets the
// user act on: global everywhere, scoped only on its tags, never on an
// untagged record.
func TestGrantCoversAsCanDecides(t *testing.T) {
	app, w := testapp.New(t)
	users := map[string]string{
		"global": w.Staff[access.StatsView], "scoped to web": w.Scoped[access.StatsView],
		"student": w.Student, "nobody": "",
	}
	tagSets := map[string][]string{
		"untagged": nil, "ml": {w.TagML}, "web": {w.TagWeb}, "ml+web": {w.TagML, w.TagWeb},
	}
	for who, id := range users {
		g, err := access.Scope(app, id, access.StatsView)
		if err != nil {
			t.Fatal(err)
		}
		for name, tags := range tagSets {
			want, err := access.Can(app, id, access.StatsView, tags)
			if err != nil {
				t.Fatal(err)
			}
			if got := g.Covers(tags); got != want {
				t.Errorf("%s on %s: Covers %v, Can %v", who, name, got, want)
			}
		}
	}
	if g, _ := access.Scope(app, w.Scoped[access.StatsView], access.StatsView); g.Covers(nil) || !g.Covers([]string{w.TagWeb}) {
		t.Errorf("scoped grant %+v", g)
	}
}
