package bot

import (
	"database/sql"
	"errors"
	"fmt"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
)

// The polls screen: a vote in a broadcast poll is recorded per user in
// poll_votes (one row per broadcast and user; a changed or retracted vote
// replaces it). Votes in polls the bot does not know change nothing.

func pollsScreen(r *Router) {
	r.PollAnswer = pollAnswer
}

func pollAnswer(c *Context) error {
	a := c.Update.PollAnswer
	if a.PollID == "" {
		return nil
	}
	var sent struct {
		Broadcast string `db:"broadcast"`
	}
	err := c.App.DB().NewQuery(`SELECT broadcast FROM outbox
		WHERE telegram_poll_id = {:poll} AND user = {:user} AND broadcast != '' LIMIT 1`).
		Bind(dbx.Params{"poll": a.PollID, "user": c.User.Id}).One(&sent)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("find poll %s: %w", a.PollID, err)
	}
	options := []int{}
	for _, o := range a.OptionIDs {
		if o >= 0 && o < 10 { // Telegram polls have at most 10 options
			options = append(options, o)
		}
	}
	vote, err := c.App.FindFirstRecordByFilter("poll_votes", "broadcast = {:b} && user = {:u}",
		dbx.Params{"b": sent.Broadcast, "u": c.User.Id})
	if errors.Is(err, sql.ErrNoRows) {
		col, err := c.App.FindCachedCollectionByNameOrId("poll_votes")
		if err != nil {
			return err
		}
		vote = core.NewRecord(col)
		vote.Set("broadcast", sent.Broadcast)
		vote.Set("user", c.User.Id)
	} else if err != nil {
		return fmt.Errorf("find vote: %w", err)
	}
	vote.Set("poll_id", a.PollID)
	vote.Set("options", options)
	return c.Save(vote)
}
