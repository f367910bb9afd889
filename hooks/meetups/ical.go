package meetups

import (
	"strings"
	"time"
	"unicode/utf8"
)

// iCalendar (RFC 5545) writing: content lines end in CRLF and are folded
// at 75 octets; TEXT values escape backslash, semicolon, comma and
// newline; times are UTC ("Z").

const maxLineOctets = 75

// icsWriter builds an iCalendar object line by line.
type icsWriter struct{ b strings.Builder }

// line writes one content line, folded. value must already be escaped or
// formatted for its type.
func (w *icsWriter) line(name, value string) {
	w.b.WriteString(fold(name + ":" + value))
	w.b.WriteString("\r\n")
}

// text writes a TEXT property.
func (w *icsWriter) text(name, value string) { w.line(name, escapeText(value)) }

// time writes a DATE-TIME property in UTC.
func (w *icsWriter) time(name string, t time.Time) { w.line(name, icsTime(t)) }

func (w *icsWriter) String() string { return w.b.String() }

func icsTime(t time.Time) string { return t.UTC().Format("20060102T150405Z") }

// escapeText escapes a TEXT value: backslash, semicolon and comma get a
// backslash, line breaks (CRLF, CR or LF) become \n, and other control
// characters, which TEXT does not allow, are dropped, as are invalid
// UTF-8 bytes.
func escapeText(s string) string {
	s = strings.ToValidUTF8(s, "")
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '\\' || c == ';' || c == ',':
			b.WriteByte('\\')
			b.WriteByte(c)
		case c == '\r':
			if i+1 < len(s) && s[i+1] == '\n' {
				i++
			}
			b.WriteString(`\n`)
		case c == '\n':
			b.WriteString(`\n`)
		case c == '\t':
			b.WriteByte(c)
		case c < 0x20 || c == 0x7f:
			// not allowed in TEXT
		default:
			b.WriteByte(c)
		}
	}
	return b.String()
}

// fold splits a content line so that no physical line exceeds 75 octets,
// never inside a UTF-8 sequence; continuation lines start with a space
// (which counts towards their 75).
func fold(line string) string {
	if len(line) <= maxLineOctets {
		return line
	}
	var b strings.Builder
	limit := maxLineOctets
	for len(line) > limit {
		cut := limit
		for cut > 0 && !utf8.RuneStart(line[cut]) {
			cut--
		}
		b.WriteString(line[:cut])
		b.WriteString("\r\n ")
		line = line[cut:]
		limit = maxLineOctets - 1
	}
	b.WriteString(line)
	return b.String()
}
