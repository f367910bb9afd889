package checkin_test

import (
	"context"
	"encoding/json"
	"net/http"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/filesystem"

	"questbase/hooks/checkin"
	"questbase/hooks/testapp"
	"questbase/hooks/tickets"
)

func TestMain(m *testing.M) { testapp.Main(m) }

var ctx = context.Background()

// scan posts a check-in and decodes a 200 answer.
func scan(t testing.TB, h http.Handler, token string, body any) (int, checkin.Response, []byte) {
	t.Helper()
	status, raw := testapp.Do(h, http.MethodPost, "/api/checkin", token, body)
	var res checkin.Response
	if status == http.StatusOK {
		if err := json.Unmarshal(raw, &res); err != nil {
			t.Fatalf("decode %s: %v", raw, err)
		}
	}
	return status, res, raw
}

// refusal decodes a 400 answer.
func refusal(t testing.TB, raw []byte) checkin.Refusal {
	t.Helper()
	var r checkin.Refusal
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return r
}

func token(t testing.TB, rec *core.Record) string {
	t.Helper()
	tok, err := rec.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	return tok
}

func signer(app core.App) *tickets.Signer {
	return tickets.New(app, testapp.TestConfig().TicketSecret)
}

func code(t testing.TB, app core.App, kind tickets.Kind, id string) string {
	t.Helper()
	c, err := signer(app).Sign(kind, id)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func rotating(t testing.TB, app core.App, kind tickets.Kind, id string, at time.Time) string {
	t.Helper()
	c, err := signer(app).Rotating(kind, id, at)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// uploadPhoto gives a user a verification photo and returns its bytes.
func uploadPhoto(t testing.TB, app core.App, user string) []byte {
	t.Helper()
	u := testapp.Find(t, app, "users", user)
	data := testapp.PNG(24, 24)
	f, err := filesystem.NewFileFromBytes(data, "card.png")
	if err != nil {
		t.Fatal(err)
	}
	u.Set("verification_photo", f)
	if err := app.Save(u); err != nil {
		t.Fatal(err)
	}
	return data
}

// counts are the rows a check-in writes, to show that a refusal wrote none.
type counts struct{ Checkins, Ledger, Registrations, Attendance, Outbox int }

func countRows(t testing.TB, app core.App) counts {
	t.Helper()
	var c counts
	for table, dst := range map[string]*int{"checkins": &c.Checkins, "points": &c.Ledger, "registrations": &c.Registrations, "attendance": &c.Attendance, "outbox": &c.Outbox} {
		if err := app.DB().Select("count(*)").From(table).Row(dst); err != nil {
			t.Fatal(err)
		}
	}
	return c
}

func balance(t testing.TB, app core.App, user string) int {
	t.Helper()
	return testapp.Find(t, app, "users", user).GetInt("points")
}

func ledgerRows(t testing.TB, app core.App, user, reason string) []int {
	t.Helper()
	var amounts []int
	err := app.DB().Select("amount").From("points").Where(dbx.HashExp{"user": user, "reason": reason}).OrderBy("created").Column(&amounts)
	if err != nil {
		t.Fatal(err)
	}
	return amounts
}

// scanner makes a user holding checkin.scan through the fixture's role
// (scoped like the fixture user given) and returns the record.
func scannerLike(t testing.TB, app core.App, like, name string) *core.Record {
	t.Helper()
	roles := testapp.Find(t, app, "users", like).GetStringSlice("roles")
	return testapp.Save(t, app, "users", map[string]any{"first_name": name, "last_name": "Scanner", "roles": roles})
}

func decode(t testing.TB, raw []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(raw, v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
}
