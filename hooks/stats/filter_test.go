package stats_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/tests"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/access"
	"questbase/hooks/stats"
	"questbase/hooks/testapp"
)

// Every bad filter value on every filtered route is a 400 whose data names
// the parameter, and changes nothing.
func TestBadFilters(t *testing.T) {
	t.Parallel()
	w := testapp.Fixtures(t)
	factory := testapp.Factory(testapp.Options{})
	bad := []struct {
		name, query, param, code string
	}{
		{"from not a date", "from=yesterday", "from", "validation_invalid_date"},
		{"from without day", "from=2026-01", "from", "validation_invalid_date"},
		{"from a day that does not exist", "from=2026-02-30", "from", "validation_invalid_date"},
		{"from in PocketBase's own format", "from=2026-01-05+10:00:00", "from", "validation_invalid_date"},
		{"from RFC 3339 without zone", "from=2026-01-05T10:00:00", "from", "validation_invalid_date"},
		{"from twice", "from=2026-01-01&from=2026-02-01", "from", "validation_repeated"},
		{"to not a date", "to=soon", "to", "validation_invalid_date"},
		{"to past year 9999 in UTC", "to=9999-12-31T23:00:00-05:00", "to", "validation_date_range"},
		{"to a five-digit year", "to=10000-01-01", "to", "validation_invalid_date"},
		{"to before from", "from=2026-03-01&to=2026-02-28", "to", "validation_range"},
		{"to an instant before from", "from=2026-03-01T12:00:00Z&to=2026-03-01T11:59:59Z", "to", "validation_range"},
		{"tags unknown", "tags=ml,quantum", "tags", "validation_unknown_tag"},
		{"tags with an empty entry", "tags=ml,,web", "tags", "validation_empty_tag"},
		{"tags only a comma", "tags=,", "tags", "validation_empty_tag"},
		{"tags too long", "tags=" + strings.Repeat("x", 101), "tags", "validation_invalid_tag"},
		{"tags too many", "tags=" + strings.Repeat("ml,", 50) + "ml", "tags", "validation_too_many_tags"},
	}
	var scenarios []tests.ApiScenario
	for _, route := range []string{"/api/stats/meetups", "/api/stats/courses", "/api/stats/claims"} {
		for _, b := range bad {
			scenarios = append(scenarios, tests.ApiScenario{
				Name:   b.name + " on " + route,
				Method: http.MethodGet, URL: route + "?" + b.query, Headers: w.Auth(w.Staff[access.StatsView]),
				ExpectedStatus:  400,
				ExpectedContent: []string{`"status":400`, `"data":{"` + b.param + `":{"code":"` + b.code + `"`},
				ExpectedEvents:  map[string]int{"*": 0},
				TestAppFactory:  factory,
			})
		}
	}
	// several bad values: each is named
	scenarios = append(scenarios, tests.ApiScenario{
		Name:   "all three bad",
		Method: http.MethodGet, URL: "/api/stats/meetups?from=x&to=y&tags=,", Headers: w.Auth(w.Superuser),
		ExpectedStatus:  400,
		ExpectedContent: []string{`"from":{"code":"validation_invalid_date"`, `"to":{"code":"validation_invalid_date"`, `"tags":{"code":"validation_empty_tag"`},
		ExpectedEvents:  map[string]int{"*": 0},
		TestAppFactory:  factory,
	}, tests.ApiScenario{
		Name:   "a bad date and an unknown tag",
		Method: http.MethodGet, URL: "/api/stats/courses?from=2030-13-01&tags=ml,quantum", Headers: w.Auth(w.Superuser),
		ExpectedStatus:  400,
		ExpectedContent: []string{`"from":{"code":"validation_invalid_date"`, `"tags":{"code":"validation_unknown_tag","message":"No tag \"quantum\"."}`},
		ExpectedEvents:  map[string]int{"*": 0},
		TestAppFactory:  factory,
	}, tests.ApiScenario{
		// permission first: a student learns nothing from their parameters
		Name:   "a student with bad values",
		Method: http.MethodGet, URL: "/api/stats/meetups?from=x", Headers: w.Auth(w.Student),
		ExpectedStatus: 403, ExpectedContent: []string{`"status":403`},
		ExpectedEvents: map[string]int{"*": 0},
		TestAppFactory: factory,
	}, tests.ApiScenario{
		Name:   "good values and unknown parameters",
		Method: http.MethodGet, URL: "/api/stats/meetups?from=2026-01-01T00:00:00Z&to=2031-12-31T23:59:59%2B03:00&tags=ml,+web+&requestKey=x", Headers: w.Auth(w.Superuser),
		ExpectedStatus:  200,
		ExpectedContent: []string{`"filter":{"from":"2026-01-01 00:00:00.000Z","until":"2031-12-31 20:59:59.001Z","tags":["` + w.TagML + `","` + w.TagWeb + `"]}`},
		ExpectedEvents:  map[string]int{"*": 0},
		TestAppFactory:  factory,
	})
	for _, s := range scenarios {
		s.Test(t)
	}
}

