// Package config reads questbase's settings from QB_* environment
// variables (the public contract in SPEC section 5). A malformed value is
// an error that names its variable, so a bad deployment stops at start.
package config

import (
	"errors"
	"fmt"
	"net"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"
)

// Config is everything questbase takes from the environment.
type Config struct {
	PublicURL string

	SuperuserEmail    string
	SuperuserPassword string

	TicketSecret string
	// TicketWindow is how long a rotating ticket code (the Mini App's live
	// QR) stays current; check-in accepts it for one more window after.
	TicketWindow time.Duration

	TelegramToken  string
	TelegramAPIURL string
	TelegramRate   float64
	// TelegramWebhookURL switches the bot from long polling to webhooks:
	// the public https address Telegram posts to (leading to
	// POST /api/telegram/webhook).
	TelegramWebhookURL string
	// TelegramAuthMaxAge is how old Mini App initData (its auth_date) may
	// be for POST /api/telegram/auth to accept it.
	TelegramAuthMaxAge time.Duration

	PostgresDSN  string
	SyncInterval time.Duration
	// SyncSchema is the PostgreSQL schema the mirror writes into.
	SyncSchema string

	S3 S3

	// VerificationRetention is how long photos of rejected or replaced
	// verifications are kept before the daily job deletes them.
	VerificationRetention time.Duration
}

// S3 is the file storage and backup target; Enabled is false without it.
type S3 struct {
	Enabled        bool
	Endpoint       string
	Bucket         string
	Region         string
	AccessKey      string
	Secret         string
	ForcePathStyle bool
}

// Variables lists every environment variable questbase reads.
var Variables = []string{
	"QB_PUBLIC_URL",
	"QB_SUPERUSER_EMAIL", "QB_SUPERUSER_PASSWORD",
	"QB_TICKET_SECRET", "QB_TICKET_WINDOW",
	"QB_TELEGRAM_TOKEN", "QB_TELEGRAM_API_URL", "QB_TELEGRAM_RATE", "QB_TELEGRAM_WEBHOOK_URL", "QB_TELEGRAM_AUTH_MAX_AGE",
	"QB_POSTGRES_DSN", "QB_SYNC_INTERVAL", "QB_SYNC_SCHEMA",
	"QB_S3_ENDPOINT", "QB_S3_BUCKET", "QB_S3_REGION", "QB_S3_ACCESS_KEY", "QB_S3_SECRET", "QB_S3_FORCE_PATH_STYLE",
	"QB_VERIFICATION_RETENTION",
}

// Defaults for optional variables.
const (
	DefaultTelegramAPIURL        = "https://api.telegram.org"
	DefaultTelegramRate          = 25
	DefaultTelegramAuthMaxAge    = time.Hour
	DefaultTicketWindow          = 30 * time.Second
	DefaultSyncInterval          = time.Minute
	DefaultSyncSchema            = "questbase"
	DefaultVerificationRetention = 30 * 24 * time.Hour
	DefaultS3Region              = "us-east-1"
)

// FromEnv reads the process environment.
func FromEnv() (Config, error) { return Parse(os.LookupEnv) }

