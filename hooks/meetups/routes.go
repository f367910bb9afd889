package meetups

import (
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/access"
)

func bindRoutes(app core.App, cal calendar) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/meetups")
		g.GET("/calendar.ics", cal.handleFeed)
		g.GET("/{id}/calendar.ics", cal.handleEvent)
		g.GET("/{id}/counts", handleCounts).Bind(apis.RequireAuth())
		return se.Next()
	})
}

// handleEvent serves GET /api/meetups/{id}/calendar.ics: one meetup as an
// event, for anyone who may see it (drafts are nobody's business).
func (c calendar) handleEvent(e *core.RequestEvent) error {
	m, err := e.App.FindRecordById(Collection, e.Request.PathValue("id"))
	if err != nil || m.GetString("status") == StatusDraft {
		return e.NotFoundError("No such meetup.", nil)
	}
	ics, err := c.render(e.App, m.GetString("title"), []*core.Record{m}, time.Now(), false)
	if err != nil {
		return e.InternalServerError("", err)
	}
	e.Response.Header().Set("Content-Disposition", `attachment; filename="meetup-`+m.Id+`.ics"`)
	return e.Blob(http.StatusOK, "text/calendar; charset=utf-8", []byte(ics))
}

// handleFeed serves GET /api/meetups/calendar.ics[?tag=id]: the published
// meetups from 30 days ago on (and cancelled ones, so that subscribed
// calendars drop them), as a subscribable feed.
func (c calendar) handleFeed(e *core.RequestEvent) error {
	since, _ := types.ParseDateTime(time.Now().Add(-feedPast))
	q := e.App.RecordQuery(Collection).
		Where(dbx.In("status", StatusPublished, StatusFinished, StatusCancelled)).
		AndWhere(dbx.NewExp("starts_at >= {:since}", dbx.Params{"since": since.String()})).
		OrderBy("starts_at", "id").Limit(feedLimit)
	if tag := e.Request.URL.Query().Get("tag"); tag != "" {
		q = q.AndWhere(dbx.NewExp(`EXISTS (SELECT 1 FROM json_each(CASE WHEN json_valid(tags) THEN tags ELSE '[]' END) WHERE value = {:tag})`, dbx.Params{"tag": tag}))
	}
	var meetups []*core.Record
	if err := q.All(&meetups); err != nil {
		return e.InternalServerError("", err)
	}
	ics, err := c.render(e.App, "Митапы", meetups, time.Now(), true)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.Blob(http.StatusOK, "text/calendar; charset=utf-8", []byte(ics))
}

// Counts is the answer of GET /api/meetups/{id}/counts.
type Counts struct {
	Meetup     string `json:"meetup"`
	Capacity   int    `json:"capacity"`
	Registered int    `json:"registered"`
	Waitlisted int    `json:"waitlisted"`
	Cancelled  int    `json:"cancelled"`
	CheckedIn  int    `json:"checked_in"`
}

// handleCounts serves the organizer's counters of one meetup, for meetup
// staff (meetups.manage, checkin.scan or stats.view within the meetup's
// tags). Pages keep them live by refetching on realtime events of
// registrations and checkins.
func handleCounts(e *core.RequestEvent) error {
	m, err := e.App.FindRecordById(Collection, e.Request.PathValue("id"))
	if err != nil {
		return e.NotFoundError("No such meetup.", nil)
	}
	if !e.HasSuperuserAuth() {
		ok := false
		for _, perm := range []string{access.MeetupsManage, access.CheckinScan, access.StatsView} {
			if ok, err = access.Can(e.App, e.Auth.Id, perm, m.GetStringSlice("tags")); err != nil {
				return e.InternalServerError("", err)
			} else if ok {
				break
			}
		}
		if !ok {
			return e.ForbiddenError("Counters are for the meetup's staff.", nil)
		}
	}
	res := Counts{Meetup: m.Id, Capacity: m.GetInt("capacity")}
	var rows []struct {
		Status string `db:"status"`
		N      int    `db:"n"`
	}
	err = e.App.DB().Select("status", "count(*) AS n").From(RegistrationsCollection).
		Where(dbx.HashExp{"meetup": m.Id}).GroupBy("status").All(&rows)
	if err != nil {
		return e.InternalServerError("", err)
	}
	for _, r := range rows {
		switch r.Status {
		case Registered:
			res.Registered = r.N
		case Waitlisted:
			res.Waitlisted = r.N
		case Cancelled:
			res.Cancelled = r.N
		}
	}
	if err := e.App.DB().Select("count(*)").From("checkins").Where(dbx.HashExp{"meetup": m.Id}).Row(&res.CheckedIn); err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, res)
}
