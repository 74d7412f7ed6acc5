package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"text/tabwriter"
	"time"

	"todos/app"
)

// trashPageSize is how many tenants in the trash are read per query.
const trashPageSize = 500

// tenantJSON is one tenant in the output of "todos tenants list --json".
// Times are RFC 3339 in UTC; deleted_at and purge_after are set for
// tenants in the trash only, suspend_reason for suspended tenants given a
// reason.
type tenantJSON struct {
	Name          string     `json:"name"`
	ID            string     `json:"id"`
	Region        string     `json:"region"`
	Status        string     `json:"status"`
	Todos         int        `json:"todos"`
	Completed     int        `json:"completed"`
	CreatedAt     time.Time  `json:"created_at"`
	LastActiveAt  time.Time  `json:"last_active_at"`
	DeletedAt     *time.Time `json:"deleted_at,omitempty"`
	PurgeAfter    *time.Time `json:"purge_after,omitempty"`
	SuspendReason string     `json:"suspend_reason,omitempty"`
}

// runTenantsList runs "todos tenants list [--trash] [--json]": every live
// tenant from the control plane, or with --trash every tenant in the trash
// and when the server's retention purge (--trash-retention, the same as
// the server's) removes it; as a table, or as a JSON array.
func runTenantsList(ctx context.Context, env Env, args []string) error {
	var cfg Config
	fs := newFlagSet("todos tenants list", env)
	storageFlags(fs, &cfg)
	trash := fs.Bool("trash", false, "list the tenants in the trash instead of the live ones")
	asJSON := fs.Bool("json", false, "print a JSON array instead of a table")
	durationFlag(fs, &cfg.TrashRetention, "trash-retention", 7*day,
		"with --trash: the server's retention, to say when each tenant is purged (env TODOS_TRASH_RETENTION)")
	if _, err := parseTenantArgs(fs, env, args, false); err != nil {
		return err
	}
	b, err := openStorage(&cfg, 1, env.Assets.Schema)
	if err != nil {
		return err
	}
	defer b.Close()
	var ts []*app.Tenant
	if *trash {
		ts, err = trashedTenants(ctx, b)
	} else {
		ts, err = b.tenants.ListTenants(ctx)
	}
	if err != nil {
		return err
	}
	if *asJSON {
		return writeTenantsJSON(env.Stdout, ts, cfg.TrashRetention)
	}
	if *trash {
		return writeTrashTable(env.Stdout, ts, cfg.TrashRetention)
	}
	return writeTenantsTable(env.Stdout, ts)
}

// trashedTenants returns every tenant in the trash, by name.
func trashedTenants(ctx context.Context, b *backend) ([]*app.Tenant, error) {
	all := []*app.Tenant{}
	for {
		page, err := b.tenants.QueryTenants(ctx, app.TenantQuery{Status: app.TenantDeleted,
			Limit: trashPageSize, Offset: len(all)})
		if err != nil {
			return nil, err
		}
		all = append(all, page.Tenants...)
		if len(page.Tenants) == 0 || len(all) >= page.Total {
			return all, nil
		}
	}
}

// writeTenantsTable prints live tenants as a table.
func writeTenantsTable(w io.Writer, ts []*app.Tenant) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tREGION\tSTATUS\tTODOS\tCOMPLETED\tCREATED\tLAST ACTIVE\tID")
	for _, t := range ts {
		fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%d\t%s\t%s\t%s\n", t.Name, t.Region, t.Status, t.TodoCount, t.CompletedCount,
			rfc3339(t.CreatedAt), rfc3339(t.LastActiveAt), t.ID)
	}
	return tw.Flush()
}

// writeTrashTable prints tenants in the trash as a table.
func writeTrashTable(w io.Writer, ts []*app.Tenant, retention time.Duration) error {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "NAME\tREGION\tTODOS\tDELETED\tPURGE AFTER\tID")
	for _, t := range ts {
		fmt.Fprintf(tw, "%s\t%s\t%d\t%s\t%s\t%s\n", t.Name, t.Region, t.TodoCount,
			rfc3339(t.DeletedAt), rfc3339(t.DeletedAt.Add(retention)), t.ID)
	}
	return tw.Flush()
}

// writeTenantsJSON prints tenants as a JSON array ([] when there are none).
func writeTenantsJSON(w io.Writer, ts []*app.Tenant, retention time.Duration) error {
	out := make([]tenantJSON, len(ts))
	for i, t := range ts {
		out[i] = tenantJSON{Name: t.Name, ID: t.ID, Region: t.Region, Status: string(t.Status),
			Todos: t.TodoCount, Completed: t.CompletedCount,
			CreatedAt: t.CreatedAt.UTC(), LastActiveAt: t.LastActiveAt.UTC()}
		if t.Status == app.TenantSuspended {
			out[i].SuspendReason = t.SuspendReason
		}
		if t.Status == app.TenantDeleted && !t.DeletedAt.IsZero() {
			deleted, purge := t.DeletedAt.UTC(), t.DeletedAt.Add(retention).UTC()
			out[i].DeletedAt, out[i].PurgeAfter = &deleted, &purge
		}
	}
	return writeJSON(w, out)
}

// writeJSON prints v as indented JSON, the output of every --json.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// rfc3339 formats t in UTC for tables.
func rfc3339(t time.Time) string { return t.UTC().Format(time.RFC3339) }
