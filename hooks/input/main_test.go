package input_test

import (
	"testing"

	"questbase/hooks/testapp"
)

func TestMain(m *testing.M) { testapp.Main(m) }
