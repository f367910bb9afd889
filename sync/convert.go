package sync

import (
	"encoding/json"
	"math"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/pocketbase/pocketbase/tools/list"
	"github.com/pocketbase/pocketbase/tools/types"
)

// The converters take what the SQLite driver returns (string, int64,
// float64, []byte, bool or nil) and read it the way PocketBase reads its
// fields, into the Go value the COPY encoder writes for the column's type
// (string, int64, float64, bool, time.Time, []string or nil). They hand
// back the driver's own value where it already fits. The encoder has fast
// paths for the common shapes and calls these for the rest.

func toText(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case string:
		if plain(x) {
			return v
		}
		return clean(x)
	case []byte:
		return clean(string(x))
	case int64:
		return strconv.FormatInt(x, 10)
	case float64:
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		return strconv.FormatBool(x)
	case time.Time:
		return x.UTC().Format(types.DefaultDateLayout)
	}
	return nil
}

// plain reports whether PostgreSQL's text takes s as it is: valid UTF-8
// without NUL characters.
func plain(s string) bool { return strings.IndexByte(s, 0) < 0 && utf8.ValidString(s) }

// clean makes s fit PostgreSQL's text: NUL characters dropped, invalid
// UTF-8 replaced by U+FFFD (as encoding/json reads it). SQLite holds any
// bytes; one such value must not stop the mirror.
func clean(s string) string {
	if plain(s) {
		return s
	}
	return strings.ToValidUTF8(strings.ReplaceAll(s, "\x00", ""), "\uFFFD")
}

func toRef(v any) any {
	if s, ok := v.(string); ok && s == "" {
		return nil
	}
	s := toText(v)
	if s == "" {
		return nil
	}
	return s
}

func toFloat(v any) (float64, bool) {
	switch x := v.(type) {
	case nil:
		return 0, false
	case int64:
		return float64(x), true
	case float64:
		return x, true
	case bool:
		if x {
			return 1, true
		}
		return 0, true
	case string:
		f, err := strconv.ParseFloat(strings.TrimSpace(x), 64)
		return f, err == nil
	case []byte:
		f, err := strconv.ParseFloat(strings.TrimSpace(string(x)), 64)
		return f, err == nil
	}
	return 0, false
}

func toInt(v any) any {
	if _, ok := v.(int64); ok {
		return v
	}
	f, ok := toFloat(v)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		if v == nil {
			return nil
		}
		return int64(0) // PocketBase reads an unparsable number as 0
	}
	return int64(math.Round(f))
}

func toNumeric(v any) any {
	switch v.(type) {
	case int64, float64:
		if f, _ := toFloat(v); !math.IsNaN(f) && !math.IsInf(f, 0) {
			return v
		}
	}
	f, ok := toFloat(v)
	if !ok || math.IsNaN(f) || math.IsInf(f, 0) {
		if v == nil {
			return nil
		}
		return float64(0)
	}
	return f
}

func toBool(v any) any {
	switch x := v.(type) {
	case nil:
		return nil
	case bool:
		return x
	case int64:
		return x != 0
	case float64:
		return x != 0
	case string:
		b, _ := strconv.ParseBool(x)
		return b
	case []byte:
		b, _ := strconv.ParseBool(string(x))
		return b
	}
	return false
}

// toTime reads PocketBase's "2006-01-02 15:04:05.000Z" text; empty or
// unreadable dates are NULL.
func toTime(v any) any {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	case time.Time:
		if x.IsZero() {
			return nil
		}
		return x.UTC()
	default:
		return nil
	}
	if s == "" {
		return nil
	}
	if t, ok := parseStamp(s); ok {
		return t
	}
	dt, err := types.ParseDateTime(s)
	if err != nil || dt.IsZero() {
		return nil
	}
	return dt.Time()
}

