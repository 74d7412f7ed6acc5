package web

import (
	"os"
	"testing"
	"time"

	"todos/app"
	"todos/app/store"
	"todos/app/store/console"
)

// consoleChildEnv makes the test binary act as the SQL console's child
// process (see TestMain and newTestConsole).
const consoleChildEnv = "TODOS_WEB_CONSOLE_CHILD"

// TestMain lets the test binary act as the console child: the console of
// newTestEnv starts os.Args[0] with TODOS_WEB_CONSOLE_CHILD=1, as the real
// binary starts itself with its hidden console command.
func TestMain(m *testing.M) {
	if os.Getenv(consoleChildEnv) == "1" {
		os.Exit(console.ChildMain(os.Stdin, os.Stdout))
	}
	os.Exit(m.Run())
}

// newTestConsole returns the real console for the tenants of provider, its
// children this test binary.
func newTestConsole(t testing.TB, provider store.Provider) app.Console {
	runner := &console.Runner{
		Command:  []string{os.Args[0]},
		Env:      append(os.Environ(), consoleChildEnv+"=1", "GORACE=atexit_sleep_ms=0"),
		Timeout:  20 * time.Second, // race-enabled children start slowly
		Parallel: 16,
	}
	return console.NewProviderConsole(runner, provider)
}
