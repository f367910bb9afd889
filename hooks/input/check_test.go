package input_test

import (
	"bytes"
	"encoding/json"
	"testing"

	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/input"
)

// checkFields is one field of each kind the checker tells apart.
var checkFields = []core.Field{
	&core.NumberField{Name: "num"},
	&core.NumberField{Name: "int", OnlyInt: true},
	&core.BoolField{Name: "bool"},
	&core.TextField{Name: "text"},
	&core.EmailField{Name: "email"},
	&core.URLField{Name: "url"},
	&core.EditorField{Name: "editor"},
	&core.DateField{Name: "date"},
	&core.SelectField{Name: "sel", Values: []string{"a", "b", "c"}, MaxSelect: 1},
	&core.SelectField{Name: "sels", Values: []string{"a", "b", "c"}, MaxSelect: 3},
	&core.RelationField{Name: "rel", CollectionId: "x", MaxSelect: 1},
	&core.RelationField{Name: "rels", CollectionId: "x", MaxSelect: 5},
	&core.FileField{Name: "file", MaxSelect: 1},
	&core.FileField{Name: "files", MaxSelect: 5},
	&core.JSONField{Name: "json"},
	&core.GeoPointField{Name: "geo"},
	&core.AutodateField{Name: "auto", OnCreate: true},
}

func checkField(t testing.TB, name string) core.Field {
	t.Helper()
	for _, f := range checkFields {
		if f.GetName() == name {
			return f
		}
	}
	t.Fatalf("no check field %q", name)
	return nil
}

func decodeUseNumber(t testing.TB, raw string) any {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		t.Fatalf("decode %s: %v", raw, err)
	}
	return v
}

func TestCheckJSON(t *testing.T) {
	cases := []struct {
		field, value string
		ok           bool
	}{
		{"num", `5`, true}, {"num", `-0.25`, true}, {"num", `1e300`, true}, {"num", `null`, true},
		{"num", `"5"`, false}, {"num", `"lots"`, false}, {"num", `true`, false}, {"num", `[1]`, false}, {"num", `{}`, false},
		{"int", `42`, true}, {"int", `42.0`, true}, {"int", `1e2`, true}, {"int", `-9007199254740992`, true},
		{"int", `1.5`, false}, {"int", `9007199254740993`, false}, {"int", `1e20`, false}, {"int", `4503599627370495.5`, false}, {"int", `6755399441055744.5`, false},
		{"bool", `true`, true}, {"bool", `false`, true}, {"bool", `null`, true},
		{"bool", `"true"`, false}, {"bool", `1`, false}, {"bool", `"on"`, false},
		{"text", `"x"`, true}, {"text", `""`, true}, {"text", `5`, false}, {"text", `["x"]`, false}, {"text", `{"a":1}`, false},
		{"email", `"a@b.c"`, true}, {"email", `1`, false},
		{"url", `"https://x"`, true}, {"url", `false`, false},
		{"editor", `"<p>x</p>"`, true}, {"editor", `[]`, false},
		{"date", `"2026-01-31 18:00:00.000Z"`, true}, {"date", `"2026-01-31T18:00:00Z"`, true}, {"date", `"2026-01-31"`, true}, {"date", `""`, true},
		{"date", `"next friday"`, false}, {"date", `1700000000`, false}, {"date", `"2026-13-45"`, false},
		{"sel", `"a"`, true}, {"sel", `""`, true}, {"sel", `"zzz"`, true}, // the value itself is PocketBase's check
		{"sel", `["a"]`, false}, {"sel", `1`, false}, {"sel", `"[\"a\",\"b\"]"`, false},
		{"sels", `["a","b"]`, true}, {"sels", `"a"`, true}, {"sels", `[]`, true}, {"sels", `[1]`, false}, {"sels", `{"a":1}`, false},
		{"rel", `"abc"`, true}, {"rel", `["abc"]`, false}, {"rel", `5`, false},
		{"rels", `["abc","def"]`, true}, {"rels", `[null]`, false},
		{"file", `"a.png"`, true}, {"file", `["a.png"]`, true}, {"file", `[]`, true}, {"file", `5`, false},
		{"files", `["a.png","b.png"]`, true}, {"files", `[{"name":"a"}]`, false},
		{"json", `5`, true}, {"json", `"x"`, true}, {"json", `{"a":[1,"b",null]}`, true}, {"json", `null`, true},
		{"geo", `{"lon": 1.5, "lat": -3}`, true}, {"geo", `"{\"lon\":1,\"lat\":2}"`, true},
		{"geo", `{"lon": "1", "lat": 2}`, false}, {"geo", `{"lat": 2}`, false}, {"geo", `[1,2]`, false},
		{"auto", `"whatever"`, true}, {"auto", `5`, true},
	}
	for _, c := range cases {
		err := input.CheckJSON(checkField(t, c.field), decodeUseNumber(t, c.value))
		if (err == nil) != c.ok {
			t.Errorf("CheckJSON(%s, %s) = %v, want ok=%v", c.field, c.value, err, c.ok)
		}
	}
}

func TestCheckForm(t *testing.T) {
	cases := []struct {
		field  string
		values []string
		ok     bool
	}{
		{"num", []string{"5"}, true}, {"num", []string{"-0.25"}, true}, {"num", []string{""}, true}, {"num", []string{"007"}, true}, {"num", []string{"1.5e3"}, true},
		{"num", []string{"lots"}, false}, {"num", []string{"NaN"}, false}, {"num", []string{"Infinity"}, false}, {"num", []string{"-Inf"}, false},
		{"num", []string{"0x10"}, false}, {"num", []string{"1_000"}, false}, {"num", []string{" 5"}, false}, {"num", []string{"+5"}, false},
		{"num", []string{"1e400"}, false}, {"num", []string{"5", "6"}, false},
		{"int", []string{"12"}, true}, {"int", []string{"12.0"}, true}, {"int", []string{"12.5"}, false}, {"int", []string{"99999999999999999999"}, false},
		{"bool", []string{"true"}, true}, {"bool", []string{"false"}, true}, {"bool", []string{"1"}, true}, {"bool", []string{"0"}, true}, {"bool", []string{""}, true},
		{"bool", []string{"on"}, false}, {"bool", []string{"off"}, false}, {"bool", []string{"yes"}, false}, {"bool", []string{"true", "false"}, false},
		{"text", []string{"anything at all"}, true}, {"text", []string{"5"}, true}, {"text", []string{"a", "b"}, false},
		{"date", []string{"2026-01-31 18:00:00.000Z"}, true}, {"date", []string{""}, true}, {"date", []string{"tomorrow"}, false},
		{"sel", []string{"a"}, true}, {"sel", []string{"a", "b"}, false}, {"sel", []string{`["a","b"]`}, false},
		{"sels", []string{"a", "b"}, true}, {"sels", []string{`["a","b"]`}, true},
		{"rel", []string{"abc"}, true}, {"rel", []string{"abc", "def"}, false},
		{"rels", []string{"abc", "def"}, true},
		{"file", []string{"a.png", "b.png"}, true}, // kept names; the dashboard sends lists
		{"json", []string{"not json"}, true}, {"json", []string{"1", "2"}, true},
		{"geo", []string{`{"lon":1,"lat":2}`}, true}, {"geo", []string{"1,2"}, false},
	}
	for _, c := range cases {
		err := input.CheckForm(checkField(t, c.field), c.values)
		if (err == nil) != c.ok {
			t.Errorf("CheckForm(%s, %q) = %v, want ok=%v", c.field, c.values, err, c.ok)
		}
	}
}
