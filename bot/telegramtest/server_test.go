package telegramtest_test

import (
	"bytes"
	"encoding/json"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"questbase/bot/telegramtest"
)

type envelope struct {
	OK          bool            `json:"ok"`
	Result      json.RawMessage `json:"result"`
	ErrorCode   int             `json:"error_code"`
	Description string          `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

func call(t *testing.T, s *telegramtest.Server, method, contentType string, body io.Reader) (int, envelope) {
	t.Helper()
	res, err := http.Post(s.URL+"/bot"+s.Token+"/"+method, contentType, body)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var env envelope
	if err := json.NewDecoder(res.Body).Decode(&env); err != nil {
		t.Fatal(err)
	}
	return res.StatusCode, env
}

func form(t *testing.T, s *telegramtest.Server, method string, v url.Values) (int, envelope) {
	return call(t, s, method, "application/x-www-form-urlencoded", strings.NewReader(v.Encode()))
}

// The three body encodings reach the same parameters; errors carry the
// HTTP status of their error_code.
func TestBodiesAndErrors(t *testing.T) {
	s := telegramtest.New(t)
	if code, env := form(t, s, "sendMessage", url.Values{"chat_id": {"5"}, "text": {"form"}}); code != 200 || !env.OK {
		t.Fatalf("urlencoded: %d %+v", code, env)
	}
	if code, _ := call(t, s, "sendMessage", "application/json", strings.NewReader(`{"chat_id":5,"text":"json","reply_markup":{"inline_keyboard":[[{"text":"a","callback_data":"b"}]]}}`)); code != 200 {
		t.Fatalf("json: %d", code)
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	mw.WriteField("chat_id", "5")
	mw.WriteField("caption", "multipart")
	fw, _ := mw.CreateFormFile("photo", "p.png")
	fw.Write([]byte("PNGDATA"))
	mw.Close()
	code, env := call(t, s, "sendPhoto", mw.FormDataContentType(), &buf)
	if code != 200 {
		t.Fatalf("multipart: %d %+v", code, env)
	}
	msgs := s.Messages(5)
	if len(msgs) != 3 || msgs[0].Text() != "form" || msgs[1].Text() != "json" || msgs[2].Text() != "multipart" ||
		!strings.Contains(msgs[1].Params["reply_markup"], `"callback_data":"b"`) || string(msgs[2].Files["photo"].Bytes) != "PNGDATA" {
		t.Fatalf("recorded: %+v", msgs)
	}
	// the uploaded photo is a file: getFile and download give its bytes back
	var m struct {
		Photo []struct {
			FileID string `json:"file_id"`
		} `json:"photo"`
	}
	json.Unmarshal(env.Result, &m)
	_, env = form(t, s, "getFile", url.Values{"file_id": {m.Photo[0].FileID}})
	var f struct {
		Path string `json:"file_path"`
	}
	json.Unmarshal(env.Result, &f)
	res, err := http.Get(s.URL + "/file/bot" + s.Token + "/" + f.Path)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if string(data) != "PNGDATA" {
		t.Fatalf("download: %q", data)
	}

	for _, tc := range []struct {
		method string
		v      url.Values
		code   int
	}{
		{"sendMessage", url.Values{"chat_id": {"5"}}, 400},
		{"noSuchMethod", nil, 404},
		{"getFile", url.Values{"file_id": {"nope"}}, 400},
	} {
		if code, env := form(t, s, tc.method, tc.v); code != tc.code || env.OK || env.ErrorCode != tc.code || env.Description == "" {
			t.Errorf("%s: %d %+v", tc.method, code, env)
		}
	}
	res, _ = http.Post(s.URL+"/botWRONG/getMe", "", nil)
	if res.StatusCode != 401 {
		t.Errorf("wrong token: %d", res.StatusCode)
	}
	res.Body.Close()
}

// getUpdates holds until an update arrives, and an offset confirms the
// earlier ones.
func TestLongPoll(t *testing.T) {
	s := telegramtest.New(t)
	got := make(chan []json.RawMessage, 1)
	start := time.Now()
	go func() {
		_, env := form(t, s, "getUpdates", url.Values{"timeout": {"5"}})
		var ups []json.RawMessage
		json.Unmarshal(env.Result, &ups)
		got <- ups
	}()
	time.Sleep(300 * time.Millisecond)
	id := s.Text(telegramtest.User{ID: 1, FirstName: "A"}, "/start")
	ups := <-got
	if len(ups) != 1 || time.Since(start) < 300*time.Millisecond || time.Since(start) > 4*time.Second {
		t.Fatalf("long poll returned %d after %s", len(ups), time.Since(start))
	}
	s.Text(telegramtest.User{ID: 1, FirstName: "A"}, "second")
	_, env := form(t, s, "getUpdates", url.Values{"offset": {"1"}})
	json.Unmarshal(env.Result, &ups)
	if len(ups) != 2 {
		t.Fatalf("unconfirmed updates are redelivered: %d", len(ups))
	}
	_, env = form(t, s, "getUpdates", url.Values{"offset": {jsonInt(id + 1)}})
	json.Unmarshal(env.Result, &ups)
	if len(ups) != 1 || s.PendingUpdates() != 1 {
		t.Fatalf("offset confirms earlier updates: %d, pending %d", len(ups), s.PendingUpdates())
	}
	start = time.Now()
	_, env = form(t, s, "getUpdates", url.Values{"offset": {jsonInt(id + 2)}, "timeout": {"1"}})
	json.Unmarshal(env.Result, &ups)
	if len(ups) != 0 || time.Since(start) < 900*time.Millisecond {
		t.Fatalf("empty poll: %d after %s", len(ups), time.Since(start))
	}
}

func jsonInt(n int64) string { b, _ := json.Marshal(n); return string(b) }

// After a 429 with retry_after, every message call gets 429 until the
// pause ends, and is marked as made during the pause; a rate limit answers
// 429 beyond it; blocked chats get 403.
func TestInjectedFaults(t *testing.T) {
	s := telegramtest.New(t)
	s.FailNext("sendMessage", telegramtest.TooManyRequests(1))
	msg := url.Values{"chat_id": {"7"}, "text": {"x"}}
	if code, env := form(t, s, "sendMessage", msg); code != 429 || env.Parameters.RetryAfter != 1 {
		t.Fatalf("429: %d %+v", code, env)
	}
	if code, _ := form(t, s, "sendMessage", msg); code != 429 {
		t.Fatalf("during the pause: %d", code)
	}
	if calls := s.Calls("sendMessage"); calls[0].InPause || !calls[1].InPause {
		t.Fatalf("pause marks: %v %v", calls[0].InPause, calls[1].InPause)
	}
	time.Sleep(1100 * time.Millisecond)
	if code, _ := form(t, s, "sendMessage", msg); code != 200 {
		t.Fatalf("after the pause: %d", code)
	}
	s.Block(8, true)
	if code, env := form(t, s, "sendMessage", url.Values{"chat_id": {"8"}, "text": {"x"}}); code != 403 || env.Description != "Forbidden: user is deactivated" {
		t.Fatalf("blocked: %d %+v", code, env)
	}
	s.SetRateLimit(10)
	limited := 0
	for range 20 {
		if code, _ := form(t, s, "sendMessage", msg); code == 429 {
			limited++
		}
	}
	if limited == 0 {
		t.Fatal("rate limit never answered 429")
	}
}
