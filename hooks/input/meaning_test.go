package input_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/types"

	"questbase/hooks/input"
)

// sameMeaning reports how the value stored for field f differs from what
// the client meant by sending sent, a JSON value decoded as PocketBase
// decodes it (numbers as float64); "" when it means the same. The expected
// meanings are written down here independently of PocketBase's casting.
func sameMeaning(f core.Field, sent, stored any) string {
	switch f := f.(type) {
	case *core.NumberField:
		want, _ := sent.(float64)
		if got, ok := stored.(float64); !ok || got != want {
			return fmt.Sprintf("number %v, want %v", stored, want)
		}
	case *core.BoolField:
		want, _ := sent.(bool)
		if got, ok := stored.(bool); !ok || got != want {
			return fmt.Sprintf("bool %v, want %v", stored, want)
		}
	case *core.DateField:
		s, _ := sent.(string)
		want, ok := input.ParseDate(s)
		if !ok {
			return "sent an unreadable date"
		}
		got, ok := stored.(types.DateTime)
		if !ok || !got.Time().Equal(want) && !(got.IsZero() && want.IsZero()) {
			return fmt.Sprintf("date %v, want %v", stored, want)
		}
	case *core.SelectField:
		return sameList(sent, stored, f.IsMultiple())
	case *core.RelationField:
		return sameList(sent, stored, f.IsMultiple())
	case *core.FileField:
		return sameList(sent, stored, f.IsMultiple())
	case *core.JSONField:
		want := jsonMeaning(sent)
		raw, _ := json.Marshal(stored)
		got, ok := decodeNumbers(raw)
		if !ok {
			return fmt.Sprintf("stored json %s does not decode", raw)
		}
		if !reflect.DeepEqual(normalizeJSON(want), normalizeJSON(got)) {
			return fmt.Sprintf("json %s, want %#v", raw, want)
		}
	case *core.AutodateField, *core.PasswordField, *core.GeoPointField:
		// autodate ignores input, passwords are hashed, points are checked by PocketBase
	default:
		want, _ := sent.(string)
		if got, ok := stored.(string); !ok || got != want {
			return fmt.Sprintf("text %q, want %q", stored, want)
		}
	}
	return ""
}

// formMeaning is what a form string means for field f, as a JSON value.
func formMeaning(f core.Field, s string) any {
	switch f.(type) {
	case *core.NumberField:
		if s == "" {
			return 0.0
		}
		n, _ := strconv.ParseFloat(s, 64)
		return n
	case *core.BoolField:
		b, _ := strconv.ParseBool(s)
		return b
	}
	return s // json fields: sameMeaning reads a string as the JSON it holds
}

// sameList compares select values, relation ids or file names. A string
// holding a JSON array of strings means that list (the form encoding
// PocketBase documents); empty items and repeats carry no meaning. A single
// field keeps one item.
func sameList(sent, stored any, multiple bool) string {
	var want []string
	switch v := sent.(type) {
	case string:
		want = unpackList(v)
	case []any:
		for _, item := range v {
			s, _ := item.(string)
			want = append(want, s)
		}
	case []string:
		want = v
	}
	want = nonEmptyUnique(want)
	var got []string
	switch v := stored.(type) {
	case string:
		got = nonEmptyUnique([]string{v})
	case []string:
		got = v
	case []any: // file names
		for _, item := range v {
			name, ok := item.(string)
			if !ok {
				return fmt.Sprintf("stored %T in a list", item)
			}
			got = append(got, name)
		}
	default:
		return fmt.Sprintf("stored %T", stored)
	}
	if !multiple && len(want) > 1 {
		want = want[len(want)-1:] // names of a single file field: the last one
	}
	if len(want) == 0 && len(got) == 0 {
		return ""
	}
	if !reflect.DeepEqual(want, got) {
		return fmt.Sprintf("list %q, want %q", got, want)
	}
	return ""
}

func unpackList(s string) []string {
	var list []string
	if strings.Contains(s, "[") && json.Unmarshal([]byte(s), &list) == nil {
		return list
	}
	return []string{s}
}

func nonEmptyUnique(in []string) []string {
	seen := map[string]bool{}
	out := []string{}
	for _, s := range in {
		if s != "" && !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// jsonMeaning is what a JSON value sent for a json field means. A string
// holding JSON means that JSON: the dashboard sends the editor's text that
// way, and PocketBase documents the rule for form bodies.
func jsonMeaning(v any) any {
	if s, ok := v.(string); ok {
		return jsonFormMeaning(s)
	}
	return v
}

func jsonFormMeaning(s string) any {
	if s == "" {
		return ""
	}
	switch s[0] {
	case 'n', 't', 'f', '-', '"', '[', '{', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		if v, ok := decodeNumbers([]byte(s)); ok && (s[0] != 'n' && s[0] != 't' && s[0] != 'f' || s == "null" || s == "true" || s == "false") {
			return v
		}
	}
	return s
}

// decodeNumbers decodes one JSON value keeping numbers as json.Number, so
// that 1e700 (valid JSON, no float64) still compares.
func decodeNumbers(raw []byte) (any, bool) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil {
		return nil, false
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, false
	}
	return v, true
}

// normalizeJSON makes decoded JSON comparable: numbers as float64 where
// they fit one, as their text otherwise.
func normalizeJSON(v any) any {
	raw, err := json.Marshal(v)
	if err != nil {
		return v
	}
	out, ok := decodeNumbers(raw)
	if !ok {
		return v
	}
	return roundNumbers(out)
}

func roundNumbers(v any) any {
	switch v := v.(type) {
	case json.Number:
		if f, err := strconv.ParseFloat(string(v), 64); err == nil && !math.IsInf(f, 0) {
			return f
		}
		return "number " + string(v)
	case []any:
		for i := range v {
			v[i] = roundNumbers(v[i])
		}
	case map[string]any:
		for k := range v {
			v[k] = roundNumbers(v[k])
		}
	}
	return v
}
