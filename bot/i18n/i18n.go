// Package i18n holds every text students see — the bot's and the Mini
// App's — in Russian (the default) and English, and renders them. The
// texts themselves are in texts.go.
package i18n

import (
	"fmt"
	"math"
	"strings"
	"text/template"
)

// Languages the catalogue speaks; the first is the default.
const (
	RU = "ru"
	EN = "en"
)

// Lang is the catalogue language for a Telegram language_code or a
// users.language value: English for "en", "en-US", ...; Russian otherwise.
func Lang(code string) string {
	code = strings.ToLower(strings.TrimSpace(code))
	if code == EN || strings.HasPrefix(code, EN+"-") || strings.HasPrefix(code, EN+"_") {
		return EN
	}
	return RU
}

var parsed = map[string]map[string]*template.Template{}

func init() {
	for key, byLang := range texts {
		if byLang[RU] == "" || byLang[EN] == "" {
			panic(fmt.Sprintf("i18n: %q lacks a Russian or English text", key))
		}
		parsed[key] = map[string]*template.Template{}
		for lang, text := range byLang {
			tmpl, err := template.New(key).Funcs(template.FuncMap{"plural": plural, "gt": gt}).
				Option("missingkey=zero").Parse(text)
			if err != nil {
				panic(fmt.Sprintf("i18n: %s/%s: %v", key, lang, err))
			}
			parsed[key][lang] = tmpl
		}
	}
}

// Has reports whether the catalogue has key.
func Has(key string) bool { _, ok := parsed[key]; return ok }

// Keys lists the catalogue's keys.
func Keys() []string {
	out := make([]string, 0, len(texts))
	for k := range texts {
		out = append(out, k)
	}
	return out
}

// Texts returns the raw texts of the keys starting with prefix in lang
// (Russian for any other language), for a client that renders them
// itself (the Mini App).
func Texts(lang, prefix string) map[string]string {
	lang = Lang(lang)
	out := map[string]string{}
	for key, byLang := range texts {
		if strings.HasPrefix(key, prefix) {
			out[key] = byLang[lang]
		}
	}
	return out
}

// T renders key in lang with data (nil for none). An unknown key renders
// as itself, so a missing text shows up in tests rather than as silence.
func T(lang, key string, data map[string]any) string {
	byLang, ok := parsed[key]
	if !ok {
		return key
	}
	tmpl, ok := byLang[Lang(lang)]
	if !ok {
		tmpl = byLang[RU]
	}
	var b strings.Builder
	// On an error (data of a shape no text expects) what rendered so far
	// is kept: a partial text beats none.
	_ = tmpl.Execute(&b, normalize(data))
	return strings.TrimSpace(strings.ReplaceAll(b.String(), "<no value>", ""))
}

// gt replaces the template builtin: a missing or non-numeric value counts
// as 0 instead of stopping the text.
func gt(a, b any) bool { return number(a) > number(b) }

func number(v any) float64 {
	switch x := v.(type) {
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case float64:
		return x
	}
	return 0
}

// normalize turns whole float64s (as JSON decodes numbers) into int64s,
// so that templates compare them with integer literals.
func normalize(data map[string]any) map[string]any {
	out := make(map[string]any, len(data))
	for k, v := range data {
		if f, ok := v.(float64); ok && f == math.Trunc(f) && math.Abs(f) < 1e15 {
			v = int64(f)
		}
		out[k] = v
	}
	return out
}

// plural picks the word form for n: three forms (one, few, many) for
// Russian, two (one, other) for English.
func plural(n any, forms ...string) string {
	v := int64(number(n))
	if v < 0 {
		v = -v
	}
	switch len(forms) {
	case 2:
		if v == 1 {
			return forms[0]
		}
		return forms[1]
	case 3:
		switch {
		case v%10 == 1 && v%100 != 11:
			return forms[0]
		case v%10 >= 2 && v%10 <= 4 && (v%100 < 12 || v%100 > 14):
			return forms[1]
		default:
			return forms[2]
		}
	}
	return ""
}
