// Package stats owns the statistics API the admin pages chart: meetups
// (per meetup, per month, popularity, a meetup's funnel), courses
// (enrollment, attendance per session, completions) and claims (by status,
// month and reviewer), computed from SQLite on each request with grouped
// queries over indexes. It only reads.
//
// Who sees what: superusers everything; holders of stats.view what their
// grant covers (unscoped: everything; scoped: the meetups and courses
// carrying one of its tags, and no claims); course hosts their own
// courses.
package stats

import (
	"database/sql"
	"errors"
	"maps"
	"net/http"
	"time"

	"github.com/pocketbase/dbx"
	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/apis"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/access"
)

// Register binds the statistics routes under /api/stats.
func Register(app core.App) {
	app.OnServe().BindFunc(func(se *core.ServeEvent) error {
		g := se.Router.Group("/api/stats")
		g.Bind(apis.RequireAuth())
		g.GET("/meetups", handleMeetups)
		g.GET("/meetups/{id}/funnel", handleFunnel)
		g.GET("/courses", handleCourses)
		g.GET("/courses/{id}", handleCourse)
		g.GET("/claims", handleClaims)
		return se.Next()
	})
}

const (
	msgNoStats     = "Statistics need the stats.view permission."
	msgBadFilter   = "Invalid statistics filter."
	msgClaimsScope = "Claim statistics need stats.view without scope tags."
)

// filterOf parses and resolves a request's filter; a bad value is a 400
// naming its parameter.
func filterOf(e *core.RequestEvent) (*Filter, error) {
	f, errs := ParseFilter(e.Request.URL.Query(), time.Local)
	if errs["tags"] == nil {
		err := f.Resolve(e.App)
		var verrs validation.Errors
		switch {
		case errors.As(err, &verrs):
			if errs == nil {
				errs = validation.Errors{}
			}
			maps.Copy(errs, verrs)
		case err != nil:
			return nil, e.InternalServerError("", err)
		}
	}
	if len(errs) > 0 {
		return nil, e.BadRequestError(msgBadFilter, errs)
	}
	return &f, nil
}

func handleMeetups(e *core.RequestEvent) error {
	v, err := newViewer(e)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if !v.holdsStats() {
		return e.ForbiddenError(msgNoStats, nil)
	}
	f, err := filterOf(e)
	if err != nil {
		return err
	}
	r, err := Meetups(e.App, f, v.sees)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, r)
}

func handleFunnel(e *core.RequestEvent) error {
	v, err := newViewer(e)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if !v.holdsStats() {
		return e.ForbiddenError(msgNoStats, nil)
	}
	fn, err := MeetupFunnel(e.App, e.Request.PathValue("id"))
	if errors.Is(err, sql.ErrNoRows) {
		return e.NotFoundError("No such meetup.", nil)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	if !v.super {
		ok, err := access.Can(e.App, v.user, access.StatsView, fn.Tags)
		if err != nil {
			return e.InternalServerError("", err)
		}
		if !ok {
			return e.ForbiddenError("This meetup is outside the tags of your stats.view role.", nil)
		}
	}
	return e.JSON(http.StatusOK, fn)
}

func handleCourses(e *core.RequestEvent) error {
	v, err := newViewer(e)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if err := mayViewCourses(e, v); err != nil {
		return err
	}
	f, err := filterOf(e)
	if err != nil {
		return err
	}
	r, err := Courses(e.App, f, func(c *CourseStats) bool { return v.sees(c.Tags) || v.hosts(c.Hosts) }, time.Now())
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, r)
}

func handleCourse(e *core.RequestEvent) error {
	v, err := newViewer(e)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if err := mayViewCourses(e, v); err != nil {
		return err
	}
	c, err := Course(e.App, e.Request.PathValue("id"), time.Now())
	if errors.Is(err, sql.ErrNoRows) {
		return e.NotFoundError("No such course.", nil)
	}
	if err != nil {
		return e.InternalServerError("", err)
	}
	if !v.super && !v.hosts(c.Hosts) {
		ok, err := access.Can(e.App, v.user, access.StatsView, c.Tags)
		if err != nil {
			return e.InternalServerError("", err)
		}
		if !ok {
			return e.ForbiddenError("Only the course's hosts and stats.view within its tags see its statistics.", nil)
		}
	}
	return e.JSON(http.StatusOK, c)
}

func handleClaims(e *core.RequestEvent) error {
	v, err := newViewer(e)
	if err != nil {
		return e.InternalServerError("", err)
	}
	// Claims are not meetups or courses: a scoped role grants nothing on
	// them, as in the API rules.
	if !v.super && !v.grant.Global {
		msg := msgNoStats
		if v.holdsStats() {
			msg = msgClaimsScope
		}
		return e.ForbiddenError(msg, nil)
	}
	f, err := filterOf(e)
	if err != nil {
		return err
	}
	r, err := Claims(e.App, f)
	if err != nil {
		return e.InternalServerError("", err)
	}
	return e.JSON(http.StatusOK, r)
}

// mayViewCourses lets in holders of stats.view and the hosts of any course
// (who see their own courses' statistics).
func mayViewCourses(e *core.RequestEvent, v *viewer) error {
	if v.holdsStats() {
		return nil
	}
	hosting, err := hostsAny(e.App, v.user)
	if err != nil {
		return e.InternalServerError("", err)
	}
	if !hosting {
		return e.ForbiddenError(msgNoStats, nil)
	}
	return nil
}

// hostsAny reports whether user hosts at least one course.
func hostsAny(app core.App, user string) (bool, error) {
	var n int
	err := app.DB().NewQuery(`SELECT count(*) FROM courses WHERE EXISTS (
			SELECT 1 FROM json_each(CASE WHEN json_valid(hosts) THEN hosts ELSE '[]' END) WHERE value = {:u})`).
		Bind(dbx.Params{"u": user}).Row(&n)
	return n > 0, err
}
