package points

import (
	"fmt"
	"net/http"
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
	params := dbx.Params{"limit": o.Limit, "offset": o.Offset, "me": o.Me}
	if !from.IsZero() {
		dt, _ := types.ParseDateTime(from)
		board.From = dt.String()
		params["from"] = board.From
	}
	if o.Tag != "" {
		tag, err := app.FindFirstRecordByFilter("tags", "id = {:t} || name = {:t}", dbx.Params{"t": o.Tag})
		if err != nil {
			return nil, validation.Errors{"tag": validation.NewError("validation_unknown_tag", "No such tag.")}
		}
		board.Tag = tag.Id
		params["tag"] = tag.Id
	}

	// scores: one row (user, pts) per ranked user
	scores := "SELECT id AS user, points AS pts FROM users WHERE points > 0"
	if board.From != "" || board.Tag != "" {
		var where []string
		if board.From != "" {
			where = append(where, "created >= {:from}")
		}
		if board.Tag != "" {
			where = append(where, "EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(points.tags) THEN points.tags ELSE '[]' END) WHERE value = {:tag})")
		}
		scores = "SELECT user, SUM(amount) AS pts FROM points WHERE " + strings.Join(where, " AND ") +
			" GROUP BY user HAVING SUM(amount) > 0"
	}

	var rows []struct {
		Rank      int    `db:"rank"`
		User      string `db:"user"`
		FirstName string `db:"first_name"`
		LastName  string `db:"last_name"`
		Points    int    `db:"pts"`
		Level     int    `db:"level"`
	}
	err = app.DB().NewQuery(`WITH s AS (` + scores + `)
		SELECT RANK() OVER (ORDER BY s.pts DESC) AS rank, s.user, u.first_name, u.last_name, s.pts, u.level
		FROM s JOIN users u ON u.id = s.user
		ORDER BY s.pts DESC, u.last_name, u.first_name, u.id
		LIMIT {:limit} OFFSET {:offset}`).Bind(params).All(&rows)
	if err != nil {
		return nil, fmt.Errorf("leaderboard: %w", err)
	}
	for _, r := range rows {
		board.Items = append(board.Items, Place{Rank: r.Rank, User: r.User, Name: strings.TrimSpace(r.FirstName + " " + r.LastName), Points: r.Points, Level: r.Level})
	}
	if err := app.DB().NewQuery("WITH s AS (" + scores + ") SELECT count(*) FROM s").Bind(params).Row(&board.Total); err != nil {
		return nil, fmt.Errorf("leaderboard total: %w", err)
	}

	if o.Me != "" {
		me := Place{User: o.Me}
		var first, last string
		err := app.DB().NewQuery(`WITH s AS (`+scores+`)
			SELECT u.first_name, u.last_name, u.level, COALESCE((SELECT pts FROM s WHERE s.user = u.id), 0)
			FROM users u WHERE u.id = {:me}`).Bind(params).Row(&first, &last, &me.Level, &me.Points)
		if err != nil {
			return nil, fmt.Errorf("leaderboard place of %s: %w", o.Me, err)
		}
		me.Name = strings.TrimSpace(first + " " + last)
		params["mine"] = me.Points
		if err := app.DB().NewQuery("WITH s AS (" + scores + ") SELECT 1 + count(*) FROM s WHERE pts > {:mine}").Bind(params).Row(&me.Rank); err != nil {
			return nil, fmt.Errorf("leaderboard rank of %s: %w", o.Me, err)
		}
		board.Me = &me
	}
	return board, nil
}
