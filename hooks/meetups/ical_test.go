package meetups

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// unfold and unescape read what fold and escapeText wrote, as a calendar
// client does (RFC 5545 3.1 and 3.3.11).
func unfold(s string) string { return strings.ReplaceAll(s, "\r\n ", "") }

func unescape(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '\\' && i+1 < len(s) {
			i++
			switch s[i] {
			case 'n', 'N':
				b.WriteByte('\n')
			default:
				b.WriteByte(s[i])
			}
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// sanitize is what a TEXT value can carry of s: valid UTF-8, line breaks
// as \n, no control characters but tab.
func sanitize(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.ReplaceAll(s, "\r\n", "\n")
	s = strings.ReplaceAll(s, "\r", "\n")
	return strings.Map(func(r rune) rune {
		if (r < 0x20 && r != '\n' && r != '\t') || r == 0x7f {
			return -1
		}
		return r
	}, s)
}

func checkLine(t *testing.T, name, value string) {
	t.Helper()
	line := fold(name + ":" + escapeText(value))
	for _, phys := range strings.Split(line, "\r\n") {
		if len(phys) > maxLineOctets {
			t.Fatalf("physical line of %d octets: %q", len(phys), phys)
		}
		if !utf8.ValidString(phys) {
			t.Fatalf("fold split a character: %q", phys)
		}
		if strings.ContainsAny(phys, "\r\n") {
			t.Fatalf("bare line break in %q", phys)
		}
	}
	for i, phys := range strings.Split(line, "\r\n") {
		if i > 0 && !strings.HasPrefix(phys, " ") {
			t.Fatalf("continuation line without a leading space: %q", phys)
		}
	}
	got, ok := strings.CutPrefix(unfold(line), name+":")
	if !ok {
		t.Fatalf("lost the property name: %q", line)
	}
	if want := sanitize(value); unescape(got) != want {
		t.Fatalf("round trip of %q gave %q, want %q", value, unescape(got), want)
	}
	// every ; and , inside the value is escaped, so a parser cannot split it
	for i := 0; i < len(got); i++ {
		if got[i] == '\\' {
			i++
			continue
		}
		if got[i] == ';' || got[i] == ',' {
			t.Fatalf("unescaped %q in %q", got[i], got)
		}
	}
}

func TestEscapeAndFold(t *testing.T) {
	for _, v := range []string{
		"", "plain", `a\b;c,d`, "line\r\nbreak\rand\nmore", "tab\there", "bell\x07 and del\x7f",
		strings.Repeat("ж", 100), strings.Repeat("a", 74), strings.Repeat("a", 75), strings.Repeat("🙂", 40),
		"ends with backslash\\", "\xff\xfe invalid", strings.Repeat(`\;,`, 40),
	} {
		checkLine(t, "DESCRIPTION", v)
	}
}

// FuzzEscapeText: any value survives escaping and folding: lines stay
// within 75 octets without splitting a character, and a client reading it
// back gets the value (minus what TEXT cannot carry).
func FuzzEscapeText(f *testing.F) {
	for _, s := range []string{"", "a,b;c\\d", "x\r\ny", strings.Repeat("ю", 60), "\x00\x1f\t"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		checkLine(t, "SUMMARY", s)
	})
}
