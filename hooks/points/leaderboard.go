package points

import (
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"
)

// Periods the leaderboard ranks over.
const (
	PeriodAll      = "all"
	PeriodMonth    = "month"
	PeriodSemester = "semester"
)

// Board is the leaderboard's answer.
type Board struct {
	Period string `json:"period"`
	// From is where the period starts; empty for all time.
	From  string  `json:"from"`
	Tag   string  `json:"tag"`
	Total int     `json:"total"`
	Items []Place `json:"items"`
	// Me is the caller's own place; nil for a superuser.
	Me *Place `json:"me"`
}

// Place is one ranked user. Equal points share a rank (1, 2, 2, 4).
type Place struct {
	Rank   int    `json:"rank"`
	User   string `json:"user"`
	Name   string `json:"name"`
	Points int    `json:"points"`
	Level  int    `json:"level"`
}

func bindLeaderboard(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		se.Router.GET("/api/leaderboard", handleLeaderboard).Bind(apis.RequireAuth())
		return se.Next()
	})
}

func handleLeaderboard(e *core.RequestEvent) error {
	q := e.Request.URL.Query()
	opts := BoardOptions{Period: q.Get("period"), Tag: q.Get("tag"), Limit: 50, Now: time.Now()}
	errs := validation.Errors{}
	if opts.Period == "" {
		opts.Period = PeriodAll
	}
	if s := q.Get("limit"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > 200 {
			errs["limit"] = validation.NewError("validation_invalid_limit", "limit must be a whole number from 1 to 200.")
		}
		opts.Limit = n
	}
	if s := q.Get("offset"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			errs["offset"] = validation.NewError("validation_invalid_offset", "offset must be a whole number ≥ 0.")
		}
		opts.Offset = n
	}
	if len(errs) > 0 {
		return e.BadRequestError("Invalid leaderboard parameters.", errs)
	}
	if e.Auth != nil && !e.Auth.IsSuperuser() {
		opts.Me = e.Auth.Id
	}
	board, err := Leaderboard(e.App, opts)
	if verr, ok := err.(validation.Errors); ok {
		return e.BadRequestError("Invalid leaderboard parameters.", verr)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, board)
}

// BoardOptions select a leaderboard.
type BoardOptions struct {
	Period string
	// Tag is a tag id or name; empty for all points.
	Tag           string
	Limit, Offset int
	// Me is the user whose own place to report.
	Me  string
	Now time.Time
}

// PeriodStart returns where period starts at now (zero for all time).
// Semesters run from 1 September and from 1 February, in local time.
func PeriodStart(period string, now time.Time) (time.Time, error) {
	now = now.In(time.Local)
	switch period {
	case PeriodAll:
		return time.Time{}, nil
	case PeriodMonth:
		return time.Date(now.Year(), now.Month(), 1, 0, 0, 0, 0, time.Local), nil
	case PeriodSemester:
		switch {
		case now.Month() >= time.September:
			return time.Date(now.Year(), time.September, 1, 0, 0, 0, 0, time.Local), nil
		case now.Month() == time.January:
			return time.Date(now.Year()-1, time.September, 1, 0, 0, 0, 0, time.Local), nil
		default:
			return time.Date(now.Year(), time.February, 1, 0, 0, 0, 0, time.Local), nil
		}
	}
	return time.Time{}, validation.Errors{"period": validation.NewError("validation_invalid_period", "period must be all, month or semester.")}
}

// Leaderboard ranks users by points, all time from their balances, or for
// a period and/or tag from the ledger.
func Leaderboard(app core.App, o BoardOptions) (*Board, error) {
	from, err := PeriodStart(o.Period, o.Now)
	if err != nil {
		return nil, err
	}
	board := &Board{Period: o.Period, Items: []Place{}}
	if !from.IsZero() {
		dt, _ := types.ParseDateTime(from)
		board.From = dt.String()
	}
	if o.Tag != "" {
		tag, err := app.FindFirstRecordByFilter("tags", "id = {:t} || name = {:t}", dbx.Params{"t": o.Tag})
		if err != nil {
			return nil, validation.Errors{"tag": validation.NewError("validation_unknown_tag", "No such tag.")}
		}
		board.Tag = tag.Id
	}

	if board.From == "" && board.Tag == "" {
		err = allTime(app, board, o)
	} else {
		err = fromBuckets(app, board, o)
	}
	if err != nil {
		return nil, err
	}
	return board, fillNames(app, board)
}

