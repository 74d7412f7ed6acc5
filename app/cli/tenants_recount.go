package cli

import (
	"cmp"
	"context"
	"flag"
	"fmt"
	"strings"

	"todos/app"
)

// runTenantsRecount runs "todos tenants recount [NAME]": it counts the
// todos of one live tenant, or of every live tenant, in their databases and
// corrects the control plane's counters where they lag (after a crash lost
// the last batch of activity, or after writes made outside the app). A
// tenant that cannot be recounted is reported and the others are still
// recounted; the command then exits 1.
func runTenantsRecount(ctx context.Context, env Env, args []string) error {
	var cfg Config
	fs := newFlagSet("todos tenants recount", env)
	storageFlags(fs, &cfg)
	name, err := parseTenantArgs(fs, env, args, hasPositional(fs, args))
	if err != nil {
		return err
	}
	b, err := openStorage(&cfg, 4, env.Assets.Schema)
	if err != nil {
		return err
	}
	defer b.Close()
	var ts []*app.Tenant
	if name != "" {
		t, err := b.tenants.FindTenantByNameIncludingTrash(ctx, name)
		if err != nil {
			return tenantError(name, err)
		}
		if t.Status == app.TenantDeleted {
			return fmt.Errorf("tenant %s is in the trash: restore it first", t.Name)
		}
		ts = []*app.Tenant{t}
	} else if ts, err = b.tenants.ListTenants(ctx); err != nil {
		return err
	}
	corrected, failed := 0, 0
	var firstErr error
	for _, t := range ts {
		counted, err := b.tenants.RecountTenant(ctx, t)
		if err != nil {
			failed++
			err = fmt.Errorf("recount %s: %w", t.Name, userError(err))
			firstErr = cmp.Or(firstErr, err)
			if name == "" {
				fmt.Fprintln(env.Stderr, "todos:", err)
			}
			continue
		}
		if counted.TodoCount != t.TodoCount || counted.CompletedCount != t.CompletedCount {
			corrected++
			fmt.Fprintf(env.Stdout, "%s: %d todos, %d completed (was %d, %d)\n", t.Name,
				counted.TodoCount, counted.CompletedCount, t.TodoCount, t.CompletedCount)
		}
	}
	detail := fmt.Sprintf("%d tenants, %d corrected", len(ts), corrected)
	if failed > 0 {
		detail += fmt.Sprintf(", %d failed", failed)
	}
	audit(ctx, b, "recount", name, detail, firstErr)
	fmt.Fprintf(env.Stdout, "Recounted %d tenants: %d corrected.\n", len(ts)-failed, corrected)
	switch {
	case failed > 0 && name != "":
		return firstErr
	case failed > 0:
		return fmt.Errorf("%d of %d tenants could not be recounted (first: %w)", failed, len(ts), firstErr)
	}
	return nil
}

// hasPositional reports whether args hold an argument that is neither a
// flag nor a flag's value.
func hasPositional(fs *flag.FlagSet, args []string) bool {
	for i := 0; i < len(args); i++ {
		if !strings.HasPrefix(args[i], "-") {
			return true
		}
		if needsValue(fs, args[i]) {
			i++
		}
	}
	return false
}
