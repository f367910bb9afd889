package stats_test

import (
	"testing"
	"time"

	"questbase/hooks/access"
)

type claimCounts struct {
	Total    int `json:"total"`
	Pending  int `json:"pending"`
	Approved int `json:"approved"`
	Rejected int `json:"rejected"`
}

type claimsAnswer struct {
	claimCounts
	PointsApproved     int    `json:"points_approved"`
	AvgDecisionSeconds *int64 `json:"avg_decision_seconds"`
	Months             []struct {
		Month string `json:"month"`
		claimCounts
	} `json:"months"`
	Reviewers []struct {
		Reviewer           string `json:"reviewer"`
		Name               string `json:"name"`
		Approved           int    `json:"approved"`
		Rejected           int    `json:"rejected"`
		Decided            int    `json:"decided"`
		AvgDecisionSeconds *int64 `json:"avg_decision_seconds"`
	} `json:"reviewers"`
}

// Claims by status, month and reviewer, counted from the specs for each
// filter.
func TestClaimStats(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	worldClaim, err := f.app.FindRecordById("claims", f.Claim)
	if err != nil {
		t.Fatal(err)
	}
	specs := append(claimSpecs, claimSpec{title: "Won a hackathon", created: worldClaim.GetString("created"), status: "pending"})
	reviewerID := map[string]string{"r1": f.Staff[access.ClaimsReview], "r2": f.Reviewer2, "super": ""}
	reviewerName := map[string]string{"r1": "Staff claims.review", "r2": "Ревьюер Второй", "super": ""}

	cases := []struct {
		name, query string
		keep        func(claimSpec) bool
	}{
		{"everything", "", func(claimSpec) bool { return true }},
		{"february", "from=2026-02-01&to=2026-02-28", func(s claimSpec) bool { return s.created >= "2026-02" && s.created < "2026-03" }},
		{"from march, instant", "from=2026-03-01T00:00:00Z", func(s claimSpec) bool { return s.created >= "2026-03-01" }},
		{"web", "tags=web", func(s claimSpec) bool { return len(s.tags) > 0 && s.tags[0] == "web" }},
		{"ml or web by name", "tags=ml,web", func(s claimSpec) bool { return len(s.tags) > 0 }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got claimsAnswer
			mustGet(t, f.h, "/api/stats/claims?"+tc.query, f.super, &got)

			var want claimCounts
			months := map[string]claimCounts{}
			type rv struct{ approved, rejected, secs int }
			reviewers := map[string]*rv{}
			points, secs, decided := 0, 0, 0
			for _, s := range specs {
				if !tc.keep(s) {
					continue
				}
				mo := months[month(t, s.created)]
				for _, c := range []*claimCounts{&want, &mo} {
					c.Total++
					switch s.status {
					case "pending":
						c.Pending++
					case "approved":
						c.Approved++
					case "rejected":
						c.Rejected++
					}
				}
				months[month(t, s.created)] = mo
				if s.status == "pending" {
					continue
				}
				points += s.points
				secs += s.decisionSeconds
				decided++
				r := reviewers[s.reviewer]
				if r == nil {
					r = &rv{}
					reviewers[s.reviewer] = r
				}
				if s.status == "approved" {
					r.approved++
				} else {
					r.rejected++
				}
				r.secs += s.decisionSeconds
			}

			if got.claimCounts != want {
				t.Errorf("counts %+v, want %+v", got.claimCounts, want)
			}
			if got.PointsApproved != points {
				t.Errorf("points %d, want %d", got.PointsApproved, points)
			}
			if !sameSeconds(got.AvgDecisionSeconds, secs, decided) {
				t.Errorf("average decision %v s, want %d/%d", got.AvgDecisionSeconds, secs, decided)
			}
			if len(got.Months) != len(months) {
				t.Errorf("%d months, want %d", len(got.Months), len(months))
			}
			for _, m := range got.Months {
				if m.claimCounts != months[m.Month] {
					t.Errorf("month %s: %+v, want %+v", m.Month, m.claimCounts, months[m.Month])
				}
			}
			if len(got.Reviewers) != len(reviewers) {
				t.Errorf("reviewers %+v, want %d", got.Reviewers, len(reviewers))
			}
			for key, r := range reviewers {
				found := false
				for _, g := range got.Reviewers {
					if g.Reviewer != reviewerID[key] {
						continue
					}
					found = true
					if g.Name != reviewerName[key] || g.Approved != r.approved || g.Rejected != r.rejected ||
						g.Decided != r.approved+r.rejected || !sameSeconds(g.AvgDecisionSeconds, r.secs, r.approved+r.rejected) {
						t.Errorf("reviewer %s: %+v, want %+v named %q", key, g, *r, reviewerName[key])
					}
				}
				if !found {
					t.Errorf("reviewer %s missing from %+v", key, got.Reviewers)
				}
			}
		})
	}
}

func sameSeconds(got *int64, sum, n int) bool {
	if n == 0 {
		return got == nil
	}
	want := (time.Duration(sum) * time.Second / time.Duration(n)).Round(time.Second)
	return got != nil && time.Duration(*got)*time.Second == want
}

// The numbers as a person reads them off the specs.
func TestClaimKnownNumbers(t *testing.T) {
	t.Parallel()
	f := newFixture(t)
	var got claimsAnswer
	mustGet(t, f.h, "/api/stats/claims?to=2026-06-30", f.super, &got)
	if got.claimCounts != (claimCounts{Total: 6, Pending: 2, Approved: 3, Rejected: 1}) || got.PointsApproved != 60 {
		t.Errorf("counts %+v, points %d", got.claimCounts, got.PointsApproved)
	}
	if got.AvgDecisionSeconds == nil || *got.AvgDecisionSeconds != 76500 {
		t.Errorf("average decision %v, want 76500 s", got.AvgDecisionSeconds)
	}
	if len(got.Reviewers) != 3 || got.Reviewers[0].Reviewer != f.Staff[access.ClaimsReview] ||
		got.Reviewers[0].Decided != 2 || *got.Reviewers[0].AvgDecisionSeconds != 64800 {
		t.Errorf("reviewers %+v: want the first reviewer first with 2 decisions in 64800 s on average", got.Reviewers)
	}
	if len(got.Months) != 3 || got.Months[0].Month != "2026-01" || got.Months[0].Approved != 1 || got.Months[0].Rejected != 1 {
		t.Errorf("months %+v", got.Months)
	}
}
