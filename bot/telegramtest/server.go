// Package telegramtest is a fake Telegram Bot API server for tests. It
// speaks the real HTTP protocol (routes /bot<token>/<method>, urlencoded,
// multipart and JSON bodies, the {"ok": ...} envelope with the HTTP status
// equal to error_code, getUpdates long polling with offsets, file
// downloads), records every call, lets a test push updates, and injects
// errors on demand: 429 with retry_after, 403 for blocked or deactivated
// users, 400 for unknown chats, 5xx, slow replies and a rate limit.
//
// Like Telegram, after answering a 429 with retry_after N it answers every
// message call with 429 for N seconds, and marks such calls InPause: a
// client that honours retry_after makes none.
package telegramtest

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/time/rate"
)

// Token is the bot token the fake accepts unless New is given another.
const Token = "123456:TEST-token"

// Bot is the fake bot's own account.
var Bot = User{ID: 123456, FirstName: "Questbase", Username: "questbase_test_bot"}

// Server is a running fake Bot API.
type Server struct {
	// URL is the API base URL (QB_TELEGRAM_API_URL); Token the bot token.
	URL   string
	Token string

	srv *httptest.Server

	mu      sync.Mutex
	changed chan struct{} // closed and replaced whenever updates or calls change
	calls   []Call

	updates    []queued
	nextUpdate int64
	nextMsg    int
	nextFile   int
	nextPoll   int
	nextCB     int
	files      map[string]*file // by file_id
	paths      map[string]*file // by file_path
	polls      map[string]Poll

	blocked map[int64]string // chat → 403 description
	unknown map[int64]bool   // chat → 400 chat not found
	queue   map[string][]Fault
	inject  func(Call) *Fault
	delay   time.Duration
	limiter *rate.Limiter
	pause   time.Time
	n429    int

	webhook   Webhook
	commands  map[string][]map[string]string
	menu      json.RawMessage
	getMeDown bool
}

// Call is one recorded request.
type Call struct {
	Method string
	Params map[string]string
	Files  map[string]Upload
	// ChatID is the chat_id parameter, if any.
	ChatID int64
	// At is when the request arrived.
	At time.Time
	// Status is the HTTP status answered (200 or the error_code).
	Status int
	// InPause: the call arrived during a 429 pause the fake had announced.
	InPause bool
	// MessageID of a message the call created.
	MessageID int
}

// Text is the text or caption the call sent.
func (c Call) Text() string {
	if t, ok := c.Params["text"]; ok {
		return t
	}
	if t, ok := c.Params["caption"]; ok {
		return t
	}
	return c.Params["question"]
}

// Upload is a file part of a multipart request.
type Upload struct {
	Name  string
	Bytes []byte
}

// Webhook is what setWebhook configured.
type Webhook struct {
	URL            string
	Secret         string
	AllowedUpdates string
	MaxConnections string
}

// Poll is a poll the bot sent.
type Poll struct {
	ID       string
	ChatID   int64
	Question string
	Options  []string
}

type queued struct {
	id  int64
	raw json.RawMessage
}

type file struct {
	id, unique, path string
	data             []byte
}

// New starts a fake server, closed when the test ends.
func New(tb testing.TB) *Server {
	s := NewServer(Token)
	tb.Cleanup(s.Close)
	return s
}

// NewServer starts a fake server accepting token; Close it when done.
func NewServer(token string) *Server {
	s := &Server{
		Token:      token,
		changed:    make(chan struct{}),
		nextUpdate: 1000,
		files:      map[string]*file{},
		paths:      map[string]*file{},
		polls:      map[string]Poll{},
		blocked:    map[int64]string{},
		unknown:    map[int64]bool{},
		queue:      map[string][]Fault{},
		commands:   map[string][]map[string]string{},
	}
	s.srv = httptest.NewServer(http.HandlerFunc(s.serveHTTP))
	s.URL = s.srv.URL
	return s
}

// Close stops the server; held long polls return.
func (s *Server) Close() {
	s.srv.CloseClientConnections()
	s.srv.Close()
}

// notify wakes long polls and waiters. Call with s.mu held.
func (s *Server) notify() {
	close(s.changed)
	s.changed = make(chan struct{})
}

// Fault is an injected error or delay.
type Fault struct {
	Code        int
	Description string
	// RetryAfter (seconds) goes with 429.
	RetryAfter int
	// Delay is waited before answering (with Code 0: a slow success).
	Delay time.Duration
}

// Ready-made faults, worded as Telegram words them.
func TooManyRequests(seconds int) Fault {
	return Fault{Code: 429, Description: fmt.Sprintf("Too Many Requests: retry after %d", seconds), RetryAfter: seconds}
}

var (
	BotBlocked       = Fault{Code: 403, Description: "Forbidden: bot was blocked by the user"}
	UserDeactivated  = Fault{Code: 403, Description: "Forbidden: user is deactivated"}
	ChatNotFound     = Fault{Code: 400, Description: "Bad Request: chat not found"}
	InternalError    = Fault{Code: 500, Description: "Internal Server Error"}
	BadGateway       = Fault{Code: 502, Description: "Bad Gateway"}
	Slow             = func(d time.Duration) Fault { return Fault{Delay: d} }
	errConflictHooks = Fault{Code: 409, Description: "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"}
)

// FailNext makes the next calls of method (any message method for "")
// answer with faults, one per call, in order.
func (s *Server) FailNext(method string, faults ...Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.queue[method] = append(s.queue[method], faults...)
}

