package stats

import (
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Limits on the tags parameter: a tag name is at most 50 characters and a
// record carries at most 20 tags, so anything far beyond is a mistake.
const (
	maxTagRefs   = 50
	maxTagRefLen = 100
	maxDateLen   = 64
)

// Filter is what a statistics request selects: a time range and tags.
type Filter struct {
	// From is the first instant of the range, Until the first one after
	// it; a zero value leaves that side open.
	From, Until time.Time
	// TagRefs are the tags as the caller named them (ids or names);
	// Resolve turns them into Tags, which are ids.
	TagRefs []string
	Tags    []string
}

// ParseFilter reads from, to and tags from a query. A date (YYYY-MM-DD) is
// a whole day in loc: from starts at its midnight, to includes the day. An
// RFC 3339 time is an instant, and to includes it. Errors name the
// parameter; the parameters without one are parsed all the same, so that a
// caller can check the rest (Resolve) and report every bad value at once.
func ParseFilter(q url.Values, loc *time.Location) (Filter, validation.Errors) {
	var f Filter
	errs := validation.Errors{}
	var err error
	if f.From, err = parseBound(q, "from", loc, false); err != nil {
		errs["from"] = err
	}
	if f.Until, err = parseBound(q, "to", loc, true); err != nil {
		errs["to"] = err
	}
	if errs["from"] == nil && errs["to"] == nil && !f.From.IsZero() && !f.Until.IsZero() && !f.From.Before(f.Until) {
		errs["to"] = validation.NewError("validation_range", "to must not be before from.")
	}
	if f.TagRefs, err = parseTagRefs(q["tags"]); err != nil {
		errs["tags"] = err
	}
	if len(errs) > 0 {
		return f, errs
	}
	return f, nil
}

func parseBound(q url.Values, name string, loc *time.Location, end bool) (time.Time, error) {
	vals := q[name]
	switch {
	case len(vals) == 0 || (len(vals) == 1 && vals[0] == ""):
		return time.Time{}, nil
	case len(vals) > 1:
		return time.Time{}, validation.NewError("validation_repeated", fmt.Sprintf("Give %s once.", name))
	}
	s := strings.TrimSpace(vals[0])
	bad := validation.NewError("validation_invalid_date", fmt.Sprintf("%s must be a date (YYYY-MM-DD) or an RFC 3339 time.", name))
	if len(s) > maxDateLen {
		return time.Time{}, bad
	}
	var t time.Time
	if d, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		t = d
		if end {
			t = t.AddDate(0, 0, 1)
		}
	} else if ts, err := time.Parse(time.RFC3339, s); err == nil {
		t = ts
		if end {
			// stored times have millisecond precision; to includes its own
			t = t.Truncate(time.Millisecond).Add(time.Millisecond)
		}
	} else {
		return time.Time{}, bad
	}
	// Stored times compare as text ("2026-01-15 18:00:00.000Z"), which
	// holds only for four-digit years.
	if y := t.UTC().Year(); y < 1 || y > 9999 {
		return time.Time{}, validation.NewError("validation_date_range", fmt.Sprintf("%s is out of range (years 0001 to 9999).", name))
	}
	return t, nil
}

func parseTagRefs(vals []string) ([]string, error) {
	var refs []string
	for _, v := range vals {
		if v == "" {
			continue
		}
		for _, r := range strings.Split(v, ",") {
			r = strings.TrimSpace(r)
			switch {
			case r == "":
				return nil, validation.NewError("validation_empty_tag", "tags has an empty entry; separate tag ids or names by single commas.")
			case len(r) > maxTagRefLen:
				return nil, validation.NewError("validation_invalid_tag", "tags has an entry that is too long to be a tag.")
			}
			refs = append(refs, r)
		}
	}
	if len(refs) > maxTagRefs {
		return nil, validation.NewError("validation_too_many_tags", fmt.Sprintf("tags lists more than %d tags.", maxTagRefs))
	}
	return refs, nil
}

// Resolve looks the named tags up by id or name. An unknown tag is an
// error naming the tags parameter.
func (f *Filter) Resolve(app core.App) error {
	if len(f.TagRefs) == 0 {
		return nil
	}
	refs := make([]any, len(f.TagRefs))
	for i, r := range f.TagRefs {
		refs[i] = r
	}
	var rows []struct {
		ID   string `db:"id"`
		Name string `db:"name"`
	}
	err := app.DB().Select("id", "name").From("tags").
		Where(dbx.Or(dbx.In("id", refs...), dbx.In("name", refs...))).All(&rows)
	if err != nil {
		return fmt.Errorf("stats: look up tags: %w", err)
	}
	ids := make(map[string]string, 2*len(rows))
	for _, r := range rows {
		ids[r.Name] = r.ID
	}
	for _, r := range rows {
		ids[r.ID] = r.ID // an id wins over a name that happens to equal it
	}
	f.Tags = f.Tags[:0]
	seen := map[string]bool{}
	for _, r := range f.TagRefs {
		id, ok := ids[r]
		if !ok {
			return validation.Errors{"tags": validation.NewError("validation_unknown_tag", fmt.Sprintf("No tag %q.", r))}
		}
		if !seen[id] {
			seen[id] = true
			f.Tags = append(f.Tags, id)
		}
	}
	return nil
}

// matchesTags reports whether a record carrying tags passes the tags
// filter: no filter, or one of its tags among them.
func (f *Filter) matchesTags(tags []string) bool {
	if len(f.Tags) == 0 {
		return true
	}
	for _, t := range tags {
		for _, want := range f.Tags {
			if t == want {
				return true
			}
		}
	}
	return false
}

// contains reports whether t falls in the range.
func (f *Filter) contains(t time.Time) bool {
	return (f.From.IsZero() || !t.Before(f.From)) && (f.Until.IsZero() || t.Before(f.Until))
}

// where returns SQL conditions limiting column to the range, with their
// parameters, in the stored text form of times.
func (f *Filter) where(column string) (string, dbx.Params) {
	var conds []string
	params := dbx.Params{}
	if !f.From.IsZero() {
		conds = append(conds, column+" >= {:from}")
		params["from"] = dbText(f.From)
	}
	if !f.Until.IsZero() {
		conds = append(conds, column+" < {:until}")
		params["until"] = dbText(f.Until)
	}
	if len(conds) == 0 {
		return "1=1", params
	}
	return strings.Join(conds, " AND "), params
}

// echo is the filter as answers report it back.
func (f *Filter) echo() FilterEcho {
	e := FilterEcho{Tags: f.Tags}
	if e.Tags == nil {
		e.Tags = []string{}
	}
	if !f.From.IsZero() {
		e.From = dbText(f.From)
	}
	if !f.Until.IsZero() {
		e.Until = dbText(f.Until)
	}
	return e
}

// FilterEcho is the filter an answer was computed for: from inclusive,
// until exclusive (both empty when open), tag ids.
type FilterEcho struct {
	From  string   `json:"from"`
	Until string   `json:"until"`
	Tags  []string `json:"tags"`
}

// dbText formats t as PocketBase stores times.
func dbText(t time.Time) string {
	return t.UTC().Format(types.DefaultDateLayout)
}
