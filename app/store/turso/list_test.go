package turso

import (
	"slices"
	"strings"
	"testing"

	"todos/app"
	"todos/app/store"
)

// TestListDatabases: the databases named after tenants are listed with
// the locations the provider gave them, live or in the trash, and other
// databases of the organisation are not: the control plane's, and a
// tenant database in a group this deployment does not use (another
// deployment sharing the organisation).
func TestListDatabases(t *testing.T) {
	f := startFake(t)
	p := newTestProvider(t, f, Config{Regions: []app.Region{{Code: "ams", Name: "Amsterdam"}}})
	other := newTestProvider(t, f, Config{Regions: []app.Region{{Code: "iad", Name: "Virginia"}}})
	if _, err := other.Create(ctx, "t_11111111111111111111111111111111", "iad"); err != nil {
		t.Fatal(err)
	}
	const a, b = "t_0123456789abcdef0123456789abcdef", "t_fedcba9876543210fedcba9876543210"
	la := mustCreate(t, p, a)
	lb := mustCreate(t, p, b)
	tb, err := p.Trash(ctx, lb)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.api.CreateDatabase(ctx, "control", "ams", nil); err != nil {
		t.Fatal(err)
	}
	got, err := p.ListDatabases(ctx)
	if err != nil {
		t.Fatal(err)
	}
	want := []store.StoredDatabase{{Location: la, DatabaseID: a, TenantID: a}, {Location: tb, DatabaseID: b, TenantID: b}}
	slices.SortFunc(got, func(x, y store.StoredDatabase) int { return strings.Compare(x.TenantID, y.TenantID) })
	if !slices.Equal(got, want) {
		t.Fatalf("ListDatabases = %+v, want %+v", got, want)
	}
}
