package pbpublic_test

import (
	"os"
	"testing"
)

// The browser tests drive the real binary: one questbase process for the
// whole package, built and started on first use (so a run without Chromium
// builds nothing), stopped here.
func TestMain(m *testing.M) {
	code := m.Run()
	stopServer()
	os.Exit(code)
}
