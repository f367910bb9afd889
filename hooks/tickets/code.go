package tickets

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base32"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind is what a ticket names.
type Kind string

// Kinds of tickets.
const (
	// Registration tickets let their holder into a meetup.
	Registration Kind = "registration"
	// Enrollment tickets mark attendance at a course session.
	Enrollment Kind = "enrollment"
)

// Window is how long a rotating code stays current by default
// (QB_TICKET_WINDOW changes it); Verify accepts the current and the
// previous window, so a code lives 30 to 60 seconds.
const Window = 30 * time.Second

// Errors Verify answers with. Each has a stable reason code for clients.
var (
	ErrMalformed = &Error{Reason: "malformed", Message: "This is not a ticket code."}
	ErrSignature = &Error{Reason: "invalid_signature", Message: "The ticket's signature does not match: it was not issued here or was mistyped."}
	ErrExpired   = &Error{Reason: "expired", Message: "This live ticket code has expired; ask for the ticket on screen."}
)

// Error is a refused code with a reason code clients switch on.
type Error struct {
	Reason  string
	Message string
}

func (e *Error) Error() string { return "ticket: " + e.Reason }

// Ticket is what a valid code names.
type Ticket struct {
	Kind Kind
	ID   string
	// Rotating is set for live codes from the Mini App, which change every Window.
	Rotating bool
}

// Layout of a code, all in QR alphanumeric characters (upper case letters
// and digits) so that the QR image stays small and a typed code is case
// insensitive:
//
//	static:   K 'S' id mac
//	rotating: K 'L' id window mac
//
// K is 'R' (registration) or 'E' (enrollment); id is the record id (lower
// case letters and digits in PocketBase, upper-cased here); window is the
// 30-second window number as 8 hex digits; mac is HMAC-SHA256 over all of
// it, truncated to 128 bits, in base32 (26 characters). The code names a
// record and nothing else: no personal data, and since the MAC covers the
// kind and the id, it cannot be turned into another record's code.
const (
	macLen    = 26
	windowLen = 8
	maxIDLen  = 64
	formFixed = 'S'
	formLive  = 'L'
)

var kindLetters = map[Kind]byte{Registration: 'R', Enrollment: 'E'}

var macEncoding = base32.StdEncoding.WithPadding(base32.NoPadding)

// codec signs and checks codes with one key. window is the rotation
// period in whole seconds; zero means Window.
type codec struct {
	key    []byte
	window time.Duration
}

func (c codec) period() time.Duration {
	if c.window < time.Second {
		return Window
	}
	return c.window
}

func (c codec) mac(kindLetter, form byte, id, window string) string {
	h := hmac.New(sha256.New, c.key)
	fmt.Fprintf(h, "questbase-ticket/1\x00%c%c\x00%s\x00%s", kindLetter, form, id, window)
	return macEncoding.EncodeToString(h.Sum(nil)[:16])
}

func (c codec) sign(kind Kind, id string) (string, error) {
	k, err := letter(kind, id)
	if err != nil {
		return "", err
	}
	up := strings.ToUpper(id)
	return string([]byte{k, formFixed}) + up + c.mac(k, formFixed, up, ""), nil
}

func (c codec) rotating(kind Kind, id string, t time.Time) (string, error) {
	k, err := letter(kind, id)
	if err != nil {
		return "", err
	}
	up := strings.ToUpper(id)
	w := c.windowOf(t)
	return string([]byte{k, formLive}) + up + w + c.mac(k, formLive, up, w), nil
}

func letter(kind Kind, id string) (byte, error) {
	k, ok := kindLetters[kind]
	if !ok {
		return 0, fmt.Errorf("ticket: unknown kind %q", kind)
	}
	if id == "" || len(id) > maxIDLen || !isID(id, false) {
		return 0, fmt.Errorf("ticket: %q is not a record id", id)
	}
	return k, nil
}

func (c codec) windowOf(t time.Time) string {
	return fmt.Sprintf("%08X", uint32(t.Unix()/int64(c.period()/time.Second)))
}

// verify checks code as of now. It tolerates what people do when typing a
// code: lower case, spaces and dashes.
func (c codec) verify(code string, now time.Time) (Ticket, error) {
	code = normalize(code)
	if len(code) < 3+macLen || len(code) > 2+maxIDLen+windowLen+macLen {
		return Ticket{}, ErrMalformed
	}
	var kind Kind
	for k, l := range kindLetters {
		if code[0] == l {
			kind = k
		}
	}
	form := code[1]
	body, mac := code[2:len(code)-macLen], code[len(code)-macLen:]
	if kind == "" || (form != formFixed && form != formLive) || !isBase32(mac) {
		return Ticket{}, ErrMalformed
	}
	id, window := body, ""
	if form == formLive {
		if len(body) < 1+windowLen {
			return Ticket{}, ErrMalformed
		}
		id, window = body[:len(body)-windowLen], body[len(body)-windowLen:]
		if _, err := strconv.ParseUint(window, 16, 32); err != nil || strings.ToUpper(window) != window {
			return Ticket{}, ErrMalformed
		}
	}
	if !isID(id, true) {
		return Ticket{}, ErrMalformed
	}
	if !hmac.Equal([]byte(mac), []byte(c.mac(code[0], form, id, window))) {
		return Ticket{}, ErrSignature
	}
	t := Ticket{Kind: kind, ID: strings.ToLower(id), Rotating: form == formLive}
	if t.Rotating && window != c.windowOf(now) && window != c.windowOf(now.Add(-c.period())) {
		return Ticket{}, ErrExpired
	}
	return t, nil
}

// normalize upper-cases a code and drops whitespace and dashes.
func normalize(code string) string {
	if len(code) > 4*(2+maxIDLen+windowLen+macLen) {
		return code // too long to be a code; verify refuses it by length
	}
	var b strings.Builder
	for _, r := range code {
		switch {
		case r == ' ' || r == '\t' || r == '\n' || r == '\r' || r == '-':
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// isID reports whether s is a PocketBase record id: lower case letters and
// digits (upper case ones in a code).
func isID(s string, upper bool) bool {
	if s == "" {
		return false
	}
	lo, hi := byte('a'), byte('z')
	if upper {
		lo, hi = 'A', 'Z'
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= lo && c <= hi) && !(c >= '0' && c <= '9') {
			return false
		}
	}
	return true
}

func isBase32(s string) bool {
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z') && !(c >= '2' && c <= '7') {
			return false
		}
	}
	return true
}

// ReasonOf returns the reason code of a Verify error, or "" for others.
func ReasonOf(err error) string {
	var te *Error
	if errors.As(err, &te) {
		return te.Reason
	}
	return ""
}
