package sync_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"reflect"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgtype"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	qbsync "questbase/sync"
	"questbase/sync/pgtest"
)

const baseURL = "https://club.test"

// mirrorOf returns a mirror of app into a fresh database, and a connection
// to that database for assertions.
func mirrorOf(t *testing.T, app core.App, opts qbsync.Options) (*qbsync.Mirror, *pgx.Conn) {
	t.Helper()
	if opts.DSN == "" {
		opts.DSN = pgtest.Database(t)
	}
	if opts.BaseURL == "" {
		opts.BaseURL = baseURL
	}
	m, err := qbsync.New(app, opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(m.Close)
	conn := pgtest.Connect(t, opts.DSN)
	if _, err := conn.Exec(context.Background(), "SET TIME ZONE 'UTC'"); err != nil {
		t.Fatal(err)
	}
	return m, conn
}

func run(t *testing.T, m *qbsync.Mirror, ro qbsync.RunOptions) *qbsync.Report {
	t.Helper()
	rep, err := m.Run(context.Background(), ro)
	if err != nil {
		t.Fatalf("mirror run: %v", err)
	}
	return rep
}

// mustBeMirrored and neverMirrored pin the decisions about what the
// mirror holds; the comparison below covers every mirrored collection.
var (
	mustBeMirrored = []string{
		"users", "roles", "tags", "meetups", "registrations", "checkins", "feedback",
		"courses", "course_sessions", "enrollments", "attendance", "levels", "achievements",
		"awards", "claims", "points", "broadcasts", "outbox", "poll_votes", "quizzes",
		"quiz_attempts", "raffles", "audit_log", "verification_archive",
	}
	neverMirrored = []string{
		"app_state", core.CollectionNameSuperusers, core.CollectionNameMFAs, core.CollectionNameOTPs,
		core.CollectionNameAuthOrigins, core.CollectionNameExternalAuths, "grants", "public_profiles",
	}
	// fields that must never reach PostgreSQL, by collection
	secretFields = map[string][]string{
		"users":                {"password", "tokenKey"},
		"raffles":              {"seed"},
		"verification_archive": {"photo", "photo_url"},
		"outbox":               {"payload"},
	}
)

// tables lists the schema's tables with their columns.
func tables(t *testing.T, conn *pgx.Conn, schema string) map[string][]string {
	t.Helper()
	rows, err := conn.Query(context.Background(), `SELECT table_name::text, column_name::text FROM information_schema.columns
		WHERE table_schema = $1 AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE')
		ORDER BY table_name, ordinal_position`, schema)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	for rows.Next() {
		var tbl, col string
		if err := rows.Scan(&tbl, &col); err != nil {
			t.Fatal(err)
		}
		out[tbl] = append(out[tbl], col)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// assertMirrors checks that the schema holds exactly the app's data: every
// mirrored collection as a table with one row per record and one column
// per field, each value equal to what PocketBase reads from SQLite.
// Expected values come from PocketBase's record API, not from the mirror's
// own conversion code.
func assertMirrors(t *testing.T, app core.App, conn *pgx.Conn, schema string) {
	t.Helper()
	ctx := context.Background()
	have := tables(t, conn, schema)
	for _, name := range mustBeMirrored {
		if _, ok := have[name]; !ok {
			t.Errorf("collection %s has no mirror table", name)
		}
	}
	for _, name := range neverMirrored {
		if _, ok := have[name]; ok {
			t.Errorf("collection %s must not be mirrored", name)
		}
	}
	for coll, fields := range secretFields {
		for _, f := range fields {
			for _, col := range have[coll] {
				if col == f {
					t.Errorf("%s.%s must not be mirrored", coll, f)
				}
			}
		}
	}

	cols, err := app.FindAllCollections()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if !qbsync.Mirrored(c) {
			continue
		}
		records, err := app.FindAllRecords(c)
		if err != nil {
			t.Fatal(err)
		}
		want := map[string]map[string]any{}
		wantCols := []string{"id"}
		for _, rec := range records {
			want[rec.Id] = expectedRow(c, rec)
		}
		for _, f := range c.Fields {
			if f.GetName() == "id" || f.GetHidden() || isSecret(c.Name, f.GetName()) || f.Type() == core.FieldTypePassword {
				continue
			}
			wantCols = append(wantCols, f.GetName())
			if ff, ok := f.(*core.FileField); ok {
				if ff.IsMultiple() {
					wantCols = append(wantCols, f.GetName()+"_urls")
				} else {
					wantCols = append(wantCols, f.GetName()+"_url")
				}
			}
		}
		gotCols := append([]string(nil), have[c.Name]...)
		sort.Strings(gotCols)
		sort.Strings(wantCols)
		if !reflect.DeepEqual(gotCols, wantCols) {
			t.Errorf("%s: columns\n got  %v\n want %v", c.Name, gotCols, wantCols)
			continue
		}

		rows, err := conn.Query(ctx, "SELECT * FROM "+pgx.Identifier{schema, c.Name}.Sanitize())
		if err != nil {
			t.Fatal(err)
		}
		got, err := pgx.CollectRows(rows, pgx.RowToMap)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != len(records) {
			t.Errorf("%s: %d rows in the mirror, %d records in SQLite", c.Name, len(got), len(records))
		}
		for _, row := range got {
			id, _ := row["id"].(string)
			w, ok := want[id]
			if !ok {
				t.Errorf("%s: mirror row %s is not in SQLite", c.Name, id)
				continue
			}
			delete(want, id)
			for col, wv := range w {
				if gv, wv := normalize(row[col]), normalize(wv); !reflect.DeepEqual(gv, wv) {
					t.Errorf("%s/%s.%s: mirror %#v, SQLite %#v", c.Name, id, col, gv, wv)
				}
			}
		}
		for id := range want {
			t.Errorf("%s: record %s is missing from the mirror", c.Name, id)
		}
	}
}

func isSecret(coll, field string) bool {
	for _, f := range secretFields[coll] {
		if f == field {
			return true
		}
	}
	return false
}

// expectedRow is a record as the mirror should hold it.
func expectedRow(c *core.Collection, rec *core.Record) map[string]any {
	row := map[string]any{"id": rec.Id}
	for _, f := range c.Fields {
		name := f.GetName()
		if name == "id" || f.GetHidden() || isSecret(c.Name, name) {
			continue
		}
		switch f := f.(type) {
		case *core.PasswordField:
		case *core.NumberField:
			row[name] = rec.GetFloat(name)
		case *core.BoolField:
			row[name] = rec.GetBool(name)
		case *core.DateField, *core.AutodateField:
			if dt := rec.GetDateTime(name); !dt.IsZero() {
				row[name] = dt.Time().UTC()
			} else {
				row[name] = nil
			}
		case *core.JSONField:
			row[name] = jsonValue(rec.Get(name))
		case *core.SelectField, *core.RelationField, *core.FileField:
			multi := f.(core.MultiValuer).IsMultiple()
			names := rec.GetStringSlice(name)
			if multi {
				row[name] = names
			} else if len(names) == 0 {
				row[name] = nil
			} else {
				row[name] = names[0]
			}
			if _, isFile := f.(*core.FileField); isFile {
				urls := make([]string, len(names))
				for i, n := range names {
					urls[i] = baseURL + "/api/files/" + c.Id + "/" + rec.Id + "/" + url.PathEscape(n)
				}
				if multi {
					row[name+"_urls"] = urls
				} else if len(urls) == 0 {
					row[name+"_url"] = nil
				} else {
					row[name+"_url"] = urls[0]
				}
			}
		default:
			row[name] = rec.GetString(name)
		}
	}
	return row
}

func jsonValue(v any) any {
	raw, _ := v.(types.JSONRaw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil
	}
	var out any
	if err := json.Unmarshal(raw, &out); err != nil {
		return fmt.Sprintf("invalid JSON %q", raw)
	}
	return out
}

// normalize turns pgx's values into the shapes expectedRow uses.
func normalize(v any) any {
	switch x := v.(type) {
	case int64:
		return float64(x)
	case int32:
		return float64(x)
	case pgtype.Numeric:
		f, err := x.Float64Value()
		if err != nil || !f.Valid {
			return nil
		}
		return f.Float64
	case time.Time:
		return x.UTC()
	case []any: // text[] (and JSON arrays of strings, on both sides alike)
		out := make([]string, len(x))
		for i, e := range x {
			s, ok := e.(string)
			if !ok {
				return v
			}
			out[i] = s
		}
		return out
	}
	return v
}

// query returns the rows of a query as maps with normalized values.
func query(t *testing.T, conn *pgx.Conn, sql string, args ...any) []map[string]any {
	t.Helper()
	rows, err := conn.Query(context.Background(), sql, args...)
	if err != nil {
		t.Fatalf("%s: %v", strings.TrimSpace(sql), err)
	}
	out, err := pgx.CollectRows(rows, pgx.RowToMap)
	if err != nil {
		t.Fatal(err)
	}
	for _, row := range out {
		for k, v := range row {
			row[k] = normalize(v)
		}
	}
	return out
}
