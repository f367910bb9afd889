package bot

import (
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/points"
)

// The profile screen: the student's own profile (name, group, points,
// level and the way to the next one, rank, achievements, verification),
// the leaderboard, and from it another student's public profile. The
// ranking is the leaderboard of hooks/points, the same the API and the
// Mini App show; another student is read through the public_profiles view,
// so nothing private of theirs can reach the screen.

// boardSize is how many places the leaderboard screen shows.
const boardSize = 10

// achievementsShown caps the titles listed on a profile.
const achievementsShown = 15

func profileScreen(r *Router) {
	r.Callback(CBProfile, profileCallback)
}

func profileCallback(c *Context) error {
	action, id, ok := parseAction(c.Data)
	if !ok {
		c.Answer(c.T("unknown.button", nil))
		return showOwnProfile(c)
	}
	switch {
	case action == "" || action == "me":
		c.Answer("")
		return showOwnProfile(c)
	case action == "top":
		c.Answer("")
		return showLeaderboard(c)
	case action == "u" && id != "":
		if id == c.User.Id {
			c.Answer("")
			return showOwnProfile(c)
		}
		return showPublicProfile(c, id)
	}
	c.Answer(c.T("unknown.button", nil))
	return showOwnProfile(c)
}

func showOwnProfile(c *Context) error {
	u := c.User
	pts := u.GetInt("points")
	lv, err := levelProgress(c, pts, u.GetInt("level"))
	if err != nil {
		return err
	}
	rank, total, err := rankOf(c.App, u.Id, pts)
	if err != nil {
		return err
	}
	ach, err := achievementList(c, u.Id)
	if err != nil {
		return err
	}
	status := u.GetString("verification_status")
	if status == "" {
		status = "none"
	}
	text := c.T("profile.own", map[string]any{
		"name":         fullName(u.GetString("first_name"), u.GetString("last_name")),
		"group":        u.GetString("study_group"),
		"points":       pts,
		"level":        lv,
		"rank":         rank,
		"total":        total,
		"achievements": ach,
		"verification": c.T("verify.status."+status, nil),
	})
	c.Edit(clipText(text), &Keyboard{Inline: [][]Button{
		{keyButton(c, "profile.btn.top", CBProfile+":top"), keyButton(c, "profile.btn.verify", CBVerification)},
		{keyButton(c, "profile.btn.menu", CBMenu)},
	}})
	return nil
}

// showPublicProfile shows what any signed-in student may see of another:
// the public_profiles view, their rank and their achievements.
func showPublicProfile(c *Context, id string) error {
	p, err := c.App.FindRecordById("public_profiles", id)
	if errors.Is(err, sql.ErrNoRows) {
		c.Answer(c.T("profile.gone", nil))
		return showLeaderboard(c)
	}
	if err != nil {
		return fmt.Errorf("public profile %s: %w", id, err)
	}
	c.Answer("")
	pts := p.GetInt("points")
	lv, err := levelProgress(c, pts, p.GetInt("level"))
	if err != nil {
		return err
	}
	rank, total, err := rankOf(c.App, id, pts)
	if err != nil {
		return err
	}
	ach, err := achievementList(c, id)
	if err != nil {
		return err
	}
	text := c.T("profile.public", map[string]any{
		"name":         fullName(p.GetString("first_name"), p.GetString("last_name")),
		"verified":     p.GetBool("verified"),
		"points":       pts,
		"level":        lv,
		"rank":         rank,
		"total":        total,
		"achievements": ach,
	})
	c.Edit(clipText(text), &Keyboard{Inline: [][]Button{
		{keyButton(c, "profile.btn.back_top", CBProfile+":top"), keyButton(c, "profile.btn.me", CBProfile+":me")},
		{keyButton(c, "profile.btn.menu", CBMenu)},
	}})
	return nil
}

