package stats

import (
	"encoding/json"
	"math"
	"time"

	"github.com/pocketbase/pocketbase/tools/types"
)

// inIDs is the SQL set of the ids bound as {:ids}, a JSON array: one
// parameter however many ids, and SQLite still probes the index for each.
const inIDs = "(SELECT value FROM json_each({:ids}))"

func jsonIDs(ids []string) string {
	if ids == nil {
		ids = []string{}
	}
	b, _ := json.Marshal(ids)
	return string(b)
}

// ratio is n/d rounded to 4 decimals, nil when d is zero (charts show a
// gap, not a misleading 0).
func ratio(n, d int) *float64 {
	if d == 0 {
		return nil
	}
	return round4(float64(n) / float64(d))
}

func round4(x float64) *float64 {
	r := math.Round(x*1e4) / 1e4
	return &r
}

// mean is the average of xs rounded to 4 decimals, nil for none.
func mean(xs []float64) *float64 {
	if len(xs) == 0 {
		return nil
	}
	var s float64
	for _, x := range xs {
		s += x
	}
	return round4(s / float64(len(xs)))
}

// monthOf is the month (YYYY-MM) of t in the server's local time, as the
// leaderboard's periods are.
func monthOf(t types.DateTime) string {
	return t.Time().In(time.Local).Format("2006-01")
}
