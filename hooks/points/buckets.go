package points

import (
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Leaderboards for a month, a semester or a tag read per-bucket sums
// instead of the whole ledger: the ledger hook adds every row to its
// month's and semester's buckets (and, per tag, to the month's,
// semester's and all-time "*" tag buckets) in the award's transaction,
// with one statement.

const allTimeBucket = "*"

// monthBucket names the local-time month a moment falls in; periods start
// at local month starts too (PeriodStart).
func monthBucket(t time.Time) string { return t.In(time.Local).Format("2006-01") }

type bucketRow struct {
	bucket, tag string
}

// semesterBucket names the semester a moment falls in by its first month
// ("S2026-09").
func semesterBucket(t time.Time) string {
	start, _ := PeriodStart(PeriodSemester, t)
	return "S" + monthBucket(start)
}

func bucketsOf(created time.Time, tags []string) []bucketRow {
	month, semester := monthBucket(created), semesterBucket(created)
	rows := []bucketRow{{month, ""}, {semester, ""}}
	for _, t := range tags {
		rows = append(rows, bucketRow{month, t}, bucketRow{semester, t}, bucketRow{allTimeBucket, t})
	}
	return rows
}

// addToBuckets adds a ledger row's amount to its buckets.
func addToBuckets(tx core.App, row *core.Record) error {
	created := row.GetDateTime("created").Time()
	if created.IsZero() {
		created = time.Now()
	}
	rows := bucketsOf(created, row.GetStringSlice("tags"))
	values := make([]string, len(rows))
	params := dbx.Params{"user": row.GetString("user"), "amount": row.GetInt("amount")}
	for i, r := range rows {
		values[i] = fmt.Sprintf("({:b%d}, {:t%d}, {:user}, {:amount})", i, i)
		params[fmt.Sprint("b", i)] = r.bucket
		params[fmt.Sprint("t", i)] = r.tag
	}
	_, err := tx.DB().NewQuery(`INSERT INTO leaderboard_buckets (bucket, tag, user, amount) VALUES ` +
		strings.Join(values, ", ") + ` ON CONFLICT (bucket, tag, user) DO UPDATE SET amount = amount + excluded.amount`).
		Bind(params).Execute()
	if err != nil {
		return fmt.Errorf("leaderboard buckets of %s: %w", row.Id, err)
	}
	return nil
}

// bucketSums recomputes every bucket from the ledger.
func bucketSums(app core.App) (map[[3]string]int, error) {
	var rows []struct {
		User    string `db:"user"`
		Amount  int    `db:"amount"`
		Tags    string `db:"tags"`
		Created string `db:"created"`
	}
	if err := app.DB().NewQuery("SELECT user, amount, tags, created FROM points").All(&rows); err != nil {
		return nil, fmt.Errorf("read ledger: %w", err)
	}
	sums := map[[3]string]int{}
	for _, r := range rows {
		created, err := types.ParseDateTime(r.Created)
		if err != nil {
			return nil, fmt.Errorf("ledger date %q: %w", r.Created, err)
		}
		var tags types.JSONArray[string]
		_ = tags.Scan(r.Tags)
		for _, b := range bucketsOf(created.Time(), tags) {
			sums[[3]string{b.bucket, b.tag, r.User}] += r.Amount
		}
	}
	return sums, nil
}

// staleBuckets counts bucket rows that disagree with the ledger; with fix
// it rebuilds the table from the ledger.
func staleBuckets(tx core.App, fix bool) (int, error) {
	want, err := bucketSums(tx)
	if err != nil {
		return 0, err
	}
	var have []struct {
		Bucket string `db:"bucket"`
		Tag    string `db:"tag"`
		User   string `db:"user"`
		Amount int    `db:"amount"`
	}
	if err := tx.DB().NewQuery("SELECT bucket, tag, user, amount FROM leaderboard_buckets").All(&have); err != nil {
		return 0, fmt.Errorf("read leaderboard buckets: %w", err)
	}
	stale := 0
	seen := map[[3]string]bool{}
	for _, h := range have {
		k := [3]string{h.Bucket, h.Tag, h.User}
		seen[k] = true
		if want[k] != h.Amount {
			stale++
		}
	}
	for k, v := range want {
		if !seen[k] && v != 0 {
			stale++
		}
	}
	if !fix || stale == 0 {
		return stale, nil
	}
	if _, err := tx.DB().NewQuery("DELETE FROM leaderboard_buckets").Execute(); err != nil {
		return 0, fmt.Errorf("clear leaderboard buckets: %w", err)
	}
	for k, v := range want {
		_, err := tx.DB().Insert("leaderboard_buckets", dbx.Params{"bucket": k[0], "tag": k[1], "user": k[2], "amount": v}).Execute()
		if err != nil {
			return 0, fmt.Errorf("rebuild leaderboard buckets: %w", err)
		}
	}
	return stale, nil
}
