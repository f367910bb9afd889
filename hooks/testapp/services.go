package testapp

import (
	"fmt"
	"os"
	"testing"
)

// MissingService ends a test that needs an outside service (PostgreSQL,
// Chromium) which is not available: it skips, or fails when
// QB_REQUIRE_SERVICES=1 (CI), so that a missing service never passes
// silently there.
func MissingService(t testing.TB, service string, err error) {
	t.Helper()
	msg := fmt.Sprintf("%s is not available: %v", service, err)
	if os.Getenv("QB_REQUIRE_SERVICES") == "1" {
		t.Fatalf("%s (QB_REQUIRE_SERVICES=1)", msg)
	}
	t.Skipf("%s (set QB_REQUIRE_SERVICES=1 to fail instead)", msg)
}
