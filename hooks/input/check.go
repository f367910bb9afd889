package input

import (
	"encoding/json"
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	validation "github.com/pocketbase/ozzo-validation/v4"
	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tools/list"
	"github.com/pocketbase/pocketbase/tools/types"
	"github.com/spf13/cast"
)

// Error codes of the checks. PocketBase's own codes are reused where the
// meaning is the same, so that clients handle one vocabulary.
const (
	CodeInvalidType  = "validation_invalid_type"
	CodeInvalidDate  = "validation_invalid_date"
	CodeNotANumber   = "validation_not_a_number"        // PocketBase's code for NaN/Inf
	CodeOnlyInt      = "validation_only_int_constraint" // PocketBase's code for OnlyInt
	CodeUnsafeInt    = "validation_unsafe_integer"
	CodeSingleValue  = "validation_single_value"
	CodeUnexpFile    = "validation_unexpected_file"
	CodeUnknownField = "validation_unknown_field"
)

// maxSafeInt is the largest integer a float64 holds exactly. PocketBase
// keeps numbers as float64, so a bigger integer would be stored as a
// different one (2^53+1 becomes 2^53).
const maxSafeInt = 1 << 53

// formNumber is the number syntax accepted from form bodies: plain decimal
// with an optional exponent. It leaves out what strconv.ParseFloat would
// also take but no client means as a number ("Inf", "NaN", "0x1p3", "1_0").
var formNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

func typeError(want string, got any) error {
	return validation.NewError(CodeInvalidType, fmt.Sprintf("Must be %s, not %s.", want, jsonTypeName(got)))
}

// jsonTypeName names a decoded JSON value's type the way API clients see it.
func jsonTypeName(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "a boolean"
	case json.Number, float64:
		return "a number"
	case string:
		return "a string"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	default:
		return fmt.Sprintf("%T", v)
	}
}

// CheckJSON reports whether v, a value of a JSON body (or of a multipart
// @jsonPayload) decoded with json.Decoder.UseNumber, fits field f, so that
// PocketBase's casting keeps its meaning. It checks types only: required,
// min/max, select values and relation targets are PocketBase's own
// validation, which runs later on the cast record. null always fits: it
// clears the field.
func CheckJSON(f core.Field, v any) error {
	if v == nil {
		return nil
	}
	switch f := f.(type) {
	case *core.NumberField:
		n, ok := v.(json.Number)
		if !ok {
			return typeError("a number", v)
		}
		return checkNumber(f, string(n))
	case *core.BoolField:
		if _, ok := v.(bool); !ok {
			return typeError("true or false", v)
		}
	case *core.TextField, *core.EmailField, *core.URLField, *core.EditorField, *core.PasswordField:
		if _, ok := v.(string); !ok {
			return typeError("a string", v)
		}
	case *core.DateField:
		s, ok := v.(string)
		if !ok {
			return typeError("a date string", v)
		}
		return checkDate(s)
	case *core.SelectField:
		return checkOptions(v, f.IsMultiple(), "a value")
	case *core.RelationField:
		return checkOptions(v, f.IsMultiple(), "a record id")
	case *core.FileField:
		// File names to keep or remove; the dashboard sends them as an
		// array even for single-file fields. Uploads come as file parts.
		return checkStrings(v, "a file name")
	case *core.GeoPointField:
		return checkGeoPoint(v)
	}
	// json fields take any value; autodate fields ignore what is sent;
	// unknown (plugin) field types keep PocketBase's own handling.
	return nil
}

// CheckForm reports whether the values of one multipart or urlencoded
// body key fit field f. Form values are always strings; they must read as
// the field's type the same way PocketBase will read them.
func CheckForm(f core.Field, values []string) error {
	if len(values) == 0 {
		return nil
	}
	if len(values) > 1 && !acceptsMany(f) {
		// PocketBase would keep one of them (the last) without telling.
		return validation.NewError(CodeSingleValue, fmt.Sprintf("Must be a single value, got %d.", len(values)))
	}
	for _, s := range values {
		if !utf8.ValidString(s) {
			// A JSON body cannot carry such bytes; a form body would store
			// them as they are (and a json field as invalid JSON).
			return validation.NewError(CodeInvalidType, "Must be valid UTF-8 text.")
		}
		if err := checkFormString(f, s); err != nil {
			return err
		}
	}
	return nil
}

func acceptsMany(f core.Field) bool {
	switch f := f.(type) {
	case *core.SelectField:
		return f.IsMultiple()
	case *core.RelationField:
		return f.IsMultiple()
	case *core.FileField, *core.JSONField, *core.AutodateField:
		return true
	}
	return false
}

func checkFormString(f core.Field, s string) error {
	switch f := f.(type) {
	case *core.NumberField:
		if s == "" {
			return nil // an empty input: PocketBase stores 0
		}
		if !formNumber.MatchString(s) {
			return validation.NewError(CodeInvalidType, fmt.Sprintf("Must be a number, not %q.", clip(s)))
		}
		return checkNumber(f, s)
	case *core.BoolField:
		if s == "" {
			return nil // an empty input: false
		}
		if _, err := strconv.ParseBool(s); err != nil {
			// "on" (an HTML checkbox) is not among them on purpose:
			// PocketBase would store it as false.
			return validation.NewError(CodeInvalidType, fmt.Sprintf("Must be true or false (or 1 or 0), not %q.", clip(s)))
		}
	case *core.DateField:
		return checkDate(s)
	case *core.SelectField:
		return checkOptions(s, f.IsMultiple(), "a value")
	case *core.RelationField:
		return checkOptions(s, f.IsMultiple(), "a record id")
	case *core.GeoPointField:
		return checkGeoPoint(s)
	}
	// Text-like, file name, json and autodate values are strings already.
	return nil
}

