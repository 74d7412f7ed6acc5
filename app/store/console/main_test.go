package console

import (
	"os"
	"testing"
)

// childEnv makes the test binary act as the console child (see TestMain).
const childEnv = "TODOS_CONSOLE_CHILD"

// TestMain lets the test binary act as the child process: the Runner of
// the tests starts os.Args[0] with TODOS_CONSOLE_CHILD=1.
func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		os.Exit(ChildMain(os.Stdin, os.Stdout))
	}
	os.Exit(m.Run())
}
