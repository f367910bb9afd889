package pbpublic_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"questbase/bot/telegramtest"
	"questbase/hooks/testapp"
)

const (
	superEmail    = "admin@club.test"
	superPassword = "a-long-superuser-password"
	staffPassword = "staff-password-1"
)

// ticketWindow is the server's QB_TICKET_WINDOW: short, so that the Mini
// App's live QR visibly rotates within a test.
const ticketWindow = 3 * time.Second

// app is the running questbase binary the pages are served by. Its bot
// talks to a fake Bot API (the Mini App's sign-in needs the bot token).
type app struct {
	url string
	dir string
	cmd *exec.Cmd
	out *testapp.Output
	tg  *telegramtest.Server
}

var (
	srvOnce sync.Once
	srv     *app
	srvErr  error
)

// server builds questbase from this worktree and starts it on a free port
// with a fresh data folder and a superuser from the environment.
func server(t *testing.T) *app {
	t.Helper()
	srvOnce.Do(func() { srv, srvErr = startServer() })
	if srvErr != nil {
		t.Fatal(srvErr)
	}
	return srv
}

func startServer() (*app, error) {
	dir, err := os.MkdirTemp("", "questbase_pages_*")
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(dir, "questbase")
	build := exec.Command("go", "build", "-o", bin, "questbase")
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("build questbase: %v\n%s", err, out)
	}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	addr := l.Addr().String()
	l.Close()

	a := &app{url: "http://" + addr, dir: dir, out: &testapp.Output{}, tg: telegramtest.NewServer(telegramtest.Token)}
	a.cmd = exec.Command(bin, "serve", "--http", addr, "--dir", filepath.Join(dir, "data"))
	a.cmd.Env = []string{
		"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"),
		"QB_SUPERUSER_EMAIL=" + superEmail, "QB_SUPERUSER_PASSWORD=" + superPassword,
		"QB_TICKET_SECRET=pages-test-ticket-secret",
		"QB_TICKET_WINDOW=" + ticketWindow.String(),
		"QB_TELEGRAM_TOKEN=" + telegramtest.Token, "QB_TELEGRAM_API_URL=" + a.tg.URL,
	}
	a.cmd.Stdout, a.cmd.Stderr = a.out, a.out
	if err := a.cmd.Start(); err != nil {
		return nil, err
	}
	deadline := time.Now().Add(60 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(a.url + "/api/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return a, nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	a.stop()
	return nil, fmt.Errorf("questbase did not become healthy:\n%s", a.out.String())
}

func (a *app) stop() {
	a.cmd.Process.Signal(os.Interrupt)
	done := make(chan struct{})
	go func() { a.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		a.cmd.Process.Kill()
		<-done
	}
	a.tg.Close()
	os.RemoveAll(a.dir)
}

func stopServer() {
	if srv != nil {
		srv.stop()
	}
}

// client calls the REST API with one token.
type client struct {
	t     testing.TB
	base  string
	token string
}

type record = map[string]any

func (a *app) superuser(t testing.TB) *client {
	t.Helper()
	c := &client{t: t, base: a.url}
	res := c.mustJSON("POST", "/api/collections/_superusers/auth-with-password", record{"identity": superEmail, "password": superPassword}, 200)
	c.token = res["token"].(string)
	return c
}

// as returns a client acting as the user (superusers can impersonate).
func (c *client) as(userID string) *client {
	c.t.Helper()
	res := c.mustJSON("POST", "/api/collections/users/impersonate/"+userID, record{}, 200)
	return &client{t: c.t, base: c.base, token: res["token"].(string)}
}

// call sends a JSON body (or a *multipart body when body is a form) and
// returns the status and the raw answer.
func (c *client) call(method, path string, body any) (int, []byte) {
	c.t.Helper()
	var rd io.Reader
	ctype := ""
	switch b := body.(type) {
	case nil:
	case form:
		rd, ctype = b.encode(c.t)
	default:
		raw, err := json.Marshal(b)
		if err != nil {
			c.t.Fatal(err)
		}
		rd, ctype = bytes.NewReader(raw), "application/json"
	}
	req, err := http.NewRequest(method, c.base+path, rd)
	if err != nil {
		c.t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	if c.token != "" {
		req.Header.Set("Authorization", c.token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	out, _ := io.ReadAll(res.Body)
	return res.StatusCode, out
}

func (c *client) mustJSON(method, path string, body any, want int) record {
	c.t.Helper()
	code, raw := c.call(method, path, body)
	if code != want {
		c.t.Fatalf("%s %s: want %d, got %d: %s", method, path, want, code, raw)
	}
	var out record
	if err := json.Unmarshal(raw, &out); err != nil {
		c.t.Fatalf("%s %s: %v: %s", method, path, err, raw)
	}
	return out
}

func (c *client) create(collection string, body record) record {
	c.t.Helper()
	return c.mustJSON("POST", "/api/collections/"+collection+"/records", body, 200)
}

func (c *client) update(collection, id string, body record) record {
	c.t.Helper()
	return c.mustJSON("PATCH", "/api/collections/"+collection+"/records/"+id, body, 200)
}

func (c *client) get(collection, id string) record {
	c.t.Helper()
	return c.mustJSON("GET", "/api/collections/"+collection+"/records/"+id, nil, 200)
}

func (c *client) list(collection, filter string) []record {
	c.t.Helper()
	q := url.Values{"filter": {filter}, "perPage": {"500"}}
	res := c.mustJSON("GET", "/api/collections/"+collection+"/records?"+q.Encode(), nil, 200)
	var out []record
	for _, it := range res["items"].([]any) {
		out = append(out, it.(record))
	}
	return out
}

// form is a multipart body: text fields and files.
type form struct {
	fields map[string]string
	files  map[string][]byte // field → content, named field.png
}

func (f form) encode(t testing.TB) (io.Reader, string) {
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, v := range f.fields {
		mw.WriteField(k, v)
	}
	for k, data := range f.files {
		w, err := mw.CreateFormFile(k, k+".png")
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	mw.Close()
	return &buf, mw.FormDataContentType()
}

var seq atomic.Int64

// unique makes names that do not collide between tests sharing the server.
func unique(prefix string) string {
	return fmt.Sprintf("%s%d_%d", prefix, time.Now().UnixNano()%1_000_000, seq.Add(1))
}

// staff creates a signed-in-by-e-mail user with the given roles (by name).
func staff(su *client, first, last string, roles ...string) (id, email string) {
	su.t.Helper()
	var ids []string
	for _, name := range roles {
		r := su.list("roles", fmt.Sprintf("name = %q", name))
		if len(r) != 1 {
			su.t.Fatalf("role %q: %v", name, r)
		}
		ids = append(ids, r[0]["id"].(string))
	}
	email = unique("staff") + "@club.test"
	u := su.create("users", record{
		"email": email, "password": staffPassword, "passwordConfirm": staffPassword,
		"first_name": first, "last_name": last, "roles": ids,
	})
	return u["id"].(string), email
}

// student creates a student (no e-mail; the bot makes them in real life).
func student(su *client, first, last, group string) string {
	su.t.Helper()
	u := su.create("users", record{
		"password": staffPassword, "passwordConfirm": staffPassword,
		"first_name": first, "last_name": last, "study_group": group,
	})
	return u["id"].(string)
}

// pbTime formats t as PocketBase stores dates.
func pbTime(t time.Time) string {
	return t.UTC().Format("2006-01-02 15:04:05.000Z")
}

// requireRoute fails the test when the backend route is missing: these pages
// are built against routes of the backend half of issue 4, and a missing one
// must not pass silently.
func requireRoute(t *testing.T, c *client, method, path string) {
	t.Helper()
	var body any
	if method != "GET" {
		body = record{}
	}
	code, raw := c.call(method, path, body)
	if code == 404 && strings.Contains(string(raw), "wasn't found") {
		t.Fatalf("%s %s is missing (404): the backend routes of issue 4 are not in this build", method, path)
	}
}
