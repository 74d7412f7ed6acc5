package cli

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"strings"

	"golang.org/x/term"

	"todos/app"
)

// runTenants runs "todos tenants SUBCOMMAND".
func runTenants(ctx context.Context, env Env, args []string) error {
	if len(args) == 0 {
		fmt.Fprint(env.Stderr, "todos tenants: missing subcommand\n")
		groupHelp(env.Stderr, "tenants")
		return errUsage
	}
	if isHelpArg(args[0]) {
		groupHelp(env.Stdout, "tenants")
		return nil
	}
	switch args[0] {
	case "list":
		return runTenantsList(ctx, env, args[1:])
	case "create":
		return runTenantsCreate(ctx, env, args[1:])
	case "recount":
		return runTenantsRecount(ctx, env, args[1:])
	case "move":
		return runTenantsMove(ctx, env, args[1:])
	case "reconcile":
		return runTenantsReconcile(ctx, env, args[1:])
	}
	if _, ok := tenantActions[args[0]]; ok {
		return runTenantAction(ctx, env, args[0], args[1:])
	}
	fmt.Fprintf(env.Stderr, "todos tenants: unknown subcommand %q\n", args[0])
	groupHelp(env.Stderr, "tenants")
	return errUsage
}

// parseTenantArgs parses environment and flags that may come before or
// after the one positional NAME argument (Go's flag package stops at the
// first positional one).
func parseTenantArgs(fs *flag.FlagSet, env Env, args []string, wantName bool) (string, error) {
	missing := ""
	if wantName {
		missing = "tenant NAME"
	}
	return parseOneArg(fs, env, args, missing)
}

// parseOneArg is parseTenantArgs for a positional argument described by
// missing ("admin EMAIL"), or none when missing is "".
func parseOneArg(fs *flag.FlagSet, env Env, args []string, missing string) (string, error) {
	want := missing != ""
	var name string
	var rest []string
	for _, a := range args {
		if want && name == "" && !strings.HasPrefix(a, "-") && (len(rest) == 0 || !needsValue(fs, rest[len(rest)-1])) {
			name = a
			continue
		}
		rest = append(rest, a)
	}
	if err := parseFlags(fs, env, rest); err != nil {
		return "", err
	}
	if fs.NArg() > 0 {
		commandUsageError(env.Stderr, fs, fmt.Sprintf("unexpected argument %q", fs.Arg(0)))
		return "", errUsage
	}
	if want && name == "" {
		commandUsageError(env.Stderr, fs, "missing "+missing)
		return "", errUsage
	}
	return name, nil
}

// needsValue reports whether arg is a flag written without "=value" whose
// value is therefore the next argument.
func needsValue(fs *flag.FlagSet, arg string) bool {
	if strings.Contains(arg, "=") {
		return false
	}
	f := fs.Lookup(strings.TrimLeft(arg, "-"))
	if f == nil {
		return false
	}
	if bf, ok := f.Value.(interface{ IsBoolFlag() bool }); ok && bf.IsBoolFlag() {
		return false
	}
	return true
}

// runTenantsCreate creates a tenant and its owner. The password is read from
// stdin when stdin is not a terminal; otherwise one is generated and printed
// once.
func runTenantsCreate(ctx context.Context, env Env, args []string) error {
	var cfg Config
	fs := newFlagSet("todos tenants create", env)
	storageFlags(fs, &cfg)
	email := fs.String("email", "", "owner's email (required)")
	region := fs.String("region", "local", "region of the tenant's database")
	name, err := parseTenantArgs(fs, env, args, true)
	if err != nil {
		return err
	}
	if *email == "" {
		fmt.Fprintln(env.Stderr, "todos tenants create: --email is required")
		return errUsage
	}
	password, generated, b, err := passwordAndBackend(env, &cfg)
	if err != nil {
		return err
	}
	defer b.Close()
	t, u, err := b.tenants.CreateTenant(ctx, app.CreateTenantInput{Name: name, Region: *region, OwnerEmail: *email, OwnerPassword: password})
	audit(ctx, b, "create", strings.ToLower(strings.TrimSpace(name)), "owner "+*email, err)
	if err != nil {
		return tenantError(name, err)
	}
	fmt.Fprintf(env.Stdout, "Created tenant %s (%s) in region %s for %s.\n", t.Name, t.ID, t.Region, u.Email)
	if generated {
		fmt.Fprintf(env.Stdout, "Owner password (shown once): %s\n", password)
	}
	return nil
}

// passwordAndBackend reads a new account's password (see readPassword), then
// opens the storage cfg names.
func passwordAndBackend(env Env, cfg *Config) (password string, generated bool, b *backend, err error) {
	if password, generated, err = readPassword(env); err != nil {
		return "", false, nil, err
	}
	b, err = openStorage(cfg, 1, env.Assets.Schema)
	return password, generated, b, err
}

// readPassword reads the owner's password from stdin, or generates one when
// stdin is a terminal or empty.
func readPassword(env Env) (password string, generated bool, err error) {
	if f, ok := env.Stdin.(*os.File); ok && term.IsTerminal(int(f.Fd())) {
		return generatePassword(), true, nil
	}
	line, err := bufio.NewReader(env.Stdin).ReadString('\n')
	line = strings.TrimRight(line, "\r\n")
	if line == "" {
		return generatePassword(), true, nil
	}
	if err := app.ValidatePassword(line); err != nil {
		return "", false, userError(err)
	}
	return line, false, nil
}

// generatePassword returns a random 20-character password.
func generatePassword() string {
	b := make([]byte, 15)
	_, _ = rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// tenantError is userError naming the tenant the command was about, when
// the message does not already: "tenant acme: There is no list with that
// name."
func tenantError(name string, err error) error {
	err = userError(err)
	if name == "" || strings.Contains(err.Error(), `"`+name+`"`) {
		return err
	}
	return fmt.Errorf("tenant %s: %w", name, err)
}

// userError turns an application error into its user message.
func userError(err error) error {
	if code := app.ErrorCode(err); code != app.EINTERNAL {
		return fmt.Errorf("%s", app.ErrorMessage(err))
	}
	return err
}
