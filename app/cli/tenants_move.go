package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// runTenantsMove moves a tenant's database to another region: "todos
// tenants move NAME --region CODE". The region must be typed: TODOS_REGION
// and FLY_REGION say where a server runs, never where a tenant goes. The
// move is audited as done by "cli" (see store.Tenants.MoveTenant).
func runTenantsMove(ctx context.Context, env Env, args []string) error {
	var cfg Config
	fs := newFlagSet("todos tenants move", env)
	storageFlags(fs, &cfg)
	region := fs.String("region", "", "the region to move the tenant to (required; one of --regions)")
	name, err := parseTenantArgs(fs, env, args, true)
	if err != nil {
		return err
	}
	if !typedFlag(args, "region") || strings.TrimSpace(*region) == "" {
		fmt.Fprintln(env.Stderr, "todos tenants move: --region is required")
		return errUsage
	}
	if n, err := liveRuns(cfg.DataDir); err != nil {
		return err
	} else if n > 0 {
		// The move holds the list in this process only: a server's requests
		// could write to the old database while it is copied.
		return fmt.Errorf("a server is running on %s: move %s from its admin app (the tenant's page, "+
			"\"Move to region\"), which holds the list while it is copied, or stop the server first", cfg.DataDir, name)
	}
	b, err := openStorage(&cfg, 1, env.Assets.Schema)
	if err != nil {
		return err
	}
	defer b.Close()
	m, err := b.tenants.MoveTenant(ctx, strings.ToLower(name), strings.TrimSpace(*region), "cli")
	if err != nil {
		return tenantError(name, err)
	}
	fmt.Fprintf(env.Stdout, "Moved tenant %s from region %s to %s: %d rows in %d tables copied and verified.\n",
		m.Tenant.Name, m.From, m.To, m.Rows(), len(m.Tables))
	for _, t := range m.Tables {
		fmt.Fprintf(env.Stdout, "  %s: %d rows\n", t.Table, t.Rows)
	}
	fmt.Fprintf(env.Stdout, "Its database is now %s.\n", m.Tenant.Location)
	if m.Leftover != "" {
		fmt.Fprintf(env.Stdout, "Its old database could not be removed: remove %s by hand.\n", m.Leftover)
	}
	return nil
}

// typedFlag reports whether args (a command line) set the flag name, as
// -name or --name, with or without "=value".
func typedFlag(args []string, name string) bool {
	for _, a := range args {
		if a == "--" {
			return false
		}
		flag, _, _ := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if strings.HasPrefix(a, "-") && flag == name {
			return true
		}
	}
	return false
}

// liveRuns returns how many servers run on dataDir: the run markers (see
// startRunMarker) that a live process holds.
func liveRuns(dataDir string) (int, error) {
	entries, err := os.ReadDir(filepath.Join(dataDir, runDir))
	if errors.Is(err, fs.ErrNotExist) {
		return 0, nil
	} else if err != nil {
		return 0, err
	}
	n := 0
	for _, e := range entries {
		if !strings.HasSuffix(e.Name(), runSuffix) && !strings.HasSuffix(e.Name(), startSuffix) {
			continue
		}
		if held, err := isHeld(filepath.Join(dataDir, runDir, e.Name())); err == nil && held {
			n++
		}
	}
	return n, nil
}
