// Package cli is the todos command: it parses flags and environment, wires
// storage to the web server and runs the subcommands.
package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// Assets are the files embedded in the binary.
type Assets struct {
	Views  fs.FS  // contents of views/
	Static fs.FS  // contents of static/
	Schema string // schema.sql
}

// Env is the process environment a command runs in, replaceable in tests.
type Env struct {
	Args   []string // without the program name
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	Getenv func(string) string
	Assets Assets
}

// Version is set at build time with -ldflags "-X todos/app/cli.Version=...".
var Version = ""

// errUsage marks an error whose message is already printed with usage.
var errUsage = errors.New("usage")

// Run runs the command named by env.Args and returns the exit code.
func Run(ctx context.Context, env Env) int {
	err := dispatch(ctx, env)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintln(env.Stderr, "todos:", err)
	return 1
}

// dispatch picks the subcommand.
func dispatch(ctx context.Context, env Env) error {
	args := env.Args
	if len(args) == 0 {
		return runServe(ctx, env, nil)
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, env, args[1:])
	case "version", "--version", "-version":
		return runVersion(env, args[1:])
	case "tenants":
		return runTenants(ctx, env, args[1:])
	case "admin":
		return runAdmin(ctx, env, args[1:])
	case "migrate":
		return runMigrate(ctx, env, args[1:])
	case "backup":
		return runBackup(ctx, env, args[1:])
	case consoleChildCommand:
		return runConsoleChild(env)
	case "help", "-h", "--help", "-help":
		return runHelp(ctx, env, args[1:])
	}
	fmt.Fprintf(env.Stderr, "todos: unknown command %q\nRun \"todos help\" for the list of commands.\n", args[0])
	return errUsage
}

// stdEnv is the environment of the real process.
func stdEnv(args []string, assets Assets) Env {
	return Env{Args: args, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Assets: assets}
}

// Main runs the command line of the process and exits.
func Main(assets Assets) {
	ctx := context.Background()
	os.Exit(Run(ctx, stdEnv(os.Args[1:], assets)))
}
