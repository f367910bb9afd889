package config_test

import (
	"strings"
	"testing"
	"time"

	"questbase/hooks/config"
)

func env(kv map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := kv[k]
		return v, ok
	}
}

func TestParseDefaults(t *testing.T) {
	c, err := config.Parse(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.S3.Enabled || c.TelegramToken != "" || c.PostgresDSN != "" {
		t.Fatalf("embedded defaults must leave S3, bot and mirror off: %+v", c)
	}
	if c.TelegramAPIURL != "https://api.telegram.org" || c.TelegramRate != 25 || c.SyncInterval != time.Minute || c.SyncSchema != "questbase" || c.VerificationRetention != 30*24*time.Hour ||
		c.TicketWindow != 30*time.Second || c.TelegramAuthMaxAge != time.Hour {
		t.Fatalf("defaults: %+v", c)
	}
}

func TestParseFull(t *testing.T) {
	c, err := config.Parse(env(map[string]string{
		"QB_PUBLIC_URL":             "https://club.example.org/",
		"QB_SUPERUSER_EMAIL":        "admin@example.org",
		"QB_SUPERUSER_PASSWORD":     "long-enough-pass",
		"QB_TELEGRAM_RATE":          "10.5",
		"QB_TELEGRAM_TOKEN":         "1:abc",
		"QB_TELEGRAM_WEBHOOK_URL":   "https://club.example.org/api/telegram/webhook",
		"QB_SYNC_INTERVAL":          "5m",
		"QB_SYNC_SCHEMA":            "reporting",
		"QB_VERIFICATION_RETENTION": "7d",
		"QB_TICKET_WINDOW":          "45s",
		"QB_TELEGRAM_AUTH_MAX_AGE":  "1d",
		"QB_POSTGRES_DSN":           "postgres://u@localhost/db",
		"QB_S3_ENDPOINT":            "http://minio:9000",
		"QB_S3_BUCKET":              "questbase",
		"QB_S3_ACCESS_KEY":          "key",
		"QB_S3_SECRET":              "secret",
		"QB_S3_FORCE_PATH_STYLE":    "true",
	}))
	if err != nil {
		t.Fatal(err)
	}
	if c.PublicURL != "https://club.example.org" {
		t.Errorf("public URL keeps no trailing slash: %q", c.PublicURL)
	}
	if !c.S3.Enabled || !c.S3.ForcePathStyle || c.S3.Region != "us-east-1" || c.S3.Bucket != "questbase" {
		t.Errorf("S3: %+v", c.S3)
	}
	if c.TelegramWebhookURL != "https://club.example.org/api/telegram/webhook" {
		t.Errorf("webhook URL: %q", c.TelegramWebhookURL)
	}
	if c.TelegramRate != 10.5 || c.SyncInterval != 5*time.Minute || c.SyncSchema != "reporting" || c.VerificationRetention != 7*24*time.Hour ||
		c.TicketWindow != 45*time.Second || c.TelegramAuthMaxAge != 24*time.Hour {
		t.Errorf("numbers: %+v", c)
	}
}

// Every malformed variable stops start-up with a message naming it.
func TestParseRejectsMalformed(t *testing.T) {
	s3 := map[string]string{"QB_S3_ENDPOINT": "http://s3:9000", "QB_S3_BUCKET": "b", "QB_S3_ACCESS_KEY": "k", "QB_S3_SECRET": "s"}
	with := func(extra map[string]string) map[string]string {
		out := map[string]string{}
		for k, v := range s3 {
			out[k] = v
		}
		for k, v := range extra {
			out[k] = v
		}
		return out
	}
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"path style not a boolean", with(map[string]string{"QB_S3_FORCE_PATH_STYLE": "maybe"}), "QB_S3_FORCE_PATH_STYLE"},
		{"endpoint not a URL", with(map[string]string{"QB_S3_ENDPOINT": "minio:9000"}), "QB_S3_ENDPOINT"},
		{"bucket missing", with(map[string]string{"QB_S3_BUCKET": ""}), "QB_S3_BUCKET"},
		{"secret missing", map[string]string{"QB_S3_ENDPOINT": "http://s3:9000", "QB_S3_BUCKET": "b", "QB_S3_ACCESS_KEY": "k"}, "QB_S3_SECRET"},
		{"public URL", map[string]string{"QB_PUBLIC_URL": "club.example.org"}, "QB_PUBLIC_URL"},
		{"telegram API URL", map[string]string{"QB_TELEGRAM_API_URL": "ftp://x"}, "QB_TELEGRAM_API_URL"},
		{"rate zero", map[string]string{"QB_TELEGRAM_RATE": "0"}, "QB_TELEGRAM_RATE"},
		{"rate text", map[string]string{"QB_TELEGRAM_RATE": "fast"}, "QB_TELEGRAM_RATE"},
		{"rate NaN", map[string]string{"QB_TELEGRAM_RATE": "NaN"}, "QB_TELEGRAM_RATE"},
		{"webhook not a URL", map[string]string{"QB_TELEGRAM_TOKEN": "1:abc", "QB_TELEGRAM_WEBHOOK_URL": "club.example.org/hook"}, "QB_TELEGRAM_WEBHOOK_URL"},
		{"webhook over http", map[string]string{"QB_TELEGRAM_TOKEN": "1:abc", "QB_TELEGRAM_WEBHOOK_URL": "http://club.example.org/hook"}, "QB_TELEGRAM_WEBHOOK_URL"},
		{"webhook without token", map[string]string{"QB_TELEGRAM_WEBHOOK_URL": "https://club.example.org/hook"}, "QB_TELEGRAM_WEBHOOK_URL"},
		{"sync interval", map[string]string{"QB_SYNC_INTERVAL": "often"}, "QB_SYNC_INTERVAL"},
		{"sync interval too short", map[string]string{"QB_SYNC_INTERVAL": "10ms"}, "QB_SYNC_INTERVAL"},
		{"retention", map[string]string{"QB_VERIFICATION_RETENTION": "-3d"}, "QB_VERIFICATION_RETENTION"},
		{"superuser without password", map[string]string{"QB_SUPERUSER_EMAIL": "a@b.c"}, "QB_SUPERUSER_EMAIL"},
		{"superuser short password", map[string]string{"QB_SUPERUSER_EMAIL": "a@b.c", "QB_SUPERUSER_PASSWORD": "short"}, "QB_SUPERUSER_PASSWORD"},
		{"superuser not an email", map[string]string{"QB_SUPERUSER_EMAIL": "admin", "QB_SUPERUSER_PASSWORD": "long-enough-pass"}, "QB_SUPERUSER_EMAIL"},
		{"ticket window text", map[string]string{"QB_TICKET_WINDOW": "soon"}, "QB_TICKET_WINDOW"},
		{"ticket window fraction", map[string]string{"QB_TICKET_WINDOW": "1500ms"}, "QB_TICKET_WINDOW"},
		{"ticket window zero", map[string]string{"QB_TICKET_WINDOW": "0s"}, "QB_TICKET_WINDOW"},
		{"ticket window too long", map[string]string{"QB_TICKET_WINDOW": "2h"}, "QB_TICKET_WINDOW"},
		{"auth max age text", map[string]string{"QB_TELEGRAM_AUTH_MAX_AGE": "forever"}, "QB_TELEGRAM_AUTH_MAX_AGE"},
		{"auth max age too short", map[string]string{"QB_TELEGRAM_AUTH_MAX_AGE": "10s"}, "QB_TELEGRAM_AUTH_MAX_AGE"},
		{"auth max age too long", map[string]string{"QB_TELEGRAM_AUTH_MAX_AGE": "30d"}, "QB_TELEGRAM_AUTH_MAX_AGE"},
		{"dsn", map[string]string{"QB_POSTGRES_DSN": "mysql://x"}, "QB_POSTGRES_DSN"},
		{"sync schema", map[string]string{"QB_SYNC_SCHEMA": "bi; drop table x"}, "QB_SYNC_SCHEMA"},
		{"sync schema digit", map[string]string{"QB_SYNC_SCHEMA": "1st"}, "QB_SYNC_SCHEMA"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := config.Parse(env(tc.env))
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("want an error naming %s, got %v", tc.want, err)
			}
		})
	}
}