func TestParseFilter(t *testing.T) {
	t.Parallel()
	loc := time.FixedZone("MSK", 3*3600)
	at := func(s string) time.Time {
		tm, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	cases := []struct {
		query       string
		from, until string // RFC 3339; "" for open
		tags        []string
	}{
		{"", "", "", nil},
		{"from=&to=&tags=", "", "", nil},
		{"from=2026-01-01", "2025-12-31T21:00:00Z", "", nil},
		{"to=2026-01-31", "", "2026-01-31T21:00:00Z", nil},
		{"from=2026-01-31&to=2026-01-31", "2026-01-30T21:00:00Z", "2026-01-31T21:00:00Z", nil},
		{"from=2026-01-31T10:00:00Z&to=2026-01-31T10:00:00Z", "2026-01-31T10:00:00Z", "2026-01-31T10:00:00.001Z", nil},
		{"to=2026-01-31T10:00:00.123456Z", "", "2026-01-31T10:00:00.124Z", nil},
		{"from=+2026-01-01+", "2025-12-31T21:00:00Z", "", nil},
		{"tags=ml", "", "", []string{"ml"}},
		{"tags=+ml+,web&tags=design", "", "", []string{"ml", "web", "design"}},
	}
	for _, c := range cases {
		q, _ := url.ParseQuery(c.query)
		f, errs := stats.ParseFilter(q, loc)
		if errs != nil {
			t.Errorf("%q: %v", c.query, errs)
			continue
		}
		if (c.from == "") != f.From.IsZero() || (c.from != "" && !f.From.Equal(at(c.from))) {
			t.Errorf("%q: from %v, want %s", c.query, f.From, c.from)
		}
		if (c.until == "") != f.Until.IsZero() || (c.until != "" && !f.Until.Equal(at(c.until))) {
			t.Errorf("%q: until %v, want %s", c.query, f.Until, c.until)
		}
		if strings.Join(f.TagRefs, "|") != strings.Join(c.tags, "|") {
			t.Errorf("%q: tags %q, want %q", c.query, f.TagRefs, c.tags)
		}
	}
}

// The parser never panics; it either names the bad parameters and nothing
// else, or gives a range whose stored-text bounds sort like the times
// (SQL compares the text) and clean tag references.
func FuzzParseFilter(f *testing.F) {
	for _, s := range [][3]string{
		{"2026-01-01", "2026-01-31", "ml,web"},
		{"2026-01-31T10:00:00Z", "2026-01-31T10:00:00+03:00", ""},
		{"0001-01-01", "9999-12-30", " ml "},
		{"0001-01-01T00:00:00+14:00", "9999-12-31T23:59:59.9999999-01:00", ","},
		{"2026-02-30", "x", "a,,b"},
		{"", "2026-01-01T00:00:00.000000001Z", "é,ü"},
	} {
		f.Add(s[0], s[1], s[2])
	}
	zones := []*time.Location{time.UTC, time.FixedZone("east", 14*3600), time.FixedZone("west", -12*3600)}
	f.Fuzz(func(t *testing.T, from, to, tags string) {
		for _, loc := range zones {
			q := url.Values{"from": {from}, "to": {to}, "tags": {tags}}
			got, errs := stats.ParseFilter(q, loc)
			if errs != nil {
				if len(errs) == 0 {
					t.Fatal("empty error set")
				}
				for k := range errs {
					if k != "from" && k != "to" && k != "tags" {
						t.Fatalf("error names %q", k)
					}
				}
				continue
			}
			// from=0001-01-01 (UTC) is the zero time: as open as no from at all
			if (from == "" && !got.From.IsZero()) || (to == "") != got.Until.IsZero() {
				t.Fatalf("from %q to %q gave %v, %v", from, to, got.From, got.Until)
			}
			text := func(tm time.Time) string { return tm.UTC().Format(types.DefaultDateLayout) }
			for _, tm := range []time.Time{got.From, got.Until} {
				if !tm.IsZero() && len(text(tm)) != len(types.DefaultDateLayout) {
					t.Fatalf("bound %v stores as %q", tm, text(tm))
				}
			}
			if !got.From.IsZero() && !got.Until.IsZero() {
				if !got.From.Before(got.Until) || text(got.From) >= text(got.Until) {
					t.Fatalf("from %q to %q: empty or misordered range %s .. %s", from, to, text(got.From), text(got.Until))
				}
			}
			for _, r := range got.TagRefs {
				if r == "" || r != strings.TrimSpace(r) || strings.Contains(r, ",") || len(r) > 100 {
					t.Fatalf("tag reference %q from %q", r, tags)
				}
			}
		}
	})
}
