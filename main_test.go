package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

var binary string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "questbase_bin_*")
	if err != nil {
		panic(err)
	}
	binary = filepath.Join(dir, "questbase")
	build := exec.Command("go", "build", "-o", binary, ".")
	build.Stdout, build.Stderr = os.Stdout, os.Stderr
	if err := build.Run(); err != nil {
		panic(fmt.Sprintf("build: %v", err))
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// server is a running questbase process.
type server struct {
	url string
	cmd *exec.Cmd
	out *syncBuffer
}

type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// cleanEnv is a fresh machine's environment: nothing of questbase set.
func cleanEnv(extra ...string) []string {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME")}
	return append(env, extra...)
}

func freePort(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// serve starts the binary and waits until /api/health answers.
func serve(t *testing.T, env []string) *server {
	t.Helper()
	addr := freePort(t)
	s := &server{url: "http://" + addr, out: &syncBuffer{}}
	s.cmd = exec.Command(binary, "serve", "--http", addr, "--dir", t.TempDir())
	s.cmd.Env = env
	s.cmd.Stdout, s.cmd.Stderr = s.out, s.out
	if err := s.cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		s.cmd.Process.Signal(os.Interrupt)
		done := make(chan struct{})
		go func() { s.cmd.Wait(); close(done) }()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			s.cmd.Process.Kill()
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if res, err := http.Get(s.url + "/api/health"); err == nil {
			res.Body.Close()
			if res.StatusCode == 200 {
				return s
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("server did not become healthy; output:\n%s", s.out.String())
	return nil
}

func get(t *testing.T, url string) (int, string) {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

// On a fresh machine the service starts on embedded defaults, says that
// the bot and the mirror are off, serves its pages and keeps sign-up closed.
func TestServeOnEmbeddedDefaults(t *testing.T) {
	s := serve(t, cleanEnv())
	for _, line := range []string{
		"file storage: local disk",
		"telegram bot: off (set QB_TELEGRAM_TOKEN",
		"reporting mirror: off (set QB_POSTGRES_DSN",
	} {
		if !strings.Contains(s.out.String(), line) {
			t.Errorf("start-up output lacks %q:\n%s", line, s.out.String())
		}
	}
	if code, body := get(t, s.url+"/"); code != 200 || !strings.Contains(body, "questbase") {
		t.Errorf("landing page: %d %.100s", code, body)
	}
	if code, body := get(t, s.url+"/api/collections/levels/records?sort=number"); code != 200 || !strings.Contains(body, `"min_points":3846`) {
		t.Errorf("seeded levels are public: %d %.200s", code, body)
	}
	res, err := http.Post(s.url+"/api/collections/users/records", "application/json",
		strings.NewReader(`{"email":"x@y.z","password":"12345678910","passwordConfirm":"12345678910"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 400 && res.StatusCode != 403 {
		t.Errorf("public sign-up must be refused, got %d", res.StatusCode)
	}
	res, err = http.Post(s.url+"/api/collections/users/auth-with-password", "application/json",
		strings.NewReader(`{"identity":"x@y.z","password":"12345678910"}`))
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 400 {
		t.Errorf("the refused sign-up created an account that can sign in (%d)", res.StatusCode)
	}
}

// The superuser comes from the environment; no browser installer then.
func TestSuperuserFromEnvironment(t *testing.T) {
	s := serve(t, cleanEnv("QB_SUPERUSER_EMAIL=admin@club.test", "QB_SUPERUSER_PASSWORD=a-long-password"))
	res, err := http.Post(s.url+"/api/collections/_superusers/auth-with-password", "application/json",
		strings.NewReader(`{"identity":"admin@club.test","password":"a-long-password"}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(res.Body)
	res.Body.Close()
	if res.StatusCode != 200 || !strings.Contains(string(body), `"token"`) {
		t.Fatalf("superuser sign-in: %d %s", res.StatusCode, body)
	}
	if strings.Contains(s.out.String(), "pbinstall") {
		t.Error("installer link printed although the superuser is configured")
	}
}

// A malformed variable stops start-up with a message naming it.
func TestMalformedEnvironmentStopsStartup(t *testing.T) {
	cases := []struct{ env []string }{
		{[]string{"QB_S3_ENDPOINT=http://s3:9000", "QB_S3_BUCKET=b", "QB_S3_ACCESS_KEY=k", "QB_S3_SECRET=s", "QB_S3_FORCE_PATH_STYLE=perhaps"}},
		{[]string{"QB_PUBLIC_URL=club.example.org"}},
		{[]string{"QB_TELEGRAM_RATE=-5"}},
	}
	for _, tc := range cases {
		name := strings.SplitN(tc.env[len(tc.env)-1], "=", 2)[0]
		t.Run(name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			cmd := exec.CommandContext(ctx, binary, "serve", "--http", freePort(t), "--dir", t.TempDir())
			cmd.Env = cleanEnv(tc.env...)
			out, err := cmd.CombinedOutput()
			if ctx.Err() != nil {
				t.Fatal("service started despite a malformed variable")
			}
			if exit, ok := err.(*exec.ExitError); !ok || exit.ExitCode() == 0 {
				t.Fatalf("want a non-zero exit, got %v", err)
			}
			if !strings.Contains(string(out), name) {
				t.Fatalf("message does not name %s:\n%s", name, out)
			}
		})
	}
}