// checkNumber checks the text of a number (JSON literal or form string,
// both in formNumber's syntax).
func checkNumber(f *core.NumberField, text string) error {
	n, err := strconv.ParseFloat(text, 64)
	if err != nil || math.IsInf(n, 0) || math.IsNaN(n) {
		return validation.NewError(CodeNotANumber, "Must be a finite number.")
	}
	if f.OnlyInt {
		integer, safe := decimalInt(text)
		if !integer {
			return validation.NewError(CodeOnlyInt, "Must be an integer.")
		}
		if !safe {
			return validation.NewError(CodeUnsafeInt, fmt.Sprintf("Must be an integer between %d and %d.", -maxSafeInt, maxSafeInt))
		}
	}
	return nil
}

// decimalInt reports whether a number text denotes an integer, and whether
// its magnitude is at most maxSafeInt. It reads the decimal digits, not the
// float64: "9007199254740993" and "6755399441055744.5" both round to
// integral floats, which PocketBase's own OnlyInt check lets through.
func decimalInt(text string) (integer, safe bool) {
	s := strings.TrimPrefix(text, "-")
	mantissa, exponent, hasExp := strings.Cut(strings.ToLower(s), "e")
	whole, frac, _ := strings.Cut(mantissa, ".")
	digits := strings.TrimLeft(whole+frac, "0")
	if digits == "" {
		return true, true // zero, whatever the exponent
	}
	exp := -len(frac)
	if hasExp {
		e, err := strconv.Atoi(exponent)
		if err != nil {
			// An exponent beyond int: a huge number (already refused as
			// not finite) or a tiny fraction.
			return !strings.HasPrefix(exponent, "-"), false
		}
		exp += e
	}
	for strings.HasSuffix(digits, "0") {
		digits = digits[:len(digits)-1]
		exp++
	}
	if exp < 0 {
		return false, false
	}
	if len(digits)+exp > 16 { // 2^53 has 16 digits
		return true, false
	}
	n, err := strconv.ParseUint(digits+strings.Repeat("0", exp), 10, 64)
	return true, err == nil && n <= maxSafeInt
}

// ParseDate reads s the way PocketBase's date fields do and reports
// whether it is a date at all: PocketBase itself stores an unreadable date
// as an empty one without an error.
func ParseDate(s string) (time.Time, bool) {
	if s == "" {
		return time.Time{}, true
	}
	if t, err := time.Parse(types.DefaultDateLayout, s); err == nil {
		return t, true
	}
	t, err := cast.ToTimeE(s)
	return t, err == nil
}

func checkDate(s string) error {
	if _, ok := ParseDate(s); !ok {
		return validation.NewError(CodeInvalidDate, fmt.Sprintf("Must be a date such as 2026-01-31 18:00:00.000Z, not %q.", clip(s)))
	}
	return nil
}

// checkOptions checks select values and relation ids: one string for a
// single field, a string or an array of strings for a multiple one.
func checkOptions(v any, multiple bool, what string) error {
	if multiple {
		return checkStrings(v, what)
	}
	s, ok := v.(string)
	if !ok {
		return typeError(what+" (a string)", v)
	}
	// PocketBase reads a string holding a JSON array as that array and keeps
	// its last item for a single field: `["a","b"]` would be stored as "b".
	if strings.Contains(s, "[") && len(list.ToUniqueStringSlice(s)) > 1 {
		return validation.NewError(CodeSingleValue, "Must be a single value, not a list.")
	}
	return nil
}

// checkStrings accepts a string or an array of strings.
func checkStrings(v any, what string) error {
	switch v := v.(type) {
	case string:
		return nil
	case []any:
		for i, item := range v {
			if _, ok := item.(string); !ok {
				return validation.NewError(CodeInvalidType, fmt.Sprintf("Must be a list of strings (%s each); item %d is %s.", what, i, jsonTypeName(item)))
			}
		}
		return nil
	}
	return typeError(what+" or a list of them", v)
}

func checkGeoPoint(v any) error {
	var raw []byte
	switch v := v.(type) {
	case string:
		if v == "" {
			return nil
		}
		raw = []byte(v)
	case map[string]any:
		var err error
		if raw, err = json.Marshal(v); err != nil {
			return typeError(`a point {"lon": number, "lat": number}`, v)
		}
	default:
		return typeError(`a point {"lon": number, "lat": number}`, v)
	}
	var p struct {
		Lon *float64 `json:"lon"`
		Lat *float64 `json:"lat"`
	}
	if err := json.Unmarshal(raw, &p); err != nil || p.Lon == nil || p.Lat == nil {
		return validation.NewError(CodeInvalidType, `Must be a point {"lon": number, "lat": number}.`)
	}
	return nil
}

// clip shortens a submitted value quoted in an error message.
func clip(s string) string {
	const max = 40
	r := []rune(s)
	if len(r) <= max {
		return s
	}
	return string(r[:max]) + "…"
}
