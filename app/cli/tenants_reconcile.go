package cli

import (
	"context"
	"errors"
	"fmt"
	"io"

	"todos/app/store"
)

// errDrift is the exit status of a reconcile that found drift it did not
// repair.
var errDrift = errors.New("the control plane and the provider differ")

// runTenantsReconcile runs "todos tenants reconcile [--fix] [--json]": it
// reports the databases of the provider that no tenant record points to
// and the tenant records whose database is missing, and with --fix repairs
// them (store.Tenants.FixDrift); --json prints the report as one JSON
// object. It exits 1 when drift remains.
func runTenantsReconcile(ctx context.Context, env Env, args []string) error {
	var cfg Config
	fs := newFlagSet("todos tenants reconcile", env)
	storageFlags(fs, &cfg)
	fix := fs.Bool("fix", false, "remove databases without a tenant, and move tenants without a database to the trash")
	asJSON := fs.Bool("json", false, "print the report as a JSON object instead of lines")
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
	report := reconcileJSON{Checked: rep.Checked, Unchecked: rep.Unchecked, Listed: rep.Listed, Differences: []driftJSON{}}
	if rep.FirstErr != nil {
		report.UncheckedWhy = userError(rep.FirstErr).Error()
	}
	for _, d := range rep.Drift {
		r := driftJSON{Kind: string(d.Kind), Location: d.Location, TenantID: d.TenantID, Tenant: d.Tenant,
			Status: string(d.Status), Description: d.String()}
		if *fix {
			if err := b.tenants.FixDrift(ctx, d); err != nil {
				r.Error = userError(err).Error()
			} else {
				r.Fixed = true
			}
		}
		report.Differences = append(report.Differences, r)
	}
	if *asJSON {
		if err := writeJSON(env.Stdout, report); err != nil {
			return err
		}
	} else {
		printReconcile(env.Stdout, report, *fix)
	}
	if report.left() > 0 {
		return errDrift
	}
	return nil
}

// reconcileJSON is the output of "todos tenants reconcile --json".
type reconcileJSON struct {
	Checked      int         `json:"checked"`   // tenant records checked
	Unchecked    int         `json:"unchecked"` // tenant records whose database could not be asked about
	UncheckedWhy string      `json:"unchecked_error,omitempty"`
	Listed       bool        `json:"listed"` // false: the provider cannot list its databases
	Differences  []driftJSON `json:"differences"`
}

// driftJSON is one difference (see store.Drift) and, with --fix, whether
// it was repaired.
type driftJSON struct {
	Kind        string `json:"kind"` // orphan, missing or stale-move
	Location    string `json:"location"`
	TenantID    string `json:"tenant_id,omitempty"`
	Tenant      string `json:"tenant,omitempty"`
	Status      string `json:"status,omitempty"`
	Description string `json:"description"`
	Fixed       bool   `json:"fixed"`
	Error       string `json:"error,omitempty"` // why --fix could not repair it
}

// left returns how many differences remain, tenants not checked included.
func (r reconcileJSON) left() int {
	n := r.Unchecked
	for _, d := range r.Differences {
		if !d.Fixed {
			n++
		}
	}
	return n
}

// printReconcile prints the report as lines for a person.
func printReconcile(w io.Writer, r reconcileJSON, fix bool) {
	for _, d := range r.Differences {
		switch {
		case !fix:
			fmt.Fprintln(w, d.Description)
		case !d.Fixed:
			fmt.Fprintf(w, "%s: not fixed: %s\n", d.Description, d.Error)
		case d.Kind == string(store.DriftOrphan):
			fmt.Fprintf(w, "%s: removed\n", d.Description)
		case d.Kind == string(store.DriftMissing):
			fmt.Fprintf(w, "%s: moved to the trash\n", d.Description)
		case d.Kind == string(store.DriftStaleMove):
			fmt.Fprintf(w, "%s: resolved\n", d.Description)
		}
	}
	fmt.Fprintf(w, "%d tenant records checked, %d differences", r.Checked, len(r.Differences))
	if r.Unchecked > 0 {
		fmt.Fprintf(w, "; %d could not be checked (first: %s)", r.Unchecked, r.UncheckedWhy)
	}
	if !r.Listed {
		fmt.Fprint(w, "; this provider cannot list its databases, so databases without a tenant were not looked for")
	}
	fmt.Fprintln(w)
	if r.left() > 0 && !fix {
		fmt.Fprintln(w, "Run again with --fix to repair them.")
	}
}