// allTime ranks by stored balances, walking the (points, id) index for the
// page; ranks follow from one count (equal points share a rank).
func allTime(app core.App, board *Board, o BoardOptions) error {
	var rows []struct {
		User   string `db:"id"`
		Points int    `db:"points"`
	}
	err := app.DB().NewQuery(`SELECT id, points FROM users WHERE points > 0
		ORDER BY points DESC, id DESC LIMIT {:limit} OFFSET {:offset}`).
		Bind(dbx.Params{"limit": o.Limit, "offset": o.Offset}).All(&rows)
	if err != nil {
		return fmt.Errorf("leaderboard: %w", err)
	}
	if err := app.DB().NewQuery("SELECT count(*) FROM users WHERE points > 0").Row(&board.Total); err != nil {
		return fmt.Errorf("leaderboard total: %w", err)
	}
	above := func(pts int) (int, error) {
		var n int
		err := app.DB().NewQuery("SELECT count(*) FROM users WHERE points > {:p}").Bind(dbx.Params{"p": pts}).Row(&n)
		return n, err
	}
	for i, r := range rows {
		p := Place{User: r.User, Points: r.Points, Rank: o.Offset + i + 1}
		switch {
		case i == 0:
			n, err := above(r.Points)
			if err != nil {
				return fmt.Errorf("leaderboard rank: %w", err)
			}
			p.Rank = n + 1
		case r.Points == rows[i-1].Points:
			p.Rank = board.Items[i-1].Rank
		}
		board.Items = append(board.Items, p)
	}
	if o.Me != "" {
		var mine int
		if err := app.DB().Select("points").From("users").Where(dbx.HashExp{"id": o.Me}).Row(&mine); err != nil {
			return fmt.Errorf("leaderboard place of %s: %w", o.Me, err)
		}
		mine = max(mine, 0)
		n, err := above(mine)
		if err != nil {
			return fmt.Errorf("leaderboard place of %s: %w", o.Me, err)
		}
		board.Me = &Place{User: o.Me, Points: mine, Rank: n + 1}
	}
	return nil
}

// fromBuckets ranks by the sums of a period and/or tag, kept per month and
// tag by the ledger hook, ranked in Go.
func fromBuckets(app core.App, board *Board, o BoardOptions) error {
	var bucket string
	switch o.Period {
	case PeriodMonth:
		bucket = monthBucket(o.Now)
	case PeriodSemester:
		bucket = semesterBucket(o.Now)
	default:
		bucket = allTimeBucket
	}
	var scores []score
	// one row per user and bucket (the table's primary key)
	err := app.DB().Select("user", "amount AS pts").From("leaderboard_buckets").
		Where(dbx.HashExp{"bucket": bucket, "tag": board.Tag}).
		AndWhere(dbx.NewExp("amount > 0")).All(&scores)
	if err != nil {
		return fmt.Errorf("leaderboard: %w", err)
	}
	slices.SortFunc(scores, func(a, b score) int {
		if a.Points != b.Points {
			return b.Points - a.Points
		}
		return strings.Compare(b.User, a.User)
	})
	board.Total = len(scores)
	rank := 0
	for i, s := range scores {
		if i == 0 || s.Points != scores[i-1].Points {
			rank = i + 1
		}
		if i >= o.Offset && i < o.Offset+o.Limit {
			board.Items = append(board.Items, Place{User: s.User, Points: s.Points, Rank: rank})
		}
		if s.User == o.Me {
			board.Me = &Place{User: s.User, Points: s.Points, Rank: rank}
		}
	}
	if o.Me != "" && board.Me == nil {
		// no points in this board: placed after everyone who has some
		board.Me = &Place{User: o.Me, Rank: len(scores) + 1}
	}
	return nil
}

type score struct {
	User   string `db:"user"`
	Points int    `db:"pts"`
}

// fillNames adds names and levels to the places of a board.
func fillNames(app core.App, board *Board) error {
	places := make([]*Place, 0, len(board.Items)+1)
	for i := range board.Items {
		places = append(places, &board.Items[i])
	}
	if board.Me != nil {
		places = append(places, board.Me)
	}
	if len(places) == 0 {
		return nil
	}
	ids := make([]any, len(places))
	for i, p := range places {
		ids[i] = p.User
	}
	var users []struct {
		ID        string `db:"id"`
		FirstName string `db:"first_name"`
		LastName  string `db:"last_name"`
		Level     int    `db:"level"`
	}
	if err := app.DB().Select("id", "first_name", "last_name", "level").From("users").Where(dbx.In("id", ids...)).All(&users); err != nil {
		return fmt.Errorf("leaderboard names: %w", err)
	}
	byID := make(map[string]int, len(users))
	for i, u := range users {
		byID[u.ID] = i
	}
	for _, p := range places {
		if i, ok := byID[p.User]; ok {
			p.Name = strings.TrimSpace(users[i].FirstName + " " + users[i].LastName)
			p.Level = users[i].Level
		}
	}
	return nil
}
