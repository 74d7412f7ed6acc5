package store

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"todos/app"
)

// tenantsDir is where an env's provider keeps tenant databases.
func (e *testEnv) tenantsDir() string { return filepath.Join(e.dir, "tenants") }

// trashDir is where an env's provider keeps databases in the trash.
func (e *testEnv) trashDir() string { return filepath.Join(e.dir, "trash") }

// dbFiles lists the database files (not their -wal and -shm) in dir.
func dbFiles(t *testing.T, dir string) []string {
	t.Helper()
	var dbs []string
	for _, f := range dirFiles(t, dir) {
		if strings.HasSuffix(f, ".db") {
			dbs = append(dbs, f)
		}
	}
	return dbs
}

// recordCount counts tenant records of any status.
func recordCount(t *testing.T, c *Control) int {
	t.Helper()
	var n int
	if err := c.db.QueryRow("SELECT count(*) FROM tenants").Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// input is a valid CreateTenantInput for name.
func input(name string) app.CreateTenantInput {
	return app.CreateTenantInput{Name: name, Region: "local", OwnerEmail: " Owner@Example.COM ", OwnerPassword: "correct horse"}
}

func TestCreateTenant(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn, u, err := e.tenants.CreateTenant(ctx, input(" Acme "))
	if err != nil {
		t.Fatal(err)
	}
	if !regexp.MustCompile(`^t_[0-9a-f]{32}$`).MatchString(tn.ID) {
		t.Errorf("id %q", tn.ID)
	}
	if tn.Name != "acme" || tn.Region != "local" || tn.Status != app.TenantActive || tn.CreatedAt.IsZero() {
		t.Errorf("tenant %+v", tn)
	}
	wantLoc := filepath.Join(e.tenantsDir(), tn.ID+".db")
	if tn.Location != wantLoc {
		t.Errorf("location %q, want %q", tn.Location, wantLoc)
	}
	if _, err := os.Stat(wantLoc); err != nil {
		t.Errorf("database file: %v", err)
	}
	if u.Email != "owner@example.com" || u.ID == 0 || !app.CheckPassword(u.PasswordHash, "correct horse") {
		t.Errorf("owner %+v", u)
	}
	byName, err := e.tenants.FindTenantByName(ctx, "acme")
	if err != nil || *byName != *tn {
		t.Errorf("FindTenantByName = %+v, %v; want %+v", byName, err, tn)
	}
	if byID, err := e.tenants.FindTenantByID(ctx, tn.ID); err != nil || byID.Name != "acme" {
		t.Errorf("FindTenantByID = %+v, %v", byID, err)
	}
	list, err := e.pool.OpenList(ctx, tn)
	if err != nil {
		t.Fatal(err)
	}
	defer list.Release()
	owner, err := list.UserByEmail(ctx, "owner@example.com")
	if err != nil || owner.ID != u.ID || !app.CheckPassword(owner.PasswordHash, "correct horse") {
		t.Errorf("owner in tenant database = %+v, %v", owner, err)
	}
	if got := e.tenants.Regions(); len(got) != 1 || got[0].Code != "local" {
		t.Errorf("Regions = %+v", got)
	}
}

func TestCreateTenantRejects(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	e.createTenant(t, "acme")
	tests := []struct {
		name string
		in   app.CreateTenantInput
		code string
		msg  string
	}{
		{"duplicate", input("acme"), app.ECONFLICT, `The name "acme" is already taken.`},
		{"duplicate other case", input("ACME"), app.ECONFLICT, `The name "acme" is already taken.`},
		{"reserved", input("admin"), app.EINVALID, "reserved"},
		{"too short", input("ab"), app.EINVALID, "not a valid name"},
		{"leading dash", input("-abc"), app.EINVALID, "not a valid name"},
		{"space", input("my list"), app.EINVALID, "not a valid name"},
		{"non-ascii", input("ünïcode"), app.EINVALID, "not a valid name"},
		{"empty", input(""), app.EINVALID, "choose a name"},
		{"region", app.CreateTenantInput{Name: "okname", Region: "mars", OwnerEmail: "a@b.co", OwnerPassword: "12345678"}, app.EINVALID, "local"},
		{"email", app.CreateTenantInput{Name: "okname", Region: "local", OwnerEmail: "nope", OwnerPassword: "12345678"}, app.EINVALID, "email"},
		{"password", app.CreateTenantInput{Name: "okname", Region: "local", OwnerEmail: "a@b.co", OwnerPassword: "short"}, app.EINVALID, "at least"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, _, err := e.tenants.CreateTenant(ctx, tt.in)
			wantCode(t, err, tt.code)
			if !strings.Contains(app.ErrorMessage(err), tt.msg) {
				t.Errorf("message %q does not contain %q", app.ErrorMessage(err), tt.msg)
			}
		})
	}
	if n := recordCount(t, e.control); n != 1 {
		t.Errorf("%d records, want 1", n)
	}
	if files := dbFiles(t, e.tenantsDir()); len(files) != 1 {
		t.Errorf("databases %q, want only acme's", files)
	}
}

