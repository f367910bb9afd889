package miniapp_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"net/url"
	"strings"
	"testing"
	"time"

	"questbase/hooks/miniapp"
)

// A known vector, computed independently of this package (Python's hmac
// and hashlib over the same fields), so that Sign and Validate cannot
// agree on a wrong algorithm.
const knownHash = "2c70e61d66bcf4eb45c3488c975b31846efd864b311e33271bb6d3b18424a991"

func TestValidateKnownVector(t *testing.T) {
	const raw = "auth_date=1800000000&query_id=Q1&user=%7B%22id%22%3A42%2C%22first_name%22%3A%22Ann%22%7D&hash=" + knownHash
	d, err := miniapp.Validate(raw, "42:KNOWN", time.Hour, time.Unix(1800000060, 0))
	if err != nil {
		t.Fatal(err)
	}
	if d.User.ID != 42 || d.User.FirstName != "Ann" || d.QueryID != "Q1" || d.AuthDate.Unix() != 1800000000 {
		t.Errorf("%+v", d)
	}
}

func TestValidate(t *testing.T) {
	now := time.Now()
	valid := initData(testToken, 1001, now.Add(-time.Minute))
	fields, _ := url.ParseQuery(valid)
	with := func(edit func(url.Values)) string {
		f := url.Values{}
		for k, v := range fields {
			f[k] = append([]string(nil), v...)
		}
		edit(f)
		return f.Encode()
	}
	resign := func(edit func(url.Values)) string {
		return with(func(f url.Values) {
			edit(f)
			f.Del("hash")
			f.Set("hash", miniapp.Sign(f, testToken))
		})
	}
	cases := []struct {
		name string
		raw  string
		want *miniapp.Error // nil: accepted
	}{
		{"valid", valid, nil},
		{"upper-case hash", with(func(f url.Values) { f.Set("hash", strings.ToUpper(f.Get("hash"))) }), nil},
		{"empty", "", miniapp.ErrMalformed},
		{"not a query", "%zz", miniapp.ErrMalformed},
		{"too long", valid + "&x=" + strings.Repeat("a", miniapp.MaxLen), miniapp.ErrMalformed},
		{"no hash", with(func(f url.Values) { f.Del("hash") }), miniapp.ErrNoHash},
		{"forged hash", with(func(f url.Values) { f.Set("hash", strings.Repeat("ab", 32)) }), miniapp.ErrSignature},
		{"hash not hex", with(func(f url.Values) { f.Set("hash", "not-hex") }), miniapp.ErrSignature},
		{"short hash", with(func(f url.Values) { f.Set("hash", f.Get("hash")[:32]) }), miniapp.ErrSignature},
		{"tampered user", with(func(f url.Values) { f.Set("user", strings.Replace(f.Get("user"), "1001", "1002", 1)) }), miniapp.ErrSignature},
		{"tampered auth_date", with(func(f url.Values) { f.Set("auth_date", "9999999999") }), miniapp.ErrSignature},
		{"added field", with(func(f url.Values) { f.Set("start_param", "admin") }), miniapp.ErrSignature},
		{"removed field", with(func(f url.Values) { f.Del("query_id") }), miniapp.ErrSignature},
		{"repeated field", with(func(f url.Values) { f.Add("user", f.Get("user")) }), miniapp.ErrMalformed},
		{"another bot's token", initData("999:OTHER", 1001, now), miniapp.ErrSignature},
		{"Login Widget key", with(func(f url.Values) { f.Set("hash", loginWidgetHash(f)) }), miniapp.ErrSignature},
		{"stale", initData(testToken, 1001, now.Add(-2*time.Hour)), miniapp.ErrExpired},
		{"future", initData(testToken, 1001, now.Add(time.Hour)), miniapp.ErrFuture},
		{"slightly ahead clock", initData(testToken, 1001, now.Add(time.Minute)), nil},
		{"no auth_date", resign(func(f url.Values) { f.Del("auth_date") }), miniapp.ErrMalformed},
		{"auth_date text", resign(func(f url.Values) { f.Set("auth_date", "yesterday") }), miniapp.ErrMalformed},
		{"no user", resign(func(f url.Values) { f.Del("user") }), miniapp.ErrNoUser},
		{"user not JSON", resign(func(f url.Values) { f.Set("user", "{id:1") }), miniapp.ErrNoUser},
		{"user without id", resign(func(f url.Values) { f.Set("user", `{"first_name":"A"}`) }), miniapp.ErrNoUser},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d, err := miniapp.Validate(tc.raw, testToken, time.Hour, now)
			if tc.want == nil {
				if err != nil || d.User.ID != 1001 || d.User.Username != "anna_i" {
					t.Fatalf("refused valid data: %+v, %v", d, err)
				}
				return
			}
			if err != tc.want {
				t.Fatalf("got %v, want %v", err, tc.want)
			}
		})
	}
}

// loginWidgetHash signs like the Login Widget (key SHA256(token)), which
// a Mini App must not accept.
func loginWidgetHash(f url.Values) string {
	key := sha256.Sum256([]byte(testToken))
	m := hmac.New(sha256.New, key[:])
	m.Write([]byte(miniapp.DataCheckString(f)))
	return hex.EncodeToString(m.Sum(nil))
}

// Whatever string arrives, Validate never panics and accepts only what the
// token signed; and anything it signs, it accepts unchanged.
func FuzzValidate(f *testing.F) {
	now := time.Unix(1_800_000_000, 0)
	f.Add(initData(testToken, 1001, now), "", "")
	f.Add("hash=00&auth_date=1", "user", `{"id":1}`)
	f.Add("user=%7B%7D&&&=&hash", "auth_date", "1800000000")
	f.Add("a=1;b=2", "user", `{"id":-1}`)
	f.Fuzz(func(t *testing.T, raw, key, value string) {
		if _, err := miniapp.Validate(raw, testToken, time.Hour, now); err == nil {
			// an accepted string must carry the hash of its own fields
			fields, _ := url.ParseQuery(raw)
			if !strings.EqualFold(fields.Get("hash"), miniapp.Sign(fields, testToken)) {
				t.Fatalf("accepted %q without a matching hash", raw)
			}
		}
		// sign arbitrary fields: accepted exactly when they mean a user
		fields := url.Values{"auth_date": {"1800000000"}, "user": {`{"id":7,"first_name":"X"}`}}
		if key != "" && key != "hash" {
			fields.Set(key, value)
		}
		fields.Set("hash", miniapp.Sign(fields, testToken))
		d, err := miniapp.Validate(fields.Encode(), testToken, time.Hour, now)
		if err != nil {
			if _, ok := err.(*miniapp.Error); !ok {
				t.Fatalf("not an *Error: %v", err)
			}
			if key != "auth_date" && key != "user" && len(fields.Encode()) <= miniapp.MaxLen {
				t.Fatalf("signed data with %s=%q refused: %v", key, value, err)
			}
			return
		}
		if key != "user" && d.User.ID != 7 {
			t.Fatalf("user changed: %+v", d.User)
		}
		// and one flipped byte of the hash refuses it
		h := []byte(fields.Get("hash"))
		h[len(h)/2] ^= 1
		fields.Set("hash", string(h))
		if _, err := miniapp.Validate(fields.Encode(), testToken, time.Hour, now); err == nil {
			t.Fatal("a flipped hash byte was accepted")
		}
	})
}