// parseStamp is a fast path for the layout PocketBase writes.
func parseStamp(s string) (time.Time, bool) {
	// 2006-01-02 15:04:05.000Z
	if len(s) != 24 || s[4] != '-' || s[7] != '-' || s[10] != ' ' || s[13] != ':' || s[16] != ':' || s[19] != '.' || s[23] != 'Z' {
		return time.Time{}, false
	}
	n := func(from, to int) (int, bool) {
		v := 0
		for i := from; i < to; i++ {
			c := s[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			v = v*10 + int(c-'0')
		}
		return v, true
	}
	y, ok1 := n(0, 4)
	mo, ok2 := n(5, 7)
	d, ok3 := n(8, 10)
	h, ok4 := n(11, 13)
	mi, ok5 := n(14, 16)
	se, ok6 := n(17, 19)
	ms, ok7 := n(20, 23)
	if !(ok1 && ok2 && ok3 && ok4 && ok5 && ok6 && ok7) || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59 {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(mo), d, h, mi, se, ms*int(time.Millisecond), time.UTC)
	if t.Day() != d { // 30 February: time.Date would roll it into March
		return time.Time{}, false
	}
	return t, true
}

// toJSON passes JSON text through; JSON null and empty values are NULL.
// What jsonb cannot take — the \u0000 escape, invalid UTF-8, text that is
// not JSON at all (written behind PocketBase's back) — is repaired or kept
// as a JSON string, so that one value never stops the mirror.
func toJSON(v any) any {
	var s string
	switch x := v.(type) {
	case string:
		s = x
	case []byte:
		s = string(x)
	case nil:
		return nil
	default:
		b, err := json.Marshal(x)
		if err != nil {
			return nil
		}
		s = string(b)
	}
	if s == "" || s == "null" {
		return nil
	}
	if jsonbReady(s) {
		return s
	}
	var doc any
	if json.Unmarshal([]byte(s), &doc) != nil {
		b, _ := json.Marshal(clean(s))
		return string(b)
	}
	b, err := json.Marshal(withoutNUL(doc))
	if err != nil {
		return nil
	}
	return string(b)
}

// jsonbReady reports whether jsonb takes s as it is.
func jsonbReady(s string) bool {
	return plain(s) && !strings.Contains(s, `\u0000`) && json.Valid([]byte(s))
}

// withoutNUL drops NUL characters from a decoded JSON document's strings.
func withoutNUL(v any) any {
	switch x := v.(type) {
	case string:
		return strings.ReplaceAll(x, "\x00", "")
	case []any:
		for i := range x {
			x[i] = withoutNUL(x[i])
		}
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[strings.ReplaceAll(k, "\x00", "")] = withoutNUL(e)
		}
		return out
	}
	return v
}

// emptyList is boxed once: most multi-value fields are empty.
var emptyList any = []string{}

// toList reads a multi-value field (a JSON array of ids, values or file
// names) as PocketBase does.
func toList(v any) any {
	var s string
	switch x := v.(type) {
	case nil:
		return emptyList
	case string:
		s = x
	case []byte:
		s = string(x)
	default:
		return list.ToUniqueStringSlice(x)
	}
	if s == "" || s == "[]" {
		return emptyList
	}
	var out []string
	if s[0] != '[' || json.Unmarshal([]byte(s), &out) != nil {
		out = list.ToUniqueStringSlice(s)
	}
	if len(out) == 0 {
		return emptyList
	}
	for i, item := range out {
		out[i] = clean(item)
	}
	return out
}

// fileURL is where PocketBase serves a record's file (protected files
// answer only with a file token: ?token=...).
func fileURL(base, recordID, name string) string {
	return base + recordID + "/" + url.PathEscape(name)
}

func toFileURL(base, recordID string, name any) any {
	s, ok := name.(string)
	if !ok || s == "" {
		return nil
	}
	return fileURL(base, recordID, s)
}

func toFileURLs(base, recordID string, names any) any {
	l, _ := names.([]string)
	out := make([]string, len(l))
	for i, n := range l {
		out[i] = fileURL(base, recordID, n)
	}
	return out
}