// Parse reads the variables through lookup and reports every malformed one.
func Parse(lookup func(string) (string, bool)) (Config, error) {
	p := parser{lookup: lookup}
	c := Config{
		PublicURL:             p.url("QB_PUBLIC_URL", ""),
		SuperuserEmail:        p.str("QB_SUPERUSER_EMAIL", ""),
		SuperuserPassword:     p.str("QB_SUPERUSER_PASSWORD", ""),
		TicketSecret:          p.str("QB_TICKET_SECRET", ""),
		TicketWindow:          p.duration("QB_TICKET_WINDOW", DefaultTicketWindow),
		TelegramToken:         p.str("QB_TELEGRAM_TOKEN", ""),
		TelegramAPIURL:        p.url("QB_TELEGRAM_API_URL", DefaultTelegramAPIURL),
		TelegramRate:          p.positiveFloat("QB_TELEGRAM_RATE", DefaultTelegramRate),
		TelegramWebhookURL:    p.url("QB_TELEGRAM_WEBHOOK_URL", ""),
		TelegramAuthMaxAge:    p.duration("QB_TELEGRAM_AUTH_MAX_AGE", DefaultTelegramAuthMaxAge),
		PostgresDSN:           p.str("QB_POSTGRES_DSN", ""),
		SyncInterval:          p.duration("QB_SYNC_INTERVAL", DefaultSyncInterval),
		SyncSchema:            p.str("QB_SYNC_SCHEMA", DefaultSyncSchema),
		VerificationRetention: p.duration("QB_VERIFICATION_RETENTION", DefaultVerificationRetention),
		S3: S3{
			Endpoint:       p.url("QB_S3_ENDPOINT", ""),
			Bucket:         p.str("QB_S3_BUCKET", ""),
			Region:         p.str("QB_S3_REGION", DefaultS3Region),
			AccessKey:      p.str("QB_S3_ACCESS_KEY", ""),
			Secret:         p.str("QB_S3_SECRET", ""),
			ForcePathStyle: p.boolean("QB_S3_FORCE_PATH_STYLE", false),
		},
	}
	c.PublicURL = strings.TrimRight(c.PublicURL, "/")
	c.TelegramAPIURL = strings.TrimRight(c.TelegramAPIURL, "/")

	if (c.SuperuserEmail == "") != (c.SuperuserPassword == "") {
		p.fail("QB_SUPERUSER_EMAIL", "QB_SUPERUSER_EMAIL and QB_SUPERUSER_PASSWORD must be set together")
	}
	if c.SuperuserEmail != "" && !strings.Contains(c.SuperuserEmail, "@") {
		p.fail("QB_SUPERUSER_EMAIL", "not an e-mail address")
	}
	if c.SuperuserPassword != "" && len(c.SuperuserPassword) < 10 {
		p.fail("QB_SUPERUSER_PASSWORD", "must be at least 10 characters")
	}
	if c.PostgresDSN != "" && !strings.HasPrefix(c.PostgresDSN, "postgres://") && !strings.HasPrefix(c.PostgresDSN, "postgresql://") && !strings.Contains(c.PostgresDSN, "=") {
		p.fail("QB_POSTGRES_DSN", "expected a postgres:// URL or key=value connection string")
	}
	if c.TelegramWebhookURL != "" {
		if c.TelegramToken == "" {
			p.fail("QB_TELEGRAM_WEBHOOK_URL", "needs QB_TELEGRAM_TOKEN")
		}
		// Telegram posts only to https; plain http is for a local Bot API
		// server or tests on this machine.
		if u, err := url.Parse(c.TelegramWebhookURL); err == nil && u.Scheme != "https" && !loopback(u.Hostname()) {
			p.fail("QB_TELEGRAM_WEBHOOK_URL", "must be an https URL (Telegram posts only to https)")
		}
	}
	// Window numbers count whole seconds; a window over an hour would keep
	// a screenshot of the live QR working for hours.
	if c.TicketWindow%time.Second != 0 || c.TicketWindow > time.Hour {
		p.fail("QB_TICKET_WINDOW", "must be whole seconds, from 1s to 1h")
		c.TicketWindow = DefaultTicketWindow
	}
	if c.TelegramAuthMaxAge < time.Minute || c.TelegramAuthMaxAge > 7*24*time.Hour {
		p.fail("QB_TELEGRAM_AUTH_MAX_AGE", "must be from 1m to 7d")
		c.TelegramAuthMaxAge = DefaultTelegramAuthMaxAge
	}
	if c.SyncInterval > 0 && c.SyncInterval < time.Second {
		p.fail("QB_SYNC_INTERVAL", "must be at least 1s")
	}
	if !plainIdentifier(c.SyncSchema) {
		p.fail("QB_SYNC_SCHEMA", fmt.Sprintf("%q is not a plain PostgreSQL identifier (letters, digits, _; at most 63)", c.SyncSchema))
		c.SyncSchema = DefaultSyncSchema
	}

	s3 := &c.S3
	if s3.Endpoint != "" || s3.Bucket != "" || s3.AccessKey != "" || s3.Secret != "" {
		s3.Enabled = true
		for _, v := range [][2]string{
			{"QB_S3_ENDPOINT", s3.Endpoint}, {"QB_S3_BUCKET", s3.Bucket},
			{"QB_S3_ACCESS_KEY", s3.AccessKey}, {"QB_S3_SECRET", s3.Secret},
		} {
			if v[1] == "" {
				p.fail(v[0], "required when S3 storage is configured (any QB_S3_* variable is set)")
			}
		}
	}
	return c, p.err()
}

func loopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

type parser struct {
	lookup func(string) (string, bool)
	errs   []error
}

func (p *parser) fail(name, msg string) {
	p.errs = append(p.errs, fmt.Errorf("%s: %s", name, msg))
}

// err joins the problems in the order the variables were read.
func (p *parser) err() error {
	if len(p.errs) == 0 {
		return nil
	}
	return fmt.Errorf("invalid configuration: %w", errors.Join(p.errs...))
}

func (p *parser) str(name, def string) string {
	v, ok := p.lookup(name)
	if v = strings.TrimSpace(v); !ok || v == "" {
		return def
	}
	return v
}

func (p *parser) url(name, def string) string {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		p.fail(name, fmt.Sprintf("%q is not an http(s) URL", v))
		return def
	}
	return v
}

func (p *parser) boolean(name string, def bool) bool {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		p.fail(name, fmt.Sprintf("%q is not a boolean (use true or false)", v))
		return def
	}
	return b
}

func (p *parser) positiveFloat(name string, def float64) float64 {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || f <= 0 || f != f {
		p.fail(name, fmt.Sprintf("%q is not a positive number", v))
		return def
	}
	return f
}

func (p *parser) duration(name string, def time.Duration) time.Duration {
	v := p.str(name, "")
	if v == "" {
		return def
	}
	d, err := parseDuration(v)
	if err != nil || d <= 0 {
		p.fail(name, fmt.Sprintf("%q is not a positive duration (e.g. 90s, 5m, 30d)", v))
		return def
	}
	return d
}

// plainIdentifier reports whether s is a PostgreSQL identifier that needs
// no quoting.
func plainIdentifier(s string) bool {
	if s == "" || len(s) > 63 || (s[0] >= '0' && s[0] <= '9') {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// parseDuration is time.ParseDuration plus a whole-days suffix ("30d"),
// which retention periods are naturally written in.
func parseDuration(v string) (time.Duration, error) {
	if days, ok := strings.CutSuffix(v, "d"); ok {
		n, err := strconv.Atoi(days)
		if err != nil {
			return 0, err
		}
		if n < 0 || n > 36500 {
			return 0, fmt.Errorf("%d days is out of range", n)
		}
		return time.Duration(n) * 24 * time.Hour, nil
	}
	return time.ParseDuration(v)
}
