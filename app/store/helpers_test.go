package store

import (
	"context"
	"database/sql"
	"errors"
	"os"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"todos/app"
)

// testParams makes password hashing cheap in tests.
var testParams = app.PasswordParams{Time: 1, Memory: 64, Threads: 1}

// tenantMigrations parses the real tenant schema of the product.
func tenantMigrations(t testing.TB) []Migration {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "schema.sql"))
	if err != nil {
		t.Fatal(err)
	}
	ms, err := ParseMigrations(string(b))
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// nextMigration returns ms followed by a migration of statements numbered
// one past the last of ms: a newer schema than ms.
func nextMigration(ms []Migration, statements ...string) []Migration {
	return append(ms, Migration{Version: LatestVersion(ms) + 1, Statements: statements})
}

// openTestControl opens a control database in a temporary directory.
func openTestControl(t testing.TB) *Control {
	t.Helper()
	c, err := OpenControl(filepath.Join(t.TempDir(), "control.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = c.Close() })
	return c
}

// testEnv is a complete storage stack on temporary files.
type testEnv struct {
	dir      string
	control  *Control
	provider *testProvider
	pool     *TenantPool
	tenants  *Tenants
}

// newTestEnv builds a testEnv with the given pool capacity.
func newTestEnv(t testing.TB, capacity int) *testEnv {
	t.Helper()
	dir := t.TempDir()
	c := openTestControl(t)
	p := &testProvider{Provider: LocalProvider{Dir: filepath.Join(dir, "tenants")}}
	pool := NewTenantPool(p, tenantMigrations(t), c, capacity)
	t.Cleanup(func() { _ = pool.Close() })
	return &testEnv{dir: dir, control: c, provider: p, pool: pool, tenants: NewTenants(c, p, pool, testParams)}
}

// createTenant creates a tenant named name with a default owner.
func (e *testEnv) createTenant(t testing.TB, name string) *app.Tenant {
	t.Helper()
	tn, _, err := e.tenants.CreateTenant(context.Background(), app.CreateTenantInput{
		Name: name, Region: "local", OwnerEmail: "owner@example.com", OwnerPassword: "correct horse",
	})
	if err != nil {
		t.Fatalf("create tenant %q: %v", name, err)
	}
	return tn
}

// flushActivity writes the pool's pending tenant activity (counters, last
// write, hourly writes) to the control plane, as the server does every few
// seconds.
func (e *testEnv) flushActivity(t testing.TB) {
	t.Helper()
	if _, err := e.pool.Activity().Flush(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// acquire acquires t's database and releases it when the test ends.
func (e *testEnv) acquire(t testing.TB, tn *app.Tenant) *TenantDB {
	t.Helper()
	tdb, err := e.pool.Acquire(context.Background(), tn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tdb.Release)
	return tdb
}

// testProvider wraps a Provider to count opens and inject failures.
type testProvider struct {
	Provider
	opens      atomic.Int64
	openDelay  time.Duration
	failCreate atomic.Bool
	failOpen   atomic.Bool
}

// Unwrap returns the wrapped provider, so that optional interfaces (the
// local provider's DatabaseLister) are found through the test wrapper.
func (p *testProvider) Unwrap() Provider { return p.Provider }

// errInjected is the failure a testProvider injects.
var errInjected = errors.New("injected failure")

// Create fails when failCreate is set.
func (p *testProvider) Create(ctx context.Context, tenantID, region string) (string, error) {
	if p.failCreate.Load() {
		return "", errInjected
	}
	return p.Provider.Create(ctx, tenantID, region)
}

// Open counts opens, waits openDelay and fails when failOpen is set.
func (p *testProvider) Open(ctx context.Context, location string) (*sql.DB, error) {
	p.opens.Add(1)
	time.Sleep(p.openDelay)
	if p.failOpen.Load() {
		return nil, errInjected
	}
	return p.Provider.Open(ctx, location)
}

// wantCode fails the test unless err carries the app error code.
func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := app.ErrorCode(err); got != code {
		t.Fatalf("error code = %q, want %q (err: %v)", got, code, err)
	}
}

// dirFiles lists the names of the files in dir (none if it is missing).
func dirFiles(t testing.TB, dir string) []string {
	t.Helper()
	es, err := os.ReadDir(dir)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range es {
		names = append(names, e.Name())
	}
	return names
}
