package stats_test

import (
	"net/http"
	"strconv"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks/access"
	"questbase/hooks/testapp"
)

// Fixed ids of the records the access scenarios add to the fixture world:
// a meetup and a course tagged Web (the scoped role's tag).
const (
	webMeetupID = "statswebmeetup1"
	webCourseID = "statswebcourse1"
)

func withWebRecords(t testing.TB, app *tests.TestApp, _ *core.ServeEvent) {
	w := testapp.Fixtures(t)
	m := testapp.Save(t, app, "meetups", map[string]any{"id": webMeetupID, "title": "Web night", "starts_at": "2030-05-05 18:00:00.000Z", "tags": []string{w.TagWeb}, "status": "published"})
	testapp.Save(t, app, "registrations", map[string]any{"meetup": m.Id, "user": w.Student2})
	testapp.Save(t, app, "courses", map[string]any{"id": webCourseID, "title": "Web course", "tags": []string{w.TagWeb}, "status": "published"})
}

// Who may read which statistics.
func TestStatsAccess(t *testing.T) {
	t.Parallel()
	w := testapp.Fixtures(t)
	factory := testapp.Factory(testapp.Options{})
	stats, scoped := w.Staff[access.StatsView], w.Scoped[access.StatsView]
	nothing := map[string]int{"*": 0} // reading changes nothing

	type who struct {
		name   string
		id     string
		status int
		has    []string // in the body
		hasNot []string
	}
	routes := []struct {
		url   string
		cells []who
	}{
		{"/api/stats/meetups", []who{
			{"guest", "", 401, nil, nil},
			{"student", w.Student, 403, []string{"stats.view"}, nil},
			{"meetup manager", w.Staff[access.MeetupsManage], 403, nil, nil},
			{"course host", w.Host, 403, nil, nil},
			{"stats.view", stats, 200, []string{`"title":"ML meetup"`, `"title":"Web night"`}, nil},
			{"stats.view scoped to web", scoped, 200, []string{`"title":"Web night"`}, []string{`"title":"ML meetup"`}},
			{"superuser", w.Superuser, 200, []string{`"title":"ML meetup"`, `"title":"Web night"`, `"popularity":[`, `"months":[`}, nil},
		}},
		{"/api/stats/meetups/" + w.Meetup + "/funnel", []who{
			{"guest", "", 401, nil, nil},
			{"student", w.Student, 403, nil, nil},
			{"stats.view", stats, 200, []string{`"registered":1`, `"checked_in":1`, `"quiz_takers":1`, `"points":10`}, nil},
			{"stats.view scoped to web", scoped, 403, []string{"outside the tags"}, nil},
			{"superuser", w.Superuser, 200, []string{`"id":"` + w.Meetup + `"`}, nil},
		}},
		{"/api/stats/meetups/" + webMeetupID + "/funnel", []who{
			{"stats.view scoped to web", scoped, 200, []string{`"title":"Web night"`, `"registered":1`}, nil},
		}},
		{"/api/stats/meetups/nosuchmeetup123/funnel", []who{
			{"student", w.Student, 403, nil, nil},
			{"stats.view", stats, 404, nil, nil},
			{"superuser", w.Superuser, 404, nil, nil},
		}},
		{"/api/stats/courses", []who{
			{"guest", "", 401, nil, nil},
			{"student", w.Student, 403, nil, nil},
			{"course manager", w.Staff[access.CoursesManage], 403, nil, nil},
			{"stats.view", stats, 200, []string{`"title":"Go course"`, `"title":"Web course"`}, nil},
			{"stats.view scoped to web", scoped, 200, []string{`"title":"Web course"`}, []string{`"title":"Go course"`}},
			{"course host", w.Host, 200, []string{`"title":"Go course"`}, []string{`"title":"Web course"`}},
			{"superuser", w.Superuser, 200, []string{`"title":"Go course"`, `"title":"Web course"`}, nil},
		}},
		{"/api/stats/courses/" + w.Course, []who{
			{"guest", "", 401, nil, nil},
			{"student", w.Student, 403, nil, nil},
			{"stats.view", stats, 200, []string{`"title":"Go course"`, `"participants":1`, `"sessions":[{`}, nil},
			{"stats.view scoped to web", scoped, 403, nil, nil},
			{"its host", w.Host, 200, []string{`"title":"Go course"`}, nil},
			{"superuser", w.Superuser, 200, []string{`"title":"Go course"`}, nil},
		}},
		{"/api/stats/courses/" + webCourseID, []who{
			{"stats.view scoped to web", scoped, 200, []string{`"title":"Web course"`}, nil},
			{"another course's host", w.Host, 403, nil, nil},
		}},
		{"/api/stats/courses/nosuchcourse123", []who{
			{"stats.view", stats, 404, nil, nil},
			{"course host", w.Host, 404, nil, nil},
		}},
		{"/api/stats/claims", []who{
			{"guest", "", 401, nil, nil},
			{"student", w.Student, 403, nil, nil},
			{"claims reviewer", w.Staff[access.ClaimsReview], 403, nil, nil},
			{"course host", w.Host, 403, nil, nil},
			{"stats.view", stats, 200, []string{`"total":1`, `"pending":1`}, nil},
			// claims carry no scope: a scoped role grants nothing on them
			{"stats.view scoped to web", scoped, 403, []string{"without scope tags"}, nil},
			{"superuser", w.Superuser, 200, []string{`"total":1`}, nil},
		}},
	}

	var scenarios []tests.ApiScenario
	for _, r := range routes {
		for _, c := range r.cells {
			has := c.has
			if len(has) == 0 {
				has = []string{`"status":` + strconv.Itoa(c.status)}
			}
			scenarios = append(scenarios, tests.ApiScenario{
				Name:   c.name + " GET " + r.url,
				Method: http.MethodGet, URL: r.url, Headers: w.Auth(c.id),
				ExpectedStatus: c.status, ExpectedContent: has, NotExpectedContent: c.hasNot,
				ExpectedEvents: nothing, TestAppFactory: factory, BeforeTestFunc: withWebRecords,
			})
		}
	}
	for _, s := range scenarios {
		s.Test(t)
	}
}
