package claims_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks/access"
	"questbase/hooks/audit"
	"questbase/hooks/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }

var ctx = context.Background()

func claimURL(id string) string { return "/api/collections/claims/records/" + id }

const claimsURL = "/api/collections/claims/records"

func serve(t testing.TB, app *tests.TestApp) http.Handler { return testapp.Handler(t, app) }

// do sends one request with a JSON body (or body as is, with contentType)
// as token ("" for a guest) and returns the status and body.
func do(h http.Handler, method, url, token string, body io.Reader, contentType string) (int, []byte) {
	req := httptest.NewRequest(method, url, body)
	if contentType == "" {
		contentType = "application/json"
	}
	req.Header.Set("Content-Type", contentType)
	if token != "" {
		req.Header.Set("Authorization", token)
	}
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec.Code, rec.Body.Bytes()
}

// decide sends a claim update as token and fails the test unless it gets want.
func decide(t testing.TB, h http.Handler, token, claim string, body map[string]any, want int) []byte {
	t.Helper()
	status, resp := do(h, http.MethodPatch, claimURL(claim), token, testapp.JSON(body), "")
	if status != want {
		t.Fatalf("PATCH %v: got %d, want %d: %s", body, status, want, resp)
	}
	return resp
}

// saveAs changes a claim from Go as actor, the way the bot or a job does.
func saveAs(app core.App, actor audit.Actor, claim string, data map[string]any) error {
	rec, err := app.FindRecordById("claims", claim)
	if err != nil {
		return err
	}
	for k, v := range data {
		rec.Set(k, v)
	}
	return app.SaveWithContext(audit.WithActor(ctx, actor), rec)
}

// asUser is the actor of a user acting through the API or the bot.
func asUser(id string) audit.Actor { return audit.Actor{Kind: audit.KindUser, ID: id} }

// reviewerWithClaim makes a user who holds claims.review (the fixture
// reviewer's roles) and has a pending claim of their own.
func reviewerWithClaim(t testing.TB, app core.App, w *testapp.World) (user, token, claim string) {
	t.Helper()
	roles := testapp.Find(t, app, "users", w.Staff[access.ClaimsReview]).GetStringSlice("roles")
	u := testapp.Save(t, app, "users", map[string]any{"first_name": "Reviewing", "last_name": "Student", "roles": roles})
	tok, err := u.NewAuthToken()
	if err != nil {
		t.Fatal(err)
	}
	c := testapp.Save(t, app, "claims", map[string]any{"user": u.Id, "title": "Reviewed my own talk"})
	return u.Id, tok, c.Id
}

func count(t testing.TB, app core.App, collection string) int {
	t.Helper()
	n, err := app.CountRecords(collection)
	if err != nil {
		t.Fatal(err)
	}
	return int(n)
}

func balance(t testing.TB, app core.App, user string) int {
	t.Helper()
	return testapp.Find(t, app, "users", user).GetInt("points")
}

// claimTotal is the sum of a claim's ledger rows.
func claimTotal(t testing.TB, app core.App, claim string) int {
	t.Helper()
	var total int
	err := app.DB().NewQuery(`SELECT COALESCE(SUM(amount), 0) FROM points WHERE reason = 'claim' AND (ref = {:id} OR ref LIKE {:later})`).
		Bind(dbx.Params{"id": claim, "later": claim + ":%"}).Row(&total)
	if err != nil {
		t.Fatal(err)
	}
	return total
}

type notice struct {
	Kind, Key string
	Payload   map[string]any
}

// notices returns the user's outbox rows of the given kind, oldest first.
func notices(t testing.TB, app core.App, user, kind string) []notice {
	t.Helper()
	var rows []struct {
		Kind    string `db:"kind"`
		Key     string `db:"dedupe_key"`
		Payload string `db:"payload"`
	}
	err := app.DB().NewQuery("SELECT kind, dedupe_key, payload FROM outbox WHERE user = {:u} AND kind = {:k} ORDER BY rowid").
		Bind(dbx.Params{"u": user, "k": kind}).All(&rows)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]notice, len(rows))
	for i, r := range rows {
		out[i] = notice{Kind: r.Kind, Key: r.Key}
		if err := json.Unmarshal([]byte(r.Payload), &out[i].Payload); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

type auditRow struct{ Actor, ActorKind, Action string }

// claimAudit returns the audit rows of a claim's changes (not its
// creation) with module "claims", oldest first.
func claimAudit(t testing.TB, app core.App, claim string) []auditRow {
	t.Helper()
	var rows []struct {
		Actor     string `db:"actor"`
		ActorKind string `db:"actor_kind"`
		Action    string `db:"action"`
	}
	err := app.DB().NewQuery("SELECT actor, actor_kind, action FROM audit_log WHERE collection = 'claims' AND module = 'claims' AND action != 'create' AND record = {:id} ORDER BY rowid").
		Bind(dbx.Params{"id": claim}).All(&rows)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]auditRow, len(rows))
	for i, r := range rows {
		out[i] = auditRow(r)
	}
	return out
}

// state is what a claim decision can change; a refused request leaves all of it as it was.
type state struct {
	Ledger, Outbox, Audit, Awards int
	Balance                       int
	Status, ReviewedAt            string
	Points                        int
}

func snapshot(t testing.TB, app core.App, claim string) state {
	t.Helper()
	c := testapp.Find(t, app, "claims", claim)
	return state{
		Ledger: count(t, app, "points"), Outbox: count(t, app, "outbox"),
		Audit: count(t, app, "audit_log"), Awards: count(t, app, "awards"),
		Balance: balance(t, app, c.GetString("user")),
		Status:  c.GetString("status"), ReviewedAt: c.GetString("reviewed_at"), Points: c.GetInt("points"),
	}
}

// mustContain fails unless body contains every part.
func mustContain(t testing.TB, body []byte, parts ...string) {
	t.Helper()
	for _, p := range parts {
		if !strings.Contains(string(body), p) {
			t.Errorf("response lacks %s: %s", p, body)
		}
	}
}
