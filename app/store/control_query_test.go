package store

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"todos/app"
)

// queryFixture creates 30 tenants list-00 ... list-29 with varied counters,
// versions and activity; list-03 and list-17 are suspended, list-05 and
// list-22 in the trash.
func queryFixture(t *testing.T) *testEnv {
	t.Helper()
	ctx := context.Background()
	e := newTestEnv(t, 4)
	for i := range 30 {
		tn := e.createTenant(t, fmt.Sprintf("list-%02d", i))
		// Repeating values, so that ties must be broken by name.
		if _, err := e.control.db.Exec(`UPDATE tenants SET todo_count = ?, completed_count = ?, schema_version = ?,
			last_active_at = ?, created_at = ? WHERE id = ?`, (i*7)%10, i%3, 1+i%2, 1_800_000_000_000+int64((i*13)%30)*1000,
			1_700_000_000_000+int64(i%5), tn.ID); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"list-03", "list-17"} {
		if err := e.tenants.SuspendTenant(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	for _, name := range []string{"list-05", "list-22"} {
		if err := e.tenants.DeleteTenant(ctx, name); err != nil {
			t.Fatal(err)
		}
	}
	return e
}

// allTenants returns every tenant record but the 'creating' ones, by name.
func allTenants(t *testing.T, c *Control) []*app.Tenant {
	t.Helper()
	ts, err := c.queryTenants(context.Background(), whereKnown+" ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	return ts
}

// sortKey returns the value of t that key sorts on.
func sortKey(t *app.Tenant, key string) any {
	switch key {
	case app.SortRegion:
		return t.Region
	case app.SortStatus:
		return string(t.Status)
	case app.SortCreated:
		return t.CreatedAt.UnixMilli()
	case app.SortLastActive:
		return t.LastActiveAt.UnixMilli()
	case app.SortTodos:
		return int64(t.TodoCount)
	case app.SortCompleted:
		return int64(t.CompletedCount)
	case app.SortVersion:
		return int64(t.SchemaVersion)
	}
	return t.Name
}

// compareKeys orders two values returned by sortKey.
func compareKeys(a, b any) int {
	switch a := a.(type) {
	case string:
		return strings.Compare(a, b.(string))
	case int64:
		return int(min(max(a-b.(int64), -1), 1))
	}
	panic("unknown key type")
}

// expectedNames filters and sorts ts in Go as QueryTenants should.
func expectedNames(ts []*app.Tenant, q app.TenantQuery) []string {
	var names []string
	var keep []*app.Tenant
	for _, t := range ts {
		live := t.Status == app.TenantActive || t.Status == app.TenantSuspended
		if (q.Status == "" && live || t.Status == q.Status) && strings.Contains(t.Name, strings.ToLower(q.Search)) {
			keep = append(keep, t)
		}
	}
	slices.SortStableFunc(keep, func(a, b *app.Tenant) int {
		c := compareKeys(sortKey(a, q.Sort), sortKey(b, q.Sort))
		if c == 0 {
			c = strings.Compare(a.Name, b.Name)
		}
		if q.Desc {
			c = -c
		}
		return c
	})
	for _, t := range keep {
		names = append(names, t.Name)
	}
	return names
}

// pageNames returns the names of a page.
func pageNames(p app.TenantPage) []string {
	var names []string
	for _, t := range p.Tenants {
		names = append(names, t.Name)
	}
	return names
}

func TestQueryTenantsSortsByEveryKey(t *testing.T) {
	ctx := context.Background()
	e := queryFixture(t)
	all := allTenants(t, e.control)
	for _, key := range []string{"", app.SortName, app.SortRegion, app.SortStatus, app.SortCreated,
		app.SortLastActive, app.SortTodos, app.SortCompleted, app.SortVersion} {
		for _, desc := range []bool{false, true} {
			for _, status := range []app.TenantStatus{"", app.TenantActive, app.TenantSuspended, app.TenantDeleted} {
				q := app.TenantQuery{Sort: key, Desc: desc, Status: status}
				page, err := e.tenants.QueryTenants(ctx, q)
				if err != nil {
					t.Fatalf("%+v: %v", q, err)
				}
				want := expectedNames(all, app.TenantQuery{Sort: key, Desc: desc, Status: status})
				if got := pageNames(page); !slices.Equal(got, want) || page.Total != len(want) {
					t.Errorf("%+v:\n got %v (total %d)\nwant %v", q, got, page.Total, want)
				}
			}
		}
	}
}

func TestQueryTenantsFilters(t *testing.T) {
	ctx := context.Background()
	e := queryFixture(t)
	opens := e.provider.opens.Load()
	tests := []struct {
		name  string
		q     app.TenantQuery
		want  []string
		total int
	}{
		{"live by default", app.TenantQuery{Limit: 3}, []string{"list-00", "list-01", "list-02"}, 28},
		{"search", app.TenantQuery{Search: "st-1"},
			[]string{"list-10", "list-11", "list-12", "list-13", "list-14", "list-15", "list-16", "list-17", "list-18", "list-19"}, 10},
		{"search ignores case and spaces", app.TenantQuery{Search: "  LIST-2 ", Limit: 2}, []string{"list-20", "list-21"}, 9},
		{"search in one status", app.TenantQuery{Search: "1", Status: app.TenantSuspended}, []string{"list-17"}, 1},
		{"search the trash", app.TenantQuery{Search: "2", Status: app.TenantDeleted}, []string{"list-22"}, 1},
		{"percent is literal", app.TenantQuery{Search: "%"}, nil, 0},
		{"underscore is literal", app.TenantQuery{Search: "list_0"}, nil, 0},
		{"backslash is literal", app.TenantQuery{Search: `list\-0`}, nil, 0},
		{"no match", app.TenantQuery{Search: "zebra"}, nil, 0},
		{"suspended", app.TenantQuery{Status: app.TenantSuspended}, []string{"list-03", "list-17"}, 2},
		{"trash", app.TenantQuery{Status: app.TenantDeleted, Desc: true}, []string{"list-22", "list-05"}, 2},
		{"active", app.TenantQuery{Status: app.TenantActive, Offset: 24}, []string{"list-28", "list-29"}, 26},
		{"offset past the end", app.TenantQuery{Offset: 100}, nil, 28},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page, err := e.tenants.QueryTenants(ctx, tt.q)
			if err != nil {
				t.Fatal(err)
			}
			if got := pageNames(page); !slices.Equal(got, tt.want) || page.Total != tt.total {
				t.Errorf("got %v (total %d), want %v (total %d)", got, page.Total, tt.want, tt.total)
			}
		})
	}
	if got := e.provider.opens.Load(); got != opens {
		t.Errorf("QueryTenants opened %d tenant databases", got-opens)
	}
	_, err := e.tenants.QueryTenants(ctx, app.TenantQuery{Sort: "name; DROP TABLE tenants"})
	wantCode(t, err, app.EINVALID)
	_, err = e.tenants.QueryTenants(ctx, app.TenantQuery{Status: tenantCreating})
	wantCode(t, err, app.EINVALID)
}

func TestQueryTenantsPaging(t *testing.T) {
	ctx := context.Background()
	e := queryFixture(t)
	q := app.TenantQuery{Sort: app.SortTodos, Desc: true}
	want := expectedNames(allTenants(t, e.control), q)
	var got []string
	for offset := 0; offset < 40; offset += 7 {
		q.Limit, q.Offset = 7, offset
		page, err := e.tenants.QueryTenants(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		if page.Total != 28 || len(page.Tenants) > 7 {
			t.Fatalf("offset %d: %d tenants of %d", offset, len(page.Tenants), page.Total)
		}
		got = append(got, pageNames(page)...)
	}
	if !slices.Equal(got, want) {
		t.Errorf("pages joined:\n got %v\nwant %v", got, want)
	}
	page, _ := e.tenants.QueryTenants(ctx, app.TenantQuery{Limit: -1})
	if len(page.Tenants) != 28 {
		t.Errorf("default limit gave %d tenants", len(page.Tenants))
	}
}

// TestQueryTenantsPlans checks that the dashboard's pages of live or active
// tenants, with or without a search, are read in order from an index in
// every sort order: no temporary B-tree sorts the whole table.
func TestQueryTenantsPlans(t *testing.T) {
	c := openTestControl(t)
	for key, col := range sortColumns {
		for _, desc := range []bool{false, true} {
			for _, q := range []app.TenantQuery{{}, {Status: app.TenantActive}, {Search: "acme"}} {
				f, err := newTenantFilter(q)
				if err != nil {
					t.Fatal(err)
				}
				query := "EXPLAIN QUERY PLAN SELECT " + tenantColumns + " FROM tenants WHERE " + pageSQL(f, col, desc)
				rows, err := c.db.Query(query, append(f.args(), 50, 0)...)
				if err != nil {
					t.Fatal(err)
				}
				var plan []string
				for rows.Next() {
					var id, parent, unused int
					var detail string
					if err := rows.Scan(&id, &parent, &unused, &detail); err != nil {
						t.Fatal(err)
					}
					plan = append(plan, detail)
				}
				rows.Close()
				if p := strings.Join(plan, "; "); strings.Contains(p, "TEMP B-TREE") || !strings.Contains(p, "INDEX") {
					t.Errorf("sort %s desc %v %+v: plan %q", key, desc, q, p)
				}
			}
		}
	}
}