// wantNothingLeft checks that a failed creation left no record, no file and
// no open database, and that the name can be used again.
func wantNothingLeft(t *testing.T, e *testEnv, good *Tenants, name string) {
	t.Helper()
	if n := recordCount(t, e.control); n != 0 {
		t.Errorf("%d tenant records left", n)
	}
	if files := dirFiles(t, e.tenantsDir()); len(files) != 0 {
		t.Errorf("files left: %q", files)
	}
	if s := e.pool.Stats(); s.Open != 0 {
		t.Errorf("%d databases left open", s.Open)
	}
	if _, _, err := good.CreateTenant(context.Background(), input(name)); err != nil {
		t.Errorf("name not reusable: %v", err)
	}
}

func TestCreateTenantFailuresLeaveNothing(t *testing.T) {
	ctx := context.Background()
	t.Run("provider create fails", func(t *testing.T) {
		e := newTestEnv(t, 4)
		e.provider.failCreate.Store(true)
		_, _, err := e.tenants.CreateTenant(ctx, input("acme"))
		if err == nil {
			t.Fatal("no error")
		}
		e.provider.failCreate.Store(false)
		wantNothingLeft(t, e, e.tenants, "acme")
	})
	t.Run("provider open fails", func(t *testing.T) {
		e := newTestEnv(t, 4)
		e.provider.failOpen.Store(true)
		if _, _, err := e.tenants.CreateTenant(ctx, input("acme")); err == nil {
			t.Fatal("no error")
		}
		e.provider.failOpen.Store(false)
		wantNothingLeft(t, e, e.tenants, "acme")
	})
	for name, extra := range map[string][]string{
		"migration fails":    {"INSERT INTO nope VALUES (1)"},
		"owner insert fails": {"CREATE TRIGGER no_users BEFORE INSERT ON users BEGIN SELECT RAISE(ABORT, 'no; users'); END"},
	} {
		t.Run(name, func(t *testing.T) {
			e := newTestEnv(t, 4)
			bad := NewTenantPool(e.provider, nextMigration(tenantMigrations(t), extra...), e.control, 4)
			defer bad.Close()
			_, _, err := NewTenants(e.control, e.provider, bad, testParams).CreateTenant(ctx, input("acme"))
			if err == nil {
				t.Fatal("no error")
			}
			if s := bad.Stats(); s.Open != 0 {
				t.Errorf("failed tenant left open in the pool: %+v", s)
			}
			wantNothingLeft(t, e, e.tenants, "acme")
		})
	}
}

