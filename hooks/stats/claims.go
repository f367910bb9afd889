package stats

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// ClaimCounts count claims by status.
type ClaimCounts struct {
	Total    int `json:"total"`
	Pending  int `json:"pending"`
	Approved int `json:"approved"`
	Rejected int `json:"rejected"`
}

func (c *ClaimCounts) count(status string) {
	c.Total++
	switch status {
	case "pending":
		c.Pending++
	case "approved":
		c.Approved++
	case "rejected":
		c.Rejected++
	}
}

// decisionTime sums decision times (from filing to decision) to average them.
type decisionTime struct {
	n   int
	sum float64 // seconds
}

func (d *decisionTime) add(secs float64) { d.n++; d.sum += secs }

// avg is the mean in whole seconds, nil without decisions.
func (d decisionTime) avg() *int64 {
	if d.n == 0 {
		return nil
	}
	v := int64(math.Round(d.sum / float64(d.n)))
	return &v
}

// ClaimMonth counts the claims filed in one month (server local time).
type ClaimMonth struct {
	Month string `json:"month"` // YYYY-MM
	ClaimCounts
}

// ClaimReviewer is what one reviewer decided. Decisions made by a
// superuser or the system have an empty reviewer and name.
type ClaimReviewer struct {
	Reviewer string `json:"reviewer"`
	Name     string `json:"name"`
	Approved int    `json:"approved"`
	Rejected int    `json:"rejected"`
	Decided  int    `json:"decided"`
	// AvgDecisionSeconds is the mean time from filing to decision.
	AvgDecisionSeconds *int64 `json:"avg_decision_seconds"`

	time decisionTime
}

// ClaimsReport answers GET /api/stats/claims.
type ClaimsReport struct {
	Filter FilterEcho `json:"filter"`
	ClaimCounts
	// PointsApproved sums the points of approved claims.
	PointsApproved     int              `json:"points_approved"`
	AvgDecisionSeconds *int64           `json:"avg_decision_seconds"`
	Months             []*ClaimMonth    `json:"months"`
	Reviewers          []*ClaimReviewer `json:"reviewers"`
}

// Claims counts the claims filed in the filter's range that carry one of
// its tags.
func Claims(app core.App, f *Filter) (*ClaimsReport, error) {
	where, params := f.where("created")
	var rows []struct {
		Status     string                  `db:"status"`
		Created    types.DateTime          `db:"created"`
		ReviewedBy string                  `db:"reviewed_by"`
		ReviewedAt types.DateTime          `db:"reviewed_at"`
		Points     int                     `db:"points"`
		Tags       types.JSONArray[string] `db:"tags"`
	}
	err := app.DB().NewQuery("SELECT status, created, reviewed_by, reviewed_at, points, tags FROM claims WHERE " + where).
		Bind(params).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("stats: claims: %w", err)
	}

	r := &ClaimsReport{Filter: f.echo(), Months: []*ClaimMonth{}, Reviewers: []*ClaimReviewer{}}
	months := map[string]*ClaimMonth{}
	reviewers := map[string]*ClaimReviewer{}
	var all decisionTime
	for _, c := range rows {
		if !f.matchesTags(c.Tags) {
			continue
		}
		r.count(c.Status)
		key := monthOf(c.Created)
		mo := months[key]
		if mo == nil {
			mo = &ClaimMonth{Month: key}
			months[key] = mo
			r.Months = append(r.Months, mo)
		}
		mo.count(c.Status)
		if c.Status == "approved" {
			r.PointsApproved += c.Points
		}
		if (c.Status != "approved" && c.Status != "rejected") || c.ReviewedAt.IsZero() {
			continue
		}
		rv := reviewers[c.ReviewedBy]
		if rv == nil {
			rv = &ClaimReviewer{Reviewer: c.ReviewedBy}
			reviewers[c.ReviewedBy] = rv
			r.Reviewers = append(r.Reviewers, rv)
		}
		rv.Decided++
		if c.Status == "approved" {
			rv.Approved++
		} else {
			rv.Rejected++
		}
		secs := max(c.ReviewedAt.Time().Sub(c.Created.Time()).Seconds(), 0)
		rv.time.add(secs)
		all.add(secs)
	}
	r.AvgDecisionSeconds = all.avg()
	slices.SortFunc(r.Months, func(a, b *ClaimMonth) int { return cmp.Compare(a.Month, b.Month) })
	if err := nameReviewers(app, reviewers); err != nil {
		return nil, err
	}
	for _, rv := range r.Reviewers {
		rv.AvgDecisionSeconds = rv.time.avg()
	}
	slices.SortFunc(r.Reviewers, func(a, b *ClaimReviewer) int {
		if c := cmp.Compare(b.Decided, a.Decided); c != 0 {
			return c
		}
		return cmp.Compare(a.Reviewer, b.Reviewer)
	})
	return r, nil
}

func nameReviewers(app core.App, reviewers map[string]*ClaimReviewer) error {
	var ids []any
	for id := range reviewers {
		if id != "" {
			ids = append(ids, id)
		}
	}
	if len(ids) == 0 {
		return nil
	}
	var users []struct {
		ID    string `db:"id"`
		First string `db:"first_name"`
		Last  string `db:"last_name"`
		Email string `db:"email"`
	}
	err := app.DB().Select("id", "first_name", "last_name", "email").From("users").Where(dbx.In("id", ids...)).All(&users)
	if err != nil {
		return fmt.Errorf("stats: reviewer names: %w", err)
	}
	for _, u := range users {
		name := strings.TrimSpace(u.First + " " + u.Last)
		if name == "" {
			name = u.Email
		}
		reviewers[u.ID].Name = name
	}
	return nil
}
