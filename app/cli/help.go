package cli

import (
	"context"
	"fmt"
	"io"
	"strings"
)

// helpEntry is one command's lines in the help: names are the flag-set
// names of the commands it describes ("todos tenants suspend"), text its
// synopsis as printed.
type helpEntry struct {
	names []string
	text  string
}

// helpEntries are the commands in the order "todos help" lists them.
var helpEntries = []helpEntry{
	{nil, `  todos                        serve with defaults (same as "todos serve")`},
	{[]string{"todos serve"}, `  todos serve [flags]          serve the site, every tenant and the admin host`},
	{[]string{"todos tenants list"}, `  todos tenants list [--trash] [--json]
                               list tenants (--trash: those in the trash)`},
	{[]string{"todos tenants create"}, `  todos tenants create NAME --email EMAIL [--region R]
                               create a tenant; the owner's password is read
                               from stdin, or generated and printed once`},
	{[]string{"todos tenants clone"}, `  todos tenants clone SOURCE TARGET
                               copy a tenant's database into a new tenant`},
	{[]string{"todos tenants export"}, `  todos tenants export NAME [FILE]
                               write a snapshot of a tenant's database`},
	{[]string{"todos tenants import"}, `  todos tenants import NAME FILE
                               create a tenant from a database file`},
	{[]string{"todos tenants move"}, `  todos tenants move NAME --region CODE
                               copy a tenant's database into another region,
                               verify it, switch the tenant and audit it`},
	{[]string{"todos tenants suspend"}, `  todos tenants suspend NAME [--reason TEXT]
                               refuse a tenant's users until resumed; the
                               reason is shown to them`},
	{[]string{"todos tenants resume"}, `  todos tenants resume NAME    let a suspended tenant's users back in`},
	{[]string{"todos tenants delete"}, `  todos tenants delete NAME    move a tenant to the trash`},
	{[]string{"todos tenants restore"}, `  todos tenants restore NAME   bring a tenant back from the trash`},
	{[]string{"todos tenants purge"}, `  todos tenants purge NAME     remove a tenant in the trash for good`},
	{[]string{"todos tenants recount"}, `  todos tenants recount [NAME] count todos in the tenants' databases and
                               correct the counters the control plane shows`},
	{[]string{"todos tenants reconcile"}, `  todos tenants reconcile [--fix] [--json]
                               report databases without a tenant and tenants
                               without a database; --fix removes the first
                               and moves the second to the trash`},
	{[]string{"todos admin create"}, `  todos admin create EMAIL     create an admin (password from stdin, or
                               generated and printed once)`},
	{[]string{"todos admin remove"}, `  todos admin remove EMAIL     remove an admin; their sessions end at once`},
	{[]string{"todos admin list"}, `  todos admin list [--json]    list the admins and when each was created`},
	{[]string{"todos migrate"}, `  todos migrate [--dry-run] [--json] [--concurrency N]
                               apply pending schema migrations to every tenant`},
	{[]string{"todos backup"}, `  todos backup --out DIR [--restore-dir DIR]
                               write a consistent copy of the data directory,
                               also while a server runs; restore by using DIR
                               as the data directory`},
	{[]string{"todos version"}, `  todos version                print the version and the commit it was built from`},
}

// helpFooter ends the top-level help and every topic.
const helpFooter = `
Every command takes --data DIR (env TODOS_DATA, default ./data) and the
server's --provider settings (env TODOS_PROVIDER, TODOS_SQLD_URL,
TODOS_SQLD_ADMIN_URL): give each command the same as the server. Only
"todos serve" creates the data directory; the other commands refuse one
that does not exist.

Durations are written like 90s, 15m, 12h, 1h30m or 7d (days).
Run "todos help COMMAND" (serve, tenants, admin, migrate, backup, version),
or add --help to any command, for its flags.
`

// usage is the top-level help.
var usage = "Usage:\n" + helpSection("") + helpFooter

// helpSection returns the help lines of the commands whose names start
// with prefix ("todos tenants "), or of every command for "".
func helpSection(prefix string) string {
	var b strings.Builder
	for _, e := range helpEntries {
		if prefix == "" || (len(e.names) > 0 && strings.HasPrefix(e.names[0]+" ", prefix)) {
			b.WriteString(e.text + "\n")
		}
	}
	return b.String()
}

// synopsis returns the help lines of the command whose flag set is named
// name, or "  name [flags]" for one the help does not list.
func synopsis(name string) string {
	for _, e := range helpEntries {
		for _, n := range e.names {
			if n == name {
				return e.text
			}
		}
	}
	return "  " + name + " [flags]"
}

// groupHelp prints the help of a command group ("tenants", "admin"): its
// subcommands and how to see their flags.
func groupHelp(w io.Writer, group string) {
	fmt.Fprintf(w, "Usage:\n%s%s", helpSection("todos "+group+" "), helpFooter)
}

// groups are the commands made of subcommands, whose help is a list.
var groups = map[string]bool{"tenants": true, "admin": true}

// isHelpArg reports whether arg asks for help.
func isHelpArg(arg string) bool {
	return arg == "help" || arg == "-h" || arg == "--help" || arg == "-help"
}

// runHelp runs "todos help [TOPIC [SUBCOMMAND]]": the list of commands, a
// group's subcommands, or a command's flags (the same as COMMAND --help).
func runHelp(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(env.Stdout, usage)
		return nil
	}
	topic := args[0]
	sub := env
	switch {
	case groups[topic] && len(args) == 1:
		groupHelp(env.Stdout, topic)
		return nil
	case groups[topic]:
		sub.Args = []string{topic, args[1], "--help"}
		return dispatch(ctx, sub)
	case topic == "serve" || topic == "migrate" || topic == "backup" || topic == "version":
		sub.Args = []string{topic, "--help"}
		return dispatch(ctx, sub)
	}
	fmt.Fprintf(env.Stderr, "todos help: unknown topic %q: want serve, tenants, admin, migrate, backup or version\n", topic)
	return errUsage
}
