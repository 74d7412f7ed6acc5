package store

import (
	"context"
	"strings"

	"todos/app"
)

// sortColumns maps the dashboard's sort keys to tenant columns. Each has an
// index (column, name) in control.sql.
var sortColumns = map[string]string{
	app.SortName:       "name",
	app.SortRegion:     "region",
	app.SortStatus:     "status",
	app.SortCreated:    "created_at",
	app.SortLastActive: "last_active_at",
	app.SortTodos:      "todo_count",
	app.SortCompleted:  "completed_count",
	app.SortVersion:    "schema_version",
}

// QueryTenants returns a page of tenants for the dashboard and how many
// match in all, from the control plane only.
//
// Search matches a substring of the name, case-insensitively. Sort is one of
// the app.Sort* keys (default by name); ties are broken by name in the same
// direction, so that every order is read straight from an index, forwards
// or backwards, and a page costs about Limit+Offset rows. Status "" selects
// the live tenants (active and suspended), app.TenantDeleted the trash.
func (c *Control) QueryTenants(ctx context.Context, q app.TenantQuery) (app.TenantPage, error) {
	col := "name"
	if q.Sort != "" {
		var ok bool
		if col, ok = sortColumns[q.Sort]; !ok {
			return app.TenantPage{}, app.Errorf(app.EINVALID, "Unknown sort order %q.", clipText(q.Sort, 40))
		}
	}
	f, err := newTenantFilter(q)
	if err != nil {
		return app.TenantPage{}, err
	}
	page := app.TenantPage{Tenants: []*app.Tenant{}}
	if page.Total, err = c.countTenants(ctx, f); err != nil {
		return app.TenantPage{}, err
	}
	if page.Total <= q.Offset {
		return page, nil
	}
	ts, err := c.queryTenants(ctx, pageSQL(f, col, q.Desc), append(f.args(), pageSize(q.Limit), max(q.Offset, 0))...)
	if err != nil {
		return app.TenantPage{}, err
	}
	page.Tenants = ts
	return page, nil
}

// pageSQL returns what follows WHERE in the query of a page of tenants
// matching f sorted by col, ties broken by name in the same direction, with
// two more arguments: LIMIT and OFFSET.
func pageSQL(f tenantFilter, col string, desc bool) string {
	dir := " ASC"
	if desc {
		dir = " DESC"
	}
	order := " ORDER BY " + col + dir
	if col != "name" {
		order += ", name" + dir
	}
	return f.pageWhere() + order + " LIMIT ? OFFSET ?"
}

// tenantFilter is the WHERE clause of a TenantQuery.
type tenantFilter struct {
	status     string // condition on the status
	statusArgs []any
	common     bool   // the status selects most tenants
	pattern    string // LIKE pattern of the search, "" for none
}

// newTenantFilter checks q's status and search.
func newTenantFilter(q app.TenantQuery) (tenantFilter, error) {
	var f tenantFilter
	switch q.Status {
	case "":
		f.status, f.common = whereLive, true
	case app.TenantActive, app.TenantSuspended, app.TenantDeleted:
		f.status, f.statusArgs, f.common = "status = ?", []any{string(q.Status)}, q.Status == app.TenantActive
	default:
		return f, app.Errorf(app.EINVALID, "Unknown status %q.", clipText(string(q.Status), 40))
	}
	if s := strings.ToLower(strings.TrimSpace(q.Search)); s != "" {
		f.pattern = "%" + escapeLike(s) + "%"
	}
	return f, nil
}

// where returns the condition for counting: it lets SQLite use the status
// index, covering for (status, name).
func (f tenantFilter) where() string {
	if f.pattern == "" {
		return f.status
	}
	return f.status + ` AND name LIKE ? ESCAPE '\'`
}

// pageWhere returns the condition for reading a sorted page. The status of
// the common selections (live, active) is written "+status": the unary plus
// keeps SQLite from choosing the status index, which would read every live
// tenant and sort them, over the sort key's index, which reads one page in
// order. Rare statuses (suspended, the trash) use the status index and sort
// the few rows found.
func (f tenantFilter) pageWhere() string {
	if f.common {
		return "+" + f.where()
	}
	return f.where()
}

// args returns the arguments of where and pageWhere.
func (f tenantFilter) args() []any {
	args := append([]any(nil), f.statusArgs...)
	if f.pattern != "" {
		args = append(args, f.pattern)
	}
	return args
}

// countTenants returns how many tenants match f. Without a search it adds up
// tenant_counts. A search reads the status index, which holds the names
// (about 6 ms for 100,000 tenants): no B-tree index helps a substring match.
func (c *Control) countTenants(ctx context.Context, f tenantFilter) (int, error) {
	query := "SELECT count(*) FROM tenants WHERE " + f.where()
	if f.pattern == "" {
		query = "SELECT coalesce(sum(n), 0) FROM tenant_counts WHERE " + f.status
	}
	var n int
	err := c.read.QueryRowContext(ctx, query, f.args()...).Scan(&n)
	return n, err
}

// likeEscaper escapes the LIKE wildcards and the escape character itself.
var likeEscaper = strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`)

// escapeLike makes s match itself in a LIKE pattern with ESCAPE '\'.
func escapeLike(s string) string { return likeEscaper.Replace(s) }
