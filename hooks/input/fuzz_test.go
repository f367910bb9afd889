package input_test

import (
	"bytes"
	"encoding/json"
	"io"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/router"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/input"
)

// fuzzCollection holds checkFields, so that values go through the same
// Record.Set path PocketBase's record form uses.
func fuzzCollection() *core.Collection {
	c := core.NewBaseCollection("fuzz")
	for _, f := range checkFields {
		c.Fields.Add(f)
	}
	return c
}

// FuzzCheck throws random values at random field kinds. The checker must
// never panic, and a value it accepts must keep its meaning once
// PocketBase has cast it into the field: the number stays that number, the
// text that text, the date that instant, the ids those ids.
//
// raw is a JSON value (form=false) or form strings separated by NUL
// (form=true, a repeated key).
func FuzzCheck(f *testing.F) {
	seeds := []struct {
		field uint8
		raw   string
		form  bool
	}{
		{0, `5`, false}, {0, `"lots"`, false}, {0, `1e400`, false}, {1, `9007199254740993`, false}, {1, `1.0`, false},
		{2, `true`, false}, {3, `"x"`, false}, {7, `"2026-01-31 18:00:00.000Z"`, false}, {8, `"[\"a\",\"b\"]"`, false},
		{9, `["a","b","a",""]`, false}, {12, `["x.png"]`, false}, {14, `"123"`, false}, {14, `"{\"a\":1}"`, false}, {15, `{"lon":1,"lat":2}`, false},
		{0, "5", true}, {0, "-0", true}, {0, "NaN", true}, {1, "0012.000", true}, {1, "1e-999999999", true}, {2, "on", true}, {2, "t", true},
		{3, "1.50", true}, {3, "true", true}, {3, "-0", true}, {3, "0.000001", true}, {7, "2026-01-31", true}, {8, "5", true},
		{9, "a\x00b\x00a", true}, {10, `["x"]`, true}, {13, "a.png\x00", true}, {14, "null", true}, {14, "12", true}, {15, `{"lon":1}`, true},
		{14, "1e700", true}, {14, "\v", true}, {3, "\xd2", true}, {7, "2026-01-31T18:00:00+03:00", true},
	}
	for _, s := range seeds {
		f.Add(s.field, s.raw, s.form)
	}
	col := fuzzCollection()
	f.Fuzz(func(t *testing.T, idx uint8, raw string, form bool) {
		field := checkFields[int(idx)%len(checkFields)]
		if form {
			fuzzForm(t, col, field, strings.Split(raw, "\x00"))
		} else {
			fuzzJSON(t, col, field, raw)
		}
	})
}

func fuzzJSON(t *testing.T, col *core.Collection, field core.Field, raw string) {
	dec := json.NewDecoder(bytes.NewReader([]byte(raw)))
	dec.UseNumber()
	var checked any
	if dec.Decode(&checked) != nil {
		return // not JSON: PocketBase refuses the body itself
	}
	if _, err := dec.Token(); err != io.EOF {
		return // not one JSON value: PocketBase refuses the body itself
	}
	if input.CheckJSON(field, checked) != nil {
		return
	}
	var sent any // decoded as PocketBase decodes bodies
	if json.Unmarshal([]byte(raw), &sent) != nil {
		return // e.g. 1e700 in a json field: PocketBase refuses the whole body before the hooks
	}
	rec := core.NewRecord(col)
	rec.Set(field.GetName(), sent)
	stored := rec.Get(field.GetName())
	if refusedLater(stored) {
		return
	}
	if msg := sameMeaning(field, sent, stored); msg != "" {
		t.Fatalf("accepted %s for %T; stored %#v: %s", raw, field, stored, msg)
	}
	if n, ok := checked.(json.Number); ok {
		exactInt(t, field, string(n), stored)
	}
}

func fuzzForm(t *testing.T, col *core.Collection, field core.Field, values []string) {
	if input.CheckForm(field, values) != nil {
		return
	}
	// Read the values the way PocketBase reads a form body into RequestInfo.
	body := map[string]any{}
	if err := router.UnmarshalRequestData(map[string][]string{field.GetName(): values}, &body, "", ""); err != nil {
		t.Fatalf("accepted %q, which PocketBase cannot read: %v", values, err)
	}
	rec := core.NewRecord(col)
	rec.Set(field.GetName(), body[field.GetName()])
	stored := rec.Get(field.GetName())

	var sent any
	switch {
	case len(values) == 1:
		sent = formMeaning(field, values[0])
	case acceptsList(field):
		sent = values
	default:
		return // repeated json/autodate values: PocketBase builds a JSON array of inferred values
	}
	if refusedLater(stored) {
		return
	}
	if msg := sameMeaning(field, sent, stored); msg != "" {
		t.Fatalf("accepted %q for %T; stored %#v: %s", values, field, stored, msg)
	}
	if len(values) == 1 {
		exactInt(t, field, values[0], stored)
	}
}

func acceptsList(f core.Field) bool {
	switch f.(type) {
	case *core.SelectField, *core.RelationField, *core.FileField:
		return true
	}
	return false
}

// exactInt checks an accepted integer text against the stored float64 digit
// by digit, which float comparisons cannot do past 2^53.
func exactInt(t *testing.T, field core.Field, text string, stored any) {
	nf, ok := field.(*core.NumberField)
	if !ok || !nf.OnlyInt || text == "" || strings.ContainsAny(text, ".eE") {
		return
	}
	want, err := strconv.ParseInt(text, 10, 64)
	got, _ := stored.(float64)
	if err != nil || got != math.Trunc(got) || int64(got) != want {
		t.Fatalf("accepted integer %s; stored %v", text, stored)
	}
}

// refusedLater reports values PocketBase's own record validation refuses
// with a 400, so they never reach the database. PocketBase quotes a plain
// form string for a json field with strconv.Quote, whose \v, \a, \x..
// escapes are not JSON; the field's validation then answers
// validation_invalid_json.
func refusedLater(stored any) bool {
	raw, ok := stored.(types.JSONRaw)
	return ok && !json.Valid(raw)
}
