package i18n_test

import (
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
