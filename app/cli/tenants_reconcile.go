package cli

import (
	"context"
	"errors"
	"fmt"

	"todos/app/store"
)

// errDrift is the exit status of a reconcile that found drift it did not
// repair.
var errDrift = errors.New("the control plane and the provider differ")

// runTenantsReconcile runs "todos tenants reconcile [--fix]": it reports
// the databases of the provider that no tenant record points to and the
// tenant records whose database is missing, and with --fix repairs them
// (store.Tenants.FixDrift). It exits 1 when drift remains.
func runTenantsReconcile(ctx context.Context, env Env, args []string) error {
	var cfg Config
	fs := newFlagSet("todos tenants reconcile", env)
	storageFlags(fs, &cfg)
	fix := fs.Bool("fix", false, "remove databases without a tenant, and move tenants without a database to the trash")
	if _, err := parseTenantArgs(fs, env, args, false); err != nil {
		return err
	}
	b, err := openStorage(&cfg, 1, env.Assets.Schema)
	if err != nil {
		return err
	}
	defer b.Close()
	rep, err := b.tenants.FindDrift(ctx)
	if err != nil {
		return userError(err)
	}
	left := 0
	for _, d := range rep.Drift {
		if !*fix {
			fmt.Fprintln(env.Stdout, d)
			left++
			continue
		}
		if err := b.tenants.FixDrift(ctx, d); err != nil {
			fmt.Fprintf(env.Stdout, "%s: not fixed: %v\n", d, userError(err))
			left++
			continue
		}
		switch d.Kind {
		case store.DriftOrphan:
			fmt.Fprintf(env.Stdout, "%s: removed\n", d)
		case store.DriftMissing:
			fmt.Fprintf(env.Stdout, "%s: moved to the trash\n", d)
		}
	}
	fmt.Fprintf(env.Stdout, "%d tenant records checked, %d differences", rep.Checked, len(rep.Drift))
	if !rep.Listed {
		fmt.Fprint(env.Stdout, "; this provider cannot list its databases, so databases without a tenant were not looked for")
	}
	fmt.Fprintln(env.Stdout)
	if left > 0 {
		if !*fix {
			fmt.Fprintln(env.Stdout, "Run again with --fix to repair them.")
		}
		return errDrift
	}
	return nil
}