func TestCreateTenantConcurrentSameName(t *testing.T) {
	e := newTestEnv(t, 4)
	const n = 10
	var wg sync.WaitGroup
	errs := make(chan error, n)
	for range n {
		wg.Go(func() {
			_, _, err := e.tenants.CreateTenant(context.Background(), input("acme"))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	ok := 0
	for err := range errs {
		if err == nil {
			ok++
		} else if app.ErrorCode(err) != app.ECONFLICT {
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 {
		t.Errorf("%d creations succeeded, want 1", ok)
	}
	if files := dbFiles(t, e.tenantsDir()); len(files) != 1 {
		t.Errorf("databases %q, want one", files)
	}
}

func TestCreateTenantsConcurrentDifferentNames(t *testing.T) {
	e := newTestEnv(t, 3)
	var wg sync.WaitGroup
	for i := range 12 {
		wg.Go(func() {
			if _, _, err := e.tenants.CreateTenant(context.Background(), input(fmt.Sprintf("list-%02d", i))); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	list, err := e.tenants.ListTenants(context.Background())
	if err != nil || len(list) != 12 || list[0].Name != "list-00" || list[11].Name != "list-11" {
		t.Fatalf("ListTenants = %d tenants, %v", len(list), err)
	}
	e.pool.closing.Wait() // evicted databases close in the background
	if s := e.pool.Stats(); s.Open > 3 {
		t.Errorf("pool over capacity after creations: %+v", s)
	}
}

func TestLookupsNeverOpenTenantDatabases(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "acme")
	opens := e.provider.opens.Load()
	<-e.pool.Evict(tn.ID)
	_, _ = e.tenants.FindTenantByName(ctx, "acme")
	_, _ = e.tenants.FindTenantByID(ctx, tn.ID)
	_, _ = e.tenants.ListTenants(ctx)
	if got := e.provider.opens.Load(); got != opens {
		t.Errorf("lookups opened %d databases", got-opens)
	}
}

func TestDeleteTenantMovesItToTheTrash(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "acme")
	e.createTenant(t, "other")
	l := e.acquire(t, tn)
	if _, _, err := l.AddTodo(ctx, "x"); err != nil {
		t.Fatal(err)
	}
	e.flushActivity(t)

	deleted := make(chan error, 1)
	go func() { deleted <- e.tenants.DeleteTenant(ctx, "acme") }()
	time.Sleep(50 * time.Millisecond)
	select {
	case err := <-deleted:
		t.Fatalf("DeleteTenant returned while the database is in use: %v", err)
	default:
	}
	if _, err := l.Stats(ctx); err != nil {
		t.Fatalf("handle in use during delete: %v", err)
	}
	_, err := e.tenants.FindTenantByName(ctx, "acme")
	wantCode(t, err, app.ENOTFOUND)
	_, err = e.tenants.FindTenantByID(ctx, tn.ID)
	wantCode(t, err, app.ENOTFOUND)
	_, err = e.pool.Acquire(ctx, tn) // held while its files move
	wantCode(t, err, app.EUNAVAILABLE)
	l.Release()
	if err := <-deleted; err != nil {
		t.Fatal(err)
	}
	for _, f := range dirFiles(t, e.tenantsDir()) {
		if strings.HasPrefix(f, tn.ID) {
			t.Errorf("file left in service: %s", f)
		}
	}
	if got := dirFiles(t, e.trashDir()); len(got) != 1 || got[0] != tn.ID+".db" {
		t.Errorf("trash holds %q, want only %s.db", got, tn.ID)
	}
	trashed, err := e.tenants.FindTenantByNameIncludingTrash(ctx, "ACME")
	if err != nil {
		t.Fatal(err)
	}
	if trashed.Status != app.TenantDeleted || trashed.DeletedAt.IsZero() ||
		trashed.Location != filepath.Join(e.trashDir(), tn.ID+".db") || trashed.TodoCount != 1 {
		t.Errorf("trashed tenant %+v", trashed)
	}
	if byID, err := e.tenants.FindTenantByIDIncludingTrash(ctx, tn.ID); err != nil || byID.Name != "acme" {
		t.Errorf("FindTenantByIDIncludingTrash = %+v, %v", byID, err)
	}
	_, err = e.pool.Acquire(ctx, tn) // its old location is empty
	wantCode(t, err, app.ENOTFOUND)
	if list, _ := e.tenants.ListTenants(ctx); len(list) != 1 || list[0].Name != "other" {
		t.Errorf("ListTenants = %+v", list)
	}
	if _, err := e.tenants.FindTenantByName(ctx, "other"); err != nil {
		t.Errorf("other tenant: %v", err)
	}
	wantCode(t, e.tenants.DeleteTenant(ctx, "acme"), app.ENOTFOUND)
	wantCode(t, e.tenants.DeleteTenant(ctx, "no such!"), app.ENOTFOUND)
	_, _, err = e.tenants.CreateTenant(ctx, input("acme")) // the name stays taken
	wantCode(t, err, app.ECONFLICT)
}

func TestRemoveAbandoned(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	loc, err := e.provider.Create(ctx, "t_crashed", "local")
	if err != nil {
		t.Fatal(err)
	}
	old := time.Now().Add(-time.Hour)
	for _, tn := range []*app.Tenant{
		{ID: "t_crashed", Name: "crashed", Region: "local", Location: loc, Status: tenantCreating, CreatedAt: old, LastActiveAt: old},
		{ID: "t_busy", Name: "busy", Region: "local", Status: tenantCreating, CreatedAt: time.Now(), LastActiveAt: time.Now()},
	} {
		if err := e.control.insertTenant(ctx, tn); err != nil {
			t.Fatal(err)
		}
	}
	oldStaged, err := e.provider.Stage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.Chtimes(oldStaged, old, old); err != nil {
		t.Fatal(err)
	}
	newStaged, err := e.provider.Stage(ctx) // an operation in progress
	if err != nil {
		t.Fatal(err)
	}
	n, err := e.tenants.RemoveAbandoned(ctx, time.Minute)
	if err != nil || n != 1 {
		t.Fatalf("RemoveAbandoned = %d, %v; want 1", n, err)
	}
	if _, err := os.Stat(newStaged); err != nil {
		t.Errorf("recent staged file: %v", err)
	}
	if err := e.provider.Remove(ctx, newStaged); err != nil {
		t.Fatal(err)
	}
	if files := dirFiles(t, e.tenantsDir()); len(files) != 0 {
		t.Errorf("files left: %q", files)
	}
	if c := recordCount(t, e.control); c != 1 {
		t.Errorf("%d records, want only the recent 'creating' one", c)
	}
	e.createTenant(t, "crashed")
}
