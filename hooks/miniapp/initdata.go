package miniapp

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
)

// InitData is what a valid Mini App initData says.
type InitData struct {
	User     User
	AuthDate time.Time
	// QueryID and StartParam are passed on as Telegram sent them.
	QueryID    string
	StartParam string
}

// User is the Telegram user who opened the Mini App (initData's "user").
type User struct {
	ID           int64  `json:"id"`
	FirstName    string `json:"first_name"`
	LastName     string `json:"last_name,omitempty"`
	Username     string `json:"username,omitempty"`
	LanguageCode string `json:"language_code,omitempty"`
}

// Error is refused initData, with a reason code clients switch on.
type Error struct {
	Reason  string
	Message string
}

func (e *Error) Error() string { return "initData: " + e.Reason }

// Errors Validate answers with.
var (
	ErrMalformed = &Error{"malformed", "The Mini App data is not a Telegram initData string."}
	ErrNoHash    = &Error{"missing_hash", "The Mini App data carries no hash: it was not signed by Telegram."}
	ErrSignature = &Error{"invalid_signature", "The Mini App data does not match its hash: it was changed or not issued for this bot."}
	ErrExpired   = &Error{"expired", "The Mini App data is too old: close the Mini App and open it again from the bot."}
	ErrFuture    = &Error{"future_auth_date", "The Mini App data is dated in the future: the server's clock may be wrong."}
	ErrNoUser    = &Error{"no_user", "The Mini App data names no Telegram user."}
)

// MaxLen bounds initData; Telegram's are well under 2 kB.
const MaxLen = 8 << 10

// clockSkew is how far in the future auth_date may lie (Telegram's and
// our clocks differ a little).
const clockSkew = 5 * time.Minute

// Secret is the key initData of the bot with token is signed with:
// HMAC-SHA256 of the token keyed by "WebAppData".
func Secret(token string) []byte {
	m := hmac.New(sha256.New, []byte("WebAppData"))
	m.Write([]byte(token))
	return m.Sum(nil)
}

// DataCheckString is the text Telegram signs: every field but hash, as
// key=value with the value URL-decoded once, sorted, joined by newlines.
func DataCheckString(fields url.Values) string {
	lines := make([]string, 0, len(fields))
	for k, vs := range fields {
		if k == "hash" {
			continue
		}
		for _, v := range vs {
			lines = append(lines, k+"="+v)
		}
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// Sign returns the hash Telegram would put into initData with fields for
// the bot with token (used by tests and local tools to make initData).
func Sign(fields url.Values, token string) string {
	m := hmac.New(sha256.New, Secret(token))
	m.Write([]byte(DataCheckString(fields)))
	return hex.EncodeToString(m.Sum(nil))
}

// Validate checks raw initData for the bot with token as of now: the hash
// (compared in constant time), then the age of auth_date (at most maxAge
// old), then the user. A refused string is an *Error.
func Validate(raw, token string, maxAge time.Duration, now time.Time) (InitData, error) {
	if raw == "" || len(raw) > MaxLen {
		return InitData{}, ErrMalformed
	}
	fields, err := url.ParseQuery(raw)
	if err != nil {
		return InitData{}, ErrMalformed
	}
	for _, vs := range fields {
		// a repeated key makes the signed text ambiguous
		if len(vs) != 1 {
			return InitData{}, ErrMalformed
		}
	}
	hash := fields.Get("hash")
	if hash == "" {
		return InitData{}, ErrNoHash
	}
	got, err := hex.DecodeString(hash)
	if err != nil || len(got) != sha256.Size {
		return InitData{}, ErrSignature
	}
	m := hmac.New(sha256.New, Secret(token))
	m.Write([]byte(DataCheckString(fields)))
	if !hmac.Equal(got, m.Sum(nil)) {
		return InitData{}, ErrSignature
	}

	// signed by Telegram from here on: what follows is about its meaning
	secs, err := strconv.ParseInt(fields.Get("auth_date"), 10, 64)
	if err != nil || secs <= 0 {
		return InitData{}, ErrMalformed
	}
	d := InitData{AuthDate: time.Unix(secs, 0), QueryID: fields.Get("query_id"), StartParam: fields.Get("start_param")}
	if now.Sub(d.AuthDate) > maxAge {
		return InitData{}, ErrExpired
	}
	if d.AuthDate.Sub(now) > clockSkew {
		return InitData{}, ErrFuture
	}
	if fields.Get("user") == "" {
		return InitData{}, ErrNoUser
	}
	if err := json.Unmarshal([]byte(fields.Get("user")), &d.User); err != nil || d.User.ID <= 0 {
		return InitData{}, ErrNoUser
	}
	return d, nil
}