// Whatever the environment holds, Parse answers with a config or an error
// that names a QB_ variable; it never panics.
func FuzzParse(f *testing.F) {
	f.Add("QB_S3_FORCE_PATH_STYLE", "yes")
	f.Add("QB_TELEGRAM_RATE", "1e309")
	f.Add("QB_SYNC_INTERVAL", "30d")
	f.Add("QB_PUBLIC_URL", "http://[::1]:namedport")
	f.Add("QB_VERIFICATION_RETENTION", "9999999999999999d")
	f.Fuzz(func(t *testing.T, name, value string) {
		_, err := config.Parse(env(map[string]string{name: value}))
		if err != nil && !strings.Contains(err.Error(), "QB_") {
			t.Fatalf("error does not name a variable: %v", err)
		}
	})
}

// Variables names exactly what Parse reads, so the README and compose
// checks built on it cover every variable.
func TestVariablesIsComplete(t *testing.T) {
	read := map[string]bool{}
	config.Parse(func(k string) (string, bool) { read[k] = true; return "", false })
	if len(read) != len(config.Variables) {
		t.Fatalf("Parse reads %d variables, Variables lists %d", len(read), len(config.Variables))
	}
	for _, v := range config.Variables {
		if !read[v] {
			t.Errorf("%s is listed but not read", v)
		}
	}
}
