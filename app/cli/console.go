package cli

import (
	"fmt"

	"todos/app/store/console"
)

// consoleChildCommand is the hidden command the SQL console runs itself as:
// each console query executes in a child process that can be killed when it
// runs too long, since the database driver cannot interrupt a query.
const consoleChildCommand = console.ChildCommand

// runConsoleChild runs one console query read from stdin and writes its
// result to stdout.
func runConsoleChild(env Env) error {
	if code := console.ChildMain(env.Stdin, env.Stdout); code != 0 {
		return fmt.Errorf("console child exited with %d", code)
	}
	return nil
}
