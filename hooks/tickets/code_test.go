package tickets

import (
	"strings"
	"testing"
	"time"
)

var testCodec = codec{key: []byte("test-key")}

func TestStaticCodeRoundTrip(t *testing.T) {
	for _, kind := range []Kind{Registration, Enrollment} {
		code, err := testCodec.sign(kind, "abc123def456ghi")
		if err != nil {
			t.Fatal(err)
		}
		if len(code) != 2+15+macLen {
			t.Errorf("%s code %q: %d characters, want %d", kind, code, len(code), 2+15+macLen)
		}
		if strings.Trim(code, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789") != "" {
			t.Errorf("code %q leaves the QR alphanumeric set", code)
		}
		got, err := testCodec.verify(code, time.Now())
		if err != nil || got != (Ticket{Kind: kind, ID: "abc123def456ghi"}) {
			t.Errorf("verify(%q) = %+v, %v", code, got, err)
		}
		// typed by hand: lower case, spaces and dashes
		typed := strings.ToLower(code[:10]) + " - " + code[10:20] + "\n" + code[20:]
		if got, err := testCodec.verify(typed, time.Now()); err != nil || got.ID != "abc123def456ghi" {
			t.Errorf("typed %q: %+v, %v", typed, got, err)
		}
	}
}

// A code cannot be made to name another record, another kind of record,
// or be issued without the key; every single-character change is caught.
func TestCodesCannotBeForgedOrMoved(t *testing.T) {
	code, _ := testCodec.sign(Registration, "aaaaaaaaaaaaaaa")
	other, _ := testCodec.sign(Registration, "aaaaaaaaaaaaaab")
	cases := map[string]string{
		"another id, same mac":      code[:len(code)-macLen-1] + "B" + code[len(code)-macLen:],
		"another kind":              "E" + code[1:],
		"mac of another ticket":     code[:len(code)-macLen] + other[len(other)-macLen:],
		"signed with another key":   func() string { c, _ := codec{key: []byte("other")}.sign(Registration, "aaaaaaaaaaaaaaa"); return c }(),
		"live form of a static mac": code[:1] + "L" + code[2:len(code)-macLen] + testCodec.windowOf(time.Now()) + code[len(code)-macLen:],
	}
	for name, forged := range cases {
		if _, err := testCodec.verify(forged, time.Now()); err == nil {
			t.Errorf("%s: %q accepted", name, forged)
		}
	}
	alphabet := "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567"
	for i := range code {
		for _, c := range alphabet[:4] + "0" {
			if byte(c) == code[i] {
				continue
			}
			mutated := code[:i] + string(c) + code[i+1:]
			if _, err := testCodec.verify(mutated, time.Now()); err == nil {
				t.Errorf("changed character %d: %q accepted", i, mutated)
			}
		}
	}
}

func TestMalformedCodes(t *testing.T) {
	valid, _ := testCodec.sign(Registration, "abc")
	for _, code := range []string{"", "R", "RS", "hello world", valid[:len(valid)-1], "XS" + valid[2:], "RX" + valid[2:],
		"RSabc!" + valid[5:], strings.Repeat("A", 500), "RS" + strings.Repeat("1", 26)} {
		_, err := testCodec.verify(code, time.Now())
		if ReasonOf(err) != "malformed" && ReasonOf(err) != "invalid_signature" {
			t.Errorf("verify(%q): %v, want malformed or invalid_signature", code, err)
		}
	}
	if _, err := testCodec.verify("RS"+strings.Repeat("1", 26), time.Now()); ReasonOf(err) != "malformed" {
		t.Errorf("a code with no id: %v", err)
	}
}

