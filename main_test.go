package main

import (
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pocketbase/dbx"
	"github.com/pocketbase/pocketbase/core"

	"questbase/hooks/points"
	"questbase/hooks/testapp"
	"questbase/sync/pgtest"
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
	out *testapp.Output
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
	s := &server{url: "http://" + addr, out: &testapp.Output{}}
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

// `questbase points verify` exits 0 on a consistent ledger, 1 when balances
// drifted (listing them), and repairs them with --fix.
func TestPointsVerifyCommand(t *testing.T) {
	dir := t.TempDir()
	run := func(args ...string) (int, string) {
		cmd := exec.Command(binary, append(args, "--dir", dir)...)
		cmd.Env = cleanEnv()
		out, err := cmd.CombinedOutput()
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, string(out)
	}
	if code, out := run("points", "verify"); code != 0 || !strings.Contains(out, "ok: 0 users") {
		t.Fatalf("fresh data: exit %d\n%s", code, out)
	}

	// a student with a ledger row, then a balance tampered with behind the ledger's back
	app := core.NewBaseApp(core.BaseAppConfig{DataDir: dir})
	if err := app.Bootstrap(); err != nil {
		t.Fatal(err)
	}
	if err := register(app); err != nil {
		t.Fatal(err)
	}
	users, _ := app.FindCollectionByNameOrId("users")
	u := core.NewRecord(users)
	u.Set("first_name", "Анна")
	u.SetPassword("a-long-password")
	if err := app.Save(u); err != nil {
		t.Fatal(err)
	}
	if _, err := points.Award(context.Background(), app, points.Entry{User: u.Id, Amount: 130, Reason: points.ReasonQuiz, Ref: "q1"}); err != nil {
		t.Fatal(err)
	}
	if _, err := app.DB().NewQuery("UPDATE users SET points = 7, level = 5 WHERE id = {:id}").Bind(dbx.Params{"id": u.Id}).Execute(); err != nil {
		t.Fatal(err)
	}
	app.ResetBootstrapState()

	code, out := run("points", "verify")
	if code != 1 || !strings.Contains(out, u.Id+": balance 7, ledger 130; level 5, by ledger 2") || !strings.Contains(out, "1 of 1 users differ") {
		t.Fatalf("drifted balance: exit %d\n%s", code, out)
	}
	if code, out := run("points", "verify", "--fix"); code != 0 || !strings.Contains(out, "fixed 1 of 1 users") {
		t.Fatalf("--fix: exit %d\n%s", code, out)
	}
	if code, out := run("points", "verify"); code != 0 || !strings.Contains(out, "ok: 1 users") {
		t.Fatalf("after --fix: exit %d\n%s", code, out)
	}
}

// `questbase sync --once | --full` mirrors the data into PostgreSQL and
// exits 1 on any failure (PocketBase itself would exit 0), so that scripts
// and cron jobs can rely on it.
func TestSyncCommand(t *testing.T) {
	dsn := pgtest.Database(t)
	dir := t.TempDir()
	run := func(env []string, args ...string) (int, string) {
		t.Helper()
		cmd := exec.Command(binary, append(args, "--dir", dir)...)
		cmd.Env = env
		out, err := cmd.CombinedOutput()
		code := 0
		if exit, ok := err.(*exec.ExitError); ok {
			code = exit.ExitCode()
		} else if err != nil {
			t.Fatal(err)
		}
		return code, string(out)
	}
	unreachable := "QB_POSTGRES_DSN=postgres://postgres@127.0.0.1:1/questbase?sslmode=disable&connect_timeout=2"
	for _, tc := range []struct {
		name string
		env  []string
		args []string
		code int
		want string
	}{
		{"no DSN", cleanEnv(), []string{"sync", "--once"}, 1, "QB_POSTGRES_DSN is not set"},
		{"no mode", cleanEnv("QB_POSTGRES_DSN=" + dsn), []string{"sync"}, 1, "choose one of --once or --full"},
		{"unreachable", cleanEnv(unreachable), []string{"sync", "--once"}, 1, "connect to PostgreSQL"},
		{"once", cleanEnv("QB_POSTGRES_DSN=" + dsn), []string{"sync", "--once"}, 0, "incremental run into schema questbase"},
		{"once again", cleanEnv("QB_POSTGRES_DSN=" + dsn), []string{"sync", "--once"}, 0, "0 rows written, 0 deleted"},
		{"full", cleanEnv("QB_POSTGRES_DSN=" + dsn), []string{"sync", "--full"}, 0, "full run into schema questbase"},
		{"other schema", cleanEnv("QB_POSTGRES_DSN="+dsn, "QB_SYNC_SCHEMA=bi"), []string{"sync", "--once"}, 0, "into schema bi"},
	} {
		code, out := run(tc.env, tc.args...)
		if code != tc.code || !strings.Contains(out, tc.want) {
			t.Errorf("%s: exit %d, want %d with %q:\n%s", tc.name, code, tc.code, tc.want, out)
		}
	}
	conn := pgtest.Connect(t, dsn)
	for _, schema := range []string{"questbase", "bi"} {
		var levels int
		if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM "+schema+".report_level_distribution").Scan(&levels); err != nil || levels != 10 {
			t.Errorf("%s: the seeded levels in the mirror's view: %d %v", schema, levels, err)
		}
	}
}

// With a DSN the service mirrors on its own schedule and says so at start,
// without printing the password.
func TestServeMirrorsOnSchedule(t *testing.T) {
	dsn := pgtest.Database(t)
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	u.User = url.UserPassword(u.User.Username(), "s3cret-pw")
	s := serve(t, cleanEnv("QB_POSTGRES_DSN="+u.String(), "QB_SYNC_INTERVAL=1s"))
	conn := pgtest.Connect(t, dsn)
	deadline := time.Now().Add(30 * time.Second)
	for {
		var levels int
		err := conn.QueryRow(context.Background(), "SELECT count(*) FROM questbase.levels").Scan(&levels)
		if err == nil && levels == 10 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the service did not mirror: %v\n%s", err, s.out.String())
		}
		time.Sleep(200 * time.Millisecond)
	}
	out := s.out.String()
	if !strings.Contains(out, "reporting mirror: on") || strings.Contains(out, "s3cret-pw") {
		t.Errorf("start-up output:\n%s", out)
	}
}
