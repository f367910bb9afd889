// Package testapp builds questbase apps for tests: a template data folder
// is migrated and filled with a fixture world once per test binary, and
// every test gets its own copy with the same hooks main binds.
package testapp

import (
	"fmt"
	"log/slog"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/pocketbase/pocketbase/core"
	"github.com/pocketbase/pocketbase/tests"

	"questbase/hooks"
	"questbase/hooks/config"
	_ "questbase/migrations"
)

var (
	once        sync.Once
	templateDir string
	world       *World
	templateErr error
)

// Main runs a package's tests and removes the template afterwards; call it
// from TestMain.
func Main(m *testing.M) {
	// start-up status lines are for operators, not test logs
	slog.SetDefault(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn})))
	code := m.Run()
	if templateDir != "" {
		os.RemoveAll(templateDir)
	}
	os.Exit(code)
}

// Options change how New builds an app.
type Options struct {
	// Config replaces the default test configuration.
	Config *config.Config
	// NoHooks builds the app without questbase's hooks (for baselines).
	NoHooks bool
}

// New returns a fresh app with questbase's schema, the fixture world and
// all hooks bound. It is cleaned up when the test ends.
func New(t testing.TB) (*tests.TestApp, *World) {
	t.Helper()
	return NewWith(t, Options{})
}

// NewWith is New with options.
func NewWith(t testing.TB, opts Options) (*tests.TestApp, *World) {
	t.Helper()
	app, w, err := build(opts)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(app.Cleanup)
	return app, w
}

// Factory returns a tests.ApiScenario TestAppFactory.
func Factory(opts Options) func(t testing.TB) *tests.TestApp {
	return func(t testing.TB) *tests.TestApp {
		t.Helper()
		app, _, err := build(opts)
		if err != nil {
			t.Fatal(err)
		}
		return app
	}
}

// Fixtures returns the fixture world without building an app (its ids and
// tokens are valid in every app New returns).
func Fixtures(t testing.TB) *World {
	t.Helper()
	if err := ensureTemplate(); err != nil {
		t.Fatal(err)
	}
	return world
}

// TestConfig is the configuration tests run with: no S3, no bot, no mirror.
func TestConfig() config.Config {
	return config.Config{
		TicketSecret:          "test-ticket-secret",
		TicketWindow:          config.DefaultTicketWindow,
		TelegramAuthMaxAge:    config.DefaultTelegramAuthMaxAge,
		TelegramAPIURL:        config.DefaultTelegramAPIURL,
		TelegramRate:          config.DefaultTelegramRate,
		SyncInterval:          config.DefaultSyncInterval,
		SyncSchema:            config.DefaultSyncSchema,
		VerificationRetention: config.DefaultVerificationRetention,
		S3:                    config.S3{Region: config.DefaultS3Region},
	}
}

func build(opts Options) (*tests.TestApp, *World, error) {
	if err := ensureTemplate(); err != nil {
		return nil, nil, err
	}
	app, err := tests.NewTestApp(templateDir)
	if err != nil {
		return nil, nil, fmt.Errorf("new test app: %w", err)
	}
	if !opts.NoHooks {
		cfg := TestConfig()
		if opts.Config != nil {
			cfg = *opts.Config
		}
		if err := hooks.RegisterWith(app, cfg); err != nil {
			app.Cleanup()
			return nil, nil, err
		}
	}
	return app, world, nil
}

func ensureTemplate() error {
	once.Do(func() {
		templateDir, templateErr = os.MkdirTemp("", "questbase_template_*")
		if templateErr != nil {
			return
		}
		app := core.NewBaseApp(core.BaseAppConfig{DataDir: templateDir, EncryptionEnv: "pb_test_env"})
		if templateErr = app.Bootstrap(); templateErr != nil {
			return
		}
		defer app.ResetBootstrapState()
		if templateErr = app.RunAllMigrations(); templateErr != nil {
			return
		}
		if templateErr = hooks.RegisterWith(app, TestConfig()); templateErr != nil {
			return
		}
		start := time.Now()
		world, templateErr = seedWorld(app)
		if templateErr == nil && testing.Verbose() {
			fmt.Fprintf(os.Stderr, "testapp: template world built in %s\n", time.Since(start).Round(time.Millisecond))
		}
	})
	return templateErr
}
