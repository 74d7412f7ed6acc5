package sqld

import (
	"strings"
	"testing"

	"todos/app"
	"todos/app/internal/sqldtest"
	"todos/app/store"
)

// TestTenantMoveOnOneServer moves a tenant between two regions offered by
// one libSQL server (OneServerRegions): the copy is a new namespace,
// checked, the record switched, the old namespace removed, the sessions
// kept.
func TestTenantMoveOnOneServer(t *testing.T) {
	regions := []app.Region{{Code: "ams", Name: "Amsterdam"}, {Code: "iad", Name: "Virginia"}}
	srv, authSrv := sqldtest.Start(t), sqldtest.StartWithAuth(t)
	for _, s := range []struct {
		name string
		p    *Provider
	}{
		{"sqld", newTestProvider(t, srv, Config{})},
		{"sqld with auth", newTestProvider(t, authSrv, Config{AuthKeyFile: authSrv.AuthKeyFile})},
	} {
		t.Run(s.name, func(t *testing.T) {
			p := store.OneServerRegions(s.p, regions)
			tenants, pool := newTenantsOn(t, p)
			before, err := tenants.FindTenant(ctx, "acme")
			if err != nil {
				t.Fatal(err)
			}
			m, err := tenants.MoveTenant(ctx, "acme", "iad", "cli")
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = p.Remove(ctx, m.Tenant.Location) })
			if m.From != "ams" || m.To != "iad" || m.Tenant.Region != "iad" || m.Leftover != "" ||
				m.Tenant.Location == before.Location || !strings.HasPrefix(m.Tenant.Location, livePrefix) {
				t.Fatalf("move = %+v, tenant %+v", m, m.Tenant)
			}
			if !strings.Contains(m.Detail(), "todos 4") || !strings.Contains(m.Detail(), "sessions 1") {
				t.Errorf("detail = %q", m.Detail())
			}
			if _, err := s.p.Open(ctx, before.Location); app.ErrorCode(err) != app.ENOTFOUND {
				t.Errorf("old namespace after the move: %v", err)
			}
			tdb, err := pool.Acquire(ctx, m.Tenant)
			if err != nil {
				t.Fatal(err)
			}
			defer tdb.Release()
			todos, _, err := tdb.Todos(ctx, app.FilterAll)
			if err != nil {
				t.Fatal(err)
			}
			wantCopyTodos(t, todos)
			if _, found, err := tdb.FindSession(ctx, "session-key"); err != nil || !found {
				t.Errorf("session after the move: found %v, %v", found, err)
			}
			if _, err := tenants.MoveTenant(ctx, "acme", "iad", "cli"); app.ErrorCode(err) != app.EINVALID {
				t.Errorf("move to its own region: %v", err)
			}
		})
	}
}