// A rotating code works in its window and the next one, so a screenshot
// stops working within a minute; it names the same record as the static
// code and says it is rotating.
func TestRotatingCodeExpires(t *testing.T) {
	t0 := time.Date(2030, 1, 15, 18, 0, 10, 0, time.UTC)
	code, err := testCodec.rotating(Enrollment, "xyz", t0)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		after time.Duration
		ok    bool
	}{{0, true}, {19 * time.Second, true}, {20 * time.Second, true}, {49 * time.Second, true}, {50 * time.Second, false}, {time.Hour, false}, {-time.Minute, false}} {
		got, err := testCodec.verify(code, t0.Add(c.after))
		switch {
		case c.ok && (err != nil || got != Ticket{Kind: Enrollment, ID: "xyz", Rotating: true}):
			t.Errorf("after %s: %+v, %v", c.after, got, err)
		case !c.ok && ReasonOf(err) != "expired":
			t.Errorf("after %s: %v, want expired", c.after, err)
		}
	}
	next, _ := testCodec.rotating(Enrollment, "xyz", t0.Add(Window))
	if next == code {
		t.Error("the code did not change with the window")
	}
	// the window is signed: an old code cannot be brought forward
	forged := code[:len(code)-macLen-windowLen] + testCodec.windowOf(t0.Add(time.Hour)) + code[len(code)-macLen:]
	if _, err := testCodec.verify(forged, t0.Add(time.Hour)); ReasonOf(err) != "invalid_signature" {
		t.Errorf("moved window: %v", err)
	}
}

func TestSignRefusesNonIDs(t *testing.T) {
	for _, id := range []string{"", "ABC", "a-b", strings.Repeat("a", 65), "ид"} {
		if _, err := testCodec.sign(Registration, id); err == nil {
			t.Errorf("sign(%q) accepted", id)
		}
	}
	if _, err := testCodec.sign("quiz", "abc"); err == nil {
		t.Error("unknown kind accepted")
	}
}

// FuzzVerify: no input panics, and any accepted input is a genuine code
// (it names what signing that record gives, in the same form).
func FuzzVerify(f *testing.F) {
	now := time.Date(2030, 1, 15, 18, 0, 0, 0, time.UTC)
	s, _ := testCodec.sign(Registration, "abc123def456ghi")
	r, _ := testCodec.rotating(Enrollment, "abc123def456ghi", now)
	for _, seed := range []string{s, r, strings.ToLower(s), "RS", "", "RL00000000", s + "A", "  " + r + "-"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, code string) {
		got, err := testCodec.verify(code, now)
		if err != nil {
			if ReasonOf(err) == "" {
				t.Fatalf("verify(%q): error without a reason: %v", code, err)
			}
			return
		}
		var want string
		if got.Rotating {
			want, err = testCodec.rotating(got.Kind, got.ID, now)
			if err == nil && normalize(code) != want {
				// the previous window's code is also accepted
				want, err = testCodec.rotating(got.Kind, got.ID, now.Add(-Window))
			}
		} else {
			want, err = testCodec.sign(got.Kind, got.ID)
		}
		if err != nil || normalize(code) != want {
			t.Fatalf("verify accepted %q as %+v; the genuine code is %q (%v)", code, got, want, err)
		}
	})
}

// A shorter window (QB_TICKET_WINDOW) shortens a live code's life to
// between one and two windows; static codes are the same whatever the
// window.
func TestRotatingWindowIsConfigurable(t *testing.T) {
	short := codec{key: testCodec.key, window: 7 * time.Second}
	t0 := time.Unix(1_800_000_003, 0) // not on a window boundary of 7 s
	code, err := short.rotating(Registration, "abc", t0)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Unix(t0.Unix()/7*7, 0)
	for _, c := range []struct {
		at time.Time
		ok bool
	}{{start, true}, {start.Add(13 * time.Second), true}, {start.Add(14 * time.Second), false}, {start.Add(-time.Second), false}} {
		_, err := short.verify(code, c.at)
		if c.ok != (err == nil) {
			t.Errorf("at window start %+ds: %v, want ok=%v", c.at.Unix()-start.Unix(), err, c.ok)
		}
	}
	if next, _ := short.rotating(Registration, "abc", start.Add(7*time.Second)); next == code {
		t.Error("the code did not change after 7 s")
	}
	a, _ := short.sign(Registration, "abc")
	b, _ := testCodec.sign(Registration, "abc")
	if a != b {
		t.Errorf("static codes differ by window: %s %s", a, b)
	}
}
