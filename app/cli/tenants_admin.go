package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"todos/app"
)

// tenantAction is a "todos tenants X NAME" command that acts on one tenant.
type tenantAction struct {
	usage string
	run   tenantActionRun
	// flags, when set, defines the action's own flags on fs and returns
	// the run that reads them (run is then unused).
	flags func(fs *flag.FlagSet) tenantActionRun
}

// tenantActionRun runs a tenant action on tenant name with the positional
// arguments after it.
type tenantActionRun func(ctx context.Context, env Env, b *backend, name string, extra []string) error

// simpleAction is an action that takes only the tenant's name: it runs do,
// audits it and prints done.
func simpleAction(action, done string, do func(*backend) func(context.Context, string) error) tenantAction {
	return tenantAction{usage: "NAME", run: func(ctx context.Context, env Env, b *backend, name string, extra []string) error {
		if len(extra) > 0 {
			fmt.Fprintf(env.Stderr, "todos tenants %s: unexpected argument %q\n", action, extra[0])
			return errUsage
		}
		err := do(b)(ctx, name)
		audit(ctx, b, action, name, "", err)
		if err != nil {
			return tenantError(name, err)
		}
		fmt.Fprintf(env.Stdout, done+"\n", name)
		return nil
	}}
}

// suspendAction is "todos tenants suspend NAME [--reason TEXT]": the
// reason, if given, is shown to the tenant's users on the suspended page.
func suspendAction(fs *flag.FlagSet) tenantActionRun {
	reason := fs.String("reason", "", "why the list is suspended, shown to its users (at most 200 characters)")
	return func(ctx context.Context, env Env, b *backend, name string, extra []string) error {
		if len(extra) > 0 {
			fmt.Fprintf(env.Stderr, "todos tenants suspend: unexpected argument %q\n", extra[0])
			return errUsage
		}
		cleaned, err := app.CleanSuspendReason(*reason)
		if err == nil {
			err = b.tenants.SuspendTenantWithReason(ctx, name, cleaned)
		}
		audit(ctx, b, "suspend", name, cleaned, err)
		if err != nil {
			return tenantError(name, err)
		}
		if cleaned == "" {
			fmt.Fprintf(env.Stdout, "Suspended tenant %s.\n", name)
		} else {
			fmt.Fprintf(env.Stdout, "Suspended tenant %s. Its users see the reason: %s\n", name, cleaned)
		}
		return nil
	}
}

// restore adapts RestoreTenant to the shape of the other simple actions.
func restore(b *backend) func(context.Context, string) error {
	return func(ctx context.Context, name string) error {
		_, err := b.tenants.RestoreTenant(ctx, name)
		return err
	}
}

// tenantActions are the tenant subcommands beyond list and create.
var tenantActions = map[string]tenantAction{
	"delete": simpleAction("delete", "Deleted tenant %s: it is in the trash until purged or restored.",
		func(b *backend) func(context.Context, string) error { return b.tenants.DeleteTenant }),
	"suspend": {usage: "NAME [--reason TEXT]", flags: suspendAction},
	"resume": simpleAction("resume", "Resumed tenant %s.",
		func(b *backend) func(context.Context, string) error { return b.tenants.ResumeTenant }),
	"restore": simpleAction("restore", "Restored tenant %s.", restore),
	"purge": simpleAction("purge", "Purged tenant %s and its database for good.",
		func(b *backend) func(context.Context, string) error { return b.tenants.PurgeTenant }),
	"clone": {usage: "SOURCE TARGET", run: func(ctx context.Context, env Env, b *backend, name string, extra []string) error {
		if len(extra) != 1 {
			fmt.Fprintln(env.Stderr, "todos tenants clone: want SOURCE TARGET")
			return errUsage
		}
		t, err := b.tenants.CloneTenant(ctx, name, extra[0])
		audit(ctx, b, "clone", name, "into "+extra[0], err)
		if err != nil {
			return tenantError(name, err)
		}
		fmt.Fprintf(env.Stdout, "Cloned %s into %s (%d todos).\n", name, t.Name, t.TodoCount)
		return nil
	}},
	"export": {usage: "NAME [FILE]", run: func(ctx context.Context, env Env, b *backend, name string, extra []string) error {
		path := name + "-" + time.Now().UTC().Format("2006-01-02") + ".db"
		if len(extra) == 1 {
			path = extra[0]
		} else if len(extra) > 1 {
			return errUsage
		}
		n, err := exportTo(ctx, b, name, path)
		audit(ctx, b, "export", name, path, err)
		if err != nil {
			return tenantError(name, err)
		}
		fmt.Fprintf(env.Stdout, "Exported %s to %s (%d bytes).\n", name, path, n)
		return nil
	}},
	"import": {usage: "NAME FILE", run: func(ctx context.Context, env Env, b *backend, name string, extra []string) error {
		if len(extra) != 1 {
			fmt.Fprintln(env.Stderr, "todos tenants import: want NAME FILE")
			return errUsage
		}
		t, err := importFrom(ctx, b, name, extra[0])
		audit(ctx, b, "import", name, filepath.Base(extra[0]), err)
		if err != nil {
			return tenantError(name, err)
		}
		fmt.Fprintf(env.Stdout, "Imported %s as tenant %s (%d todos).\n", extra[0], t.Name, t.TodoCount)
		return nil
	}},
}

// runTenantAction parses "NAME [more]" plus --data and runs the action.
func runTenantAction(ctx context.Context, env Env, verb string, args []string) error {
	a := tenantActions[verb]
	var cfg Config
	fs := newFlagSet("todos tenants "+verb, env)
	storageFlags(fs, &cfg)
	run := a.run
	if a.flags != nil {
		run = a.flags(fs)
	}
	var pos, flags []string
	for i := 0; i < len(args); i++ {
		if strings.HasPrefix(args[i], "-") {
			flags = append(flags, args[i])
			if needsValue(fs, args[i]) && i+1 < len(args) {
				i++
				flags = append(flags, args[i])
			}
			continue
		}
		pos = append(pos, args[i])
	}
	if err := parseFlags(fs, env, flags); err != nil {
		return err
	}
	if len(pos) == 0 {
		fmt.Fprintf(env.Stderr, "todos tenants %s: want %s\n", verb, a.usage)
		return errUsage
	}
	b, err := openStorage(&cfg, 4, env.Assets.Schema)
	if err != nil {
		return err
	}
	defer b.Close()
	return run(ctx, env, b, strings.ToLower(pos[0]), pos[1:])
}

// exportTo writes a snapshot of tenant name to path, never leaving a partial
// file behind.
func exportTo(ctx context.Context, b *backend, name, path string) (int64, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".export-*.db")
	if err != nil {
		return 0, err
	}
	defer os.Remove(tmp.Name())
	n, err := b.tenants.ExportTenant(ctx, name, tmp)
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return 0, err
	}
	if _, err := os.Stat(path); err == nil {
		return 0, fmt.Errorf("%s already exists", path)
	}
	return n, os.Rename(tmp.Name(), path)
}

// importFrom creates tenant name, in the first region, from the database
// file at path.
func importFrom(ctx context.Context, b *backend, name, path string) (*app.Tenant, error) {
	f, err := os.Open(path)
	if errors.Is(err, os.ErrNotExist) {
		return nil, fmt.Errorf("%s does not exist", path)
	} else if err != nil {
		return nil, err
	}
	defer f.Close()
	return b.tenants.ImportTenant(ctx, app.ImportInput{Name: name, Region: b.tenants.Regions()[0].Code, File: f})
}