// Inject decides per call: a non-nil Fault is answered instead of the
// method's result. It sees every call but getUpdates; nil removes it.
func (s *Server) Inject(fn func(Call) *Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.inject = fn
}

// Block answers 403 to every message to chat (deactivated: "user is
// deactivated" instead of "bot was blocked by the user").
func (s *Server) Block(chat int64, deactivated bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if deactivated {
		s.blocked[chat] = UserDeactivated.Description
	} else {
		s.blocked[chat] = BotBlocked.Description
	}
}

// Unblock lets messages to chat through again.
func (s *Server) Unblock(chat int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.blocked, chat)
}

// Forget makes chat unknown: 400 chat not found.
func (s *Server) Forget(chat int64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.unknown[chat] = true
}

// SetDelay delays every answer but getUpdates by d.
func (s *Server) SetDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.delay = d
}

// SetRateLimit allows perSecond message calls overall (with a burst of a
// tenth of a second's worth) and answers 429 retry_after 1 beyond it;
// 0 removes the limit.
func (s *Server) SetRateLimit(perSecond float64) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if perSecond <= 0 {
		s.limiter = nil
		return
	}
	s.limiter = rate.NewLimiter(rate.Limit(perSecond), max(1, int(perSecond/10)))
}

// Calls returns the recorded calls of the given methods (all without).
func (s *Server) Calls(methods ...string) []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Call
	for _, c := range s.calls {
		if len(methods) == 0 || contains(methods, c.Method) {
			out = append(out, c)
		}
	}
	return out
}

// Messages returns the successful message calls (send*, edit*) to chat,
// or to every chat when chat is 0.
func (s *Server) Messages(chat int64) []Call {
	var out []Call
	for _, c := range s.Calls() {
		if isMessageMethod(c.Method) && c.Status == 200 && (chat == 0 || c.ChatID == chat) {
			out = append(out, c)
		}
	}
	return out
}

// Count429 is the number of 429 answers given.
func (s *Server) Count429() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.n429
}

// WaitFor waits until cond holds for the recorded calls, or fails tb after
// timeout.
func (s *Server) WaitFor(tb testing.TB, timeout time.Duration, what string, cond func(calls []Call) bool) []Call {
	tb.Helper()
	deadline := time.After(timeout)
	for {
		s.mu.Lock()
		calls := append([]Call(nil), s.calls...)
		ch := s.changed
		s.mu.Unlock()
		if cond(calls) {
			return calls
		}
		select {
		case <-ch:
		case <-time.After(50 * time.Millisecond):
		case <-deadline:
			tb.Fatalf("telegramtest: timed out after %s waiting for %s (%d calls)", timeout, what, len(calls))
			return nil
		}
	}
}

// Webhook returns what setWebhook configured (zero after deleteWebhook).
func (s *Server) Webhook() Webhook {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.webhook
}

// Commands returns the command list set for lang ("" = default).
func (s *Server) Commands(lang string) []map[string]string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.commands[lang]
}

// MenuButton returns the menu_button last set, as JSON.
func (s *Server) MenuButton() json.RawMessage {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.menu
}

// Polls returns the polls sent.
func (s *Server) Polls() []Poll {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Poll, 0, len(s.polls))
	for _, p := range s.polls {
		out = append(out, p)
	}
	return out
}

// PendingUpdates is the number of updates not yet confirmed by an offset.
func (s *Server) PendingUpdates() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.updates)
}

// AddFile registers bytes as a file Telegram holds and returns its file_id.
func (s *Server) AddFile(name string, data []byte) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.addFile(name, data).id
}

func (s *Server) addFile(name string, data []byte) *file {
	s.nextFile++
	f := &file{
		id:     fmt.Sprintf("FILE%06d", s.nextFile),
		unique: fmt.Sprintf("U%06d", s.nextFile),
		path:   fmt.Sprintf("documents/file_%d_%s", s.nextFile, strings.ReplaceAll(name, "/", "_")),
		data:   append([]byte(nil), data...),
	}
	s.files[f.id] = f
	s.paths[f.path] = f
	return f
}

// PostWebhook delivers update (a JSON object; update_id is set) to the
// URL setWebhook configured, with its secret token header, and returns
// the HTTP status.
func (s *Server) PostWebhook(ctx context.Context, update map[string]any) (int, error) {
	return s.PostWebhookSecret(ctx, update, s.Webhook().Secret)
}

// PostWebhookSecret is PostWebhook with the given secret header.
func (s *Server) PostWebhookSecret(ctx context.Context, update map[string]any, secret string) (int, error) {
	hook := s.Webhook()
	if hook.URL == "" {
		return 0, fmt.Errorf("telegramtest: no webhook set")
	}
	if _, ok := update["update_id"]; !ok {
		s.mu.Lock()
		s.nextUpdate++
		update["update_id"] = s.nextUpdate
		s.mu.Unlock()
	}
	body, err := json.Marshal(update)
	if err != nil {
		return 0, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, hook.URL, strings.NewReader(string(body)))
	if err != nil {
		return 0, err
	}
	req.Header.Set("Content-Type", "application/json")
	if secret != "" {
		req.Header.Set("X-Telegram-Bot-Api-Secret-Token", secret)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err
	}
	res.Body.Close()
	return res.StatusCode, nil
}

func contains(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// isMessageMethod: the calls Telegram rate-limits per bot.
func isMessageMethod(m string) bool {
	return strings.HasPrefix(m, "send") || strings.HasPrefix(m, "edit") || m == "copyMessage" || m == "forwardMessage"
}

func ceilSeconds(d time.Duration) int {
	return int(math.Ceil(d.Seconds()))
}
