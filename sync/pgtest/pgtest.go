// Package pgtest gives tests a fresh PostgreSQL database of their own on
// the server named by QB_TEST_POSTGRES_DSN (default: trust auth on
// 127.0.0.1:5432), dropped when the test ends. Without a server the test
// skips, or fails when QB_REQUIRE_SERVICES=1.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"questbase/hooks/testapp"
)

// DefaultDSN is the server tests use when QB_TEST_POSTGRES_DSN is unset.
const DefaultDSN = "postgres://postgres@127.0.0.1:5432/postgres?sslmode=disable"

// ServerDSN is the maintenance database tests create their databases from.
func ServerDSN() string {
	if dsn := os.Getenv("QB_TEST_POSTGRES_DSN"); dsn != "" {
		return dsn
	}
	return DefaultDSN
}

// Connect opens a connection to dsn, ending the test when the server is
// missing (see testapp.MissingService).
func Connect(t testing.TB, dsn string) *pgx.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		testapp.MissingService(t, "PostgreSQL ("+redacted(dsn)+")", err)
	}
	t.Cleanup(func() { conn.Close(context.Background()) })
	return conn
}

// Database creates an empty database and returns its DSN.
func Database(t testing.TB) string {
	t.Helper()
	admin := Connect(t, ServerDSN())
	b := make([]byte, 6)
	rand.Read(b)
	name := "qbtest_" + hex.EncodeToString(b)
	ctx := context.Background()
	if _, err := admin.Exec(ctx, "CREATE DATABASE "+name); err != nil {
		t.Fatalf("create database: %v", err)
	}
	t.Cleanup(func() {
		c, err := pgx.Connect(ctx, ServerDSN())
		if err != nil {
			t.Errorf("drop database %s: %v", name, err)
			return
		}
		defer c.Close(ctx)
		if _, err := c.Exec(ctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			t.Errorf("drop database %s: %v", name, err)
		}
	})
	return WithDatabase(ServerDSN(), name)
}

// WithDatabase returns dsn pointing at another database.
func WithDatabase(dsn, name string) string {
	if u, err := url.Parse(dsn); err == nil && (u.Scheme == "postgres" || u.Scheme == "postgresql") {
		u.Path = "/" + name
		return u.String()
	}
	return strings.TrimSpace(dsn) + " dbname=" + name
}

func redacted(dsn string) string {
	if u, err := url.Parse(dsn); err == nil && u.User != nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		return u.String()
	}
	return dsn
}
