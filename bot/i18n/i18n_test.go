package i18n_test

import (
	"regexp"
	"strings"
	"testing"

	"questbase/bot/i18n"
)

// English for English Telegram users, Russian for everyone else.
func TestLang(t *testing.T) {
	for code, want := range map[string]string{"en": "en", "en-US": "en", "EN_gb": "en", "ru": "ru", "uk": "ru", "": "ru", "english": "ru"} {
		if got := i18n.Lang(code); got != want {
			t.Errorf("Lang(%q) = %q, want %q", code, got, want)
		}
	}
}

// Russian plural forms follow the number: 1 балл, 2 балла, 5 баллов,
// 11 баллов, 21 балл, 22 балла, 111 баллов.
func TestPlural(t *testing.T) {
	for n, want := range map[int]string{1: "балл", 2: "балла", 4: "балла", 5: "баллов", 11: "баллов", 12: "баллов", 21: "балл", 22: "балла", 111: "баллов", 0: "баллов"} {
		got := i18n.T("ru", "notify.points", map[string]any{"amount": float64(n), "balance": float64(n)})
		if !strings.Contains(got, " "+want+" ") && !strings.Contains(got, " "+want+".") {
			t.Errorf("%d: %q lacks %q", n, got, want)
		}
	}
}

// Every text renders in both languages without template residue, even
// with no data at all.
func TestEveryTextRenders(t *testing.T) {
	for _, key := range i18n.Keys() {
		for _, lang := range []string{"ru", "en"} {
			got := i18n.T(lang, key, nil)
			if got == "" || strings.Contains(got, "{{") || strings.Contains(got, "<no value>") {
				t.Errorf("%s/%s: %q", key, lang, got)
			}
		}
	}
	if i18n.T("ru", "no.such.key", nil) != "no.such.key" {
		t.Error("an unknown key renders as itself")
	}
}

// The Mini App renders its texts itself with a plain substitution: its
// keys may use {{.name}} placeholders and nothing else of templates.
func TestMiniAppTextsArePlain(t *testing.T) {
	placeholder := regexp.MustCompile(`\{\{\.[a-z_]+\}\}`)
	for _, lang := range []string{i18n.RU, i18n.EN} {
		got := i18n.Texts(lang, "miniapp.")
		if len(got) < 30 {
			t.Fatalf("%s: only %d Mini App texts", lang, len(got))
		}
		for key, text := range got {
			if rest := placeholder.ReplaceAllString(text, ""); strings.Contains(rest, "{{") || strings.Contains(rest, "}}") {
				t.Errorf("%s/%s uses more than {{.name}}: %q", key, lang, text)
			}
		}
	}
	if i18n.Texts(i18n.EN, "miniapp.")["miniapp.tabs.top"] != "Leaderboard" || i18n.Texts("xx", "miniapp.")["miniapp.tabs.top"] != "Рейтинг" {
		t.Error("Texts does not pick the language")
	}
}
