package providertest

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"todos/app"
	"todos/app/store"
)

// env is the store's tenant service on one provider, with a control
// plane of its own in a temporary file.
type env struct {
	p          store.Provider
	control    *store.Control
	migrations []store.Migration
	pool       *store.TenantPool
	tenants    *store.Tenants
}

// newEnv builds an env on p with the product's tenant schema.
func newEnv(t *testing.T, p store.Provider) *env {
	t.Helper()
	control, err := store.OpenControl(filepath.Join(t.TempDir(), "control.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = control.Close() })
	e := &env{p: p, control: control, migrations: productMigrations(t)}
	e.pool, e.tenants = e.newPool(t, e.migrations)
	return e
}

// newPool returns a second pool and tenant service on e's provider and
// control plane, migrating to ms: what another process, or a newer
// version of the program, sees.
func (e *env) newPool(t *testing.T, ms []store.Migration) (*store.TenantPool, *store.Tenants) {
	t.Helper()
	pool := store.NewTenantPool(e.p, ms, e.control, 4)
	t.Cleanup(func() { _ = pool.Close() })
	return pool, store.NewTenants(e.control, e.p, pool, app.PasswordParams{Time: 1, Memory: 64, Threads: 1})
}

// create signs up the tenant name in the provider's first region.
func (e *env) create(t *testing.T, name string) *app.Tenant {
	t.Helper()
	tn, err := e.tryCreate(name)
	if err != nil {
		t.Fatalf("create tenant %q: %v", name, err)
	}
	return tn
}

// tryCreate signs up the tenant name and returns what it gave.
func (e *env) tryCreate(name string) (*app.Tenant, error) {
	tn, _, err := e.tenants.CreateTenant(ctx, app.CreateTenantInput{
		Name: name, Region: e.p.Regions()[0].Code, OwnerEmail: "owner@example.com", OwnerPassword: "correct horse",
	})
	return tn, err
}

// add adds todos with titles to tn through pool.
func add(t *testing.T, pool *store.TenantPool, tn *app.Tenant, titles ...string) {
	t.Helper()
	tdb := acquire(t, pool, tn)
	defer tdb.Release()
	for _, title := range titles {
		if _, _, err := tdb.AddTodo(ctx, title); err != nil {
			t.Fatalf("add %q: %v", title, err)
		}
	}
}

// acquire acquires tn's database from pool; the caller releases it.
func acquire(t *testing.T, pool *store.TenantPool, tn *app.Tenant) *store.TenantDB {
	t.Helper()
	tdb, err := pool.Acquire(ctx, tn)
	if err != nil {
		t.Fatalf("acquire %s: %v", tn.Name, err)
	}
	return tdb
}

// todoTitles returns the titles of tn's todos (in the list's order) and
// which of them are completed, read through pool.
func todoTitles(t *testing.T, pool *store.TenantPool, tn *app.Tenant) (titles []string, completed map[string]bool) {
	t.Helper()
	tdb := acquire(t, pool, tn)
	defer tdb.Release()
	todos, _, err := tdb.Todos(ctx, app.FilterAll)
	if err != nil {
		t.Fatalf("todos of %s: %v", tn.Name, err)
	}
	completed = map[string]bool{}
	for _, td := range todos {
		titles = append(titles, td.Title)
		completed[td.Title] = td.Completed
	}
	return titles, completed
}

// wantTitles fails unless tn's todos, read through pool, are want in any
// order.
func wantTitles(t *testing.T, pool *store.TenantPool, tn *app.Tenant, want ...string) {
	t.Helper()
	got, _ := todoTitles(t, pool, tn)
	if !sameSet(got, want) {
		t.Errorf("todos of %s = %q, want %q", tn.Name, got, want)
	}
}

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	n := map[string]int{}
	for _, s := range a {
		n[s]++
	}
	for _, s := range b {
		if n[s]--; n[s] < 0 {
			return false
		}
	}
	return true
}

// productMigrations parses the product's tenant schema, schema.sql at the
// root of the module (found from the working directory upwards).
func productMigrations(t *testing.T) []store.Migration {
	t.Helper()
	dir, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	for {
		if _, err := os.Stat(filepath.Join(dir, "go.mod")); err == nil {
			break
		}
		if filepath.Dir(dir) == dir {
			t.Fatal(errors.New("no go.mod above the working directory"))
		}
		dir = filepath.Dir(dir)
	}
	b, err := os.ReadFile(filepath.Join(dir, "schema.sql"))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := store.ParseMigrations(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// NewTenants returns the store's tenant service and pool on p, with a
// control plane of its own in a temporary file and the product's tenant
// schema: the set-up of tests that drive one provider through the store.
func NewTenants(t *testing.T, p store.Provider) (*store.Tenants, *store.TenantPool) {
	t.Helper()
	e := newEnv(t, p)
	return e.tenants, e.pool
}