func showLeaderboard(c *Context) error {
	board, err := points.Leaderboard(c.App, points.BoardOptions{
		Period: points.PeriodAll, Limit: boardSize, Me: c.User.Id, Now: time.Now(),
	})
	if err != nil {
		return fmt.Errorf("leaderboard: %w", err)
	}
	var lines []string
	var buttons [][]Button
	for _, p := range board.Items {
		name := p.Name
		if name == "" {
			name = "—"
		}
		lines = append(lines, c.T("profile.top_item", map[string]any{
			"rank": p.Rank, "name": name, "points": p.Points, "level": p.Level, "me": p.User == c.User.Id,
		}))
		b := Button{Text: fmt.Sprintf("%d. %s", p.Rank, clip(name, 40)), Data: CBProfile + ":u:" + p.User}
		if n := len(buttons); n > 0 && len(buttons[n-1]) < 2 {
			buttons[n-1] = append(buttons[n-1], b)
		} else {
			buttons = append(buttons, []Button{b})
		}
	}
	data := map[string]any{"list": strings.Join(lines, "\n"), "total": board.Total, "shown": len(board.Items)}
	if board.Me != nil && board.Me.Points > 0 {
		data["my_rank"], data["my_points"] = board.Me.Rank, board.Me.Points
	}
	key := "profile.top"
	if len(board.Items) == 0 {
		key = "profile.top_empty"
	}
	buttons = append(buttons, []Button{keyButton(c, "profile.btn.me", CBProfile+":me"), keyButton(c, "profile.btn.menu", CBMenu)})
	c.Edit(clipText(c.T(key, data)), &Keyboard{Inline: buttons})
	return nil
}

// levelProgress renders a level line: the level, its title, and the way to
// the next one (a bar, the share done, the points left).
func levelProgress(c *Context, pts, number int) (string, error) {
	levels, err := c.App.FindRecordsByFilter("levels", "", "min_points", 0, 0)
	if err != nil {
		return "", fmt.Errorf("levels: %w", err)
	}
	var cur, next *core.Record
	for _, l := range levels {
		if l.GetInt("number") == number {
			cur = l
		}
	}
	if cur == nil { // not levelled yet (no level table when they got points)
		for _, l := range levels {
			if l.GetInt("min_points") <= pts {
				cur = l
			}
		}
	}
	floor := 0
	if cur != nil {
		floor = cur.GetInt("min_points")
	}
	for _, l := range levels { // ordered by min_points: the first above is the next
		if l.GetInt("min_points") > floor {
			next = l
			break
		}
	}
	data := map[string]any{"level": number}
	if cur != nil {
		data["level"], data["title"] = cur.GetInt("number"), cur.GetString("title")
	}
	if next != nil {
		span := next.GetInt("min_points") - floor
		done := min(max(pts-floor, 0), span)
		pct := 0
		if span > 0 {
			pct = done * 100 / span
		}
		data["next"], data["next_title"] = next.GetInt("number"), next.GetString("title")
		data["left"] = max(next.GetInt("min_points")-pts, 0)
		data["pct"] = pct
		data["bar"] = strings.Repeat("▰", pct/10) + strings.Repeat("▱", 10-pct/10)
	}
	return c.T("profile.level", data), nil
}

// rankOf is a student's place in the all-time leaderboard and the number
// of places; rank is 0 for a student without points (not on the board).
func rankOf(app core.App, user string, pts int) (rank, total int, err error) {
	if pts <= 0 {
		return 0, 0, nil
	}
	board, err := points.Leaderboard(app, points.BoardOptions{Period: points.PeriodAll, Limit: 1, Me: user, Now: time.Now()})
	if err != nil {
		return 0, 0, fmt.Errorf("rank of %s: %w", user, err)
	}
	return board.Me.Rank, board.Total, nil
}

// achievementList renders the titles of a student's achievements.
func achievementList(c *Context, user string) (string, error) {
	awards, err := c.App.FindRecordsByFilter("awards", "user = {:u}", "created", 0, 0, dbx.Params{"u": user})
	if err != nil {
		return "", fmt.Errorf("awards of %s: %w", user, err)
	}
	if len(awards) == 0 {
		return "", nil
	}
	if errs := c.App.ExpandRecords(awards, []string{"achievement"}, nil); len(errs) > 0 {
		for _, err := range errs {
			return "", fmt.Errorf("achievements of %s: %w", user, err)
		}
	}
	var titles []string
	for _, a := range awards {
		if ach := a.ExpandedOne("achievement"); ach != nil {
			titles = append(titles, "• "+ach.GetString("title"))
		}
	}
	more := len(titles) - achievementsShown
	if more > 0 {
		titles = append(titles[:achievementsShown], c.T("profile.more", map[string]any{"n": more}))
	}
	return strings.Join(titles, "\n"), nil
}

func fullName(first, last string) string { return strings.TrimSpace(first + " " + last) }
