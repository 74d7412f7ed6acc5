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
	"runtime/debug"
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
		fmt.Fprintln(env.Stdout, "todos", versionString())
		return nil
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
	case "help", "-h", "--help":
		fmt.Fprint(env.Stdout, usage)
		return nil
	}
	fmt.Fprintf(env.Stderr, "todos: unknown command %q\n\n%s", args[0], usage)
	return errUsage
}

// usage is the top-level help.
const usage = `Usage:
  todos                        serve with defaults (same as "todos serve")
  todos serve [flags]          serve the site, every tenant and the admin host
  todos tenants list           list tenants
  todos tenants create NAME --email EMAIL [--region R]
                               create a tenant; the owner's password is read
                               from stdin, or generated and printed once
  todos tenants clone SOURCE TARGET
                               copy a tenant's database into a new tenant
  todos tenants export NAME [FILE]
                               write a snapshot of a tenant's database
  todos tenants import NAME FILE
                               create a tenant from a database file
  todos tenants move NAME --region CODE
                               copy a tenant's database into another region,
                               verify it, switch the tenant and audit it
  todos tenants suspend|resume NAME
  todos tenants delete NAME    move a tenant to the trash
  todos tenants restore NAME   bring a tenant back from the trash
  todos tenants purge NAME     remove a tenant in the trash for good
  todos tenants recount [NAME] count todos in the tenants' databases and
                               correct the counters the control plane shows
  todos tenants reconcile [--fix]
                               report databases without a tenant and tenants
                               without a database; --fix removes the first
                               and moves the second to the trash
  todos admin create EMAIL     create an admin (password from stdin, or
                               generated and printed once)
  todos admin remove EMAIL     remove an admin; their sessions end at once
  todos migrate [--dry-run] [--concurrency N]
                               apply pending schema migrations to every tenant
  todos backup --out DIR [--restore-dir DIR]
                               write a consistent copy of the data directory,
                               also while a server runs; restore by using DIR
                               as the data directory
  todos version                print the version

Every command takes --data DIR (env TODOS_DATA, default ./data) and the
server's --provider settings (env TODOS_PROVIDER, TODOS_SQLD_URL,
TODOS_SQLD_ADMIN_URL): give each command the same as the server.

Run "todos serve -h" for the server's flags and environment variables.
`

// versionString is the build's version: the -ldflags value, else the module
// version or VCS revision recorded by the Go toolchain.
func versionString() string {
	if Version != "" {
		return Version
	}
	info, ok := debug.ReadBuildInfo()
	if !ok {
		return "unknown"
	}
	v := info.Main.Version
	for _, s := range info.Settings {
		if s.Key == "vcs.revision" && len(s.Value) >= 12 {
			v = "dev+" + s.Value[:12]
		}
	}
	if v == "" || v == "(devel)" {
		v = "dev"
	}
	return v
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
