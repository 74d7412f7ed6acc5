package turso

import (
	"fmt"
	"net/http"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"todos/app"
	"todos/app/internal/providertest"
	"todos/app/store"
)

// cloneTitles are the todos of the tenant every clone test copies.
var cloneTitles = []string{"plain", "it's; a \"quote\"", "ünïcode ✓"}

// newTenantsOn returns the store's tenant service on p with a control plane
// of its own, and a tenant "acme" in ams holding cloneTitles (the second
// completed), a second user and one session.
func newTenantsOn(t *testing.T, p *Provider) (*store.Tenants, *store.TenantPool) {
	t.Helper()
	tenants, pool := providertest.NewTenants(t, p)
	tn, _, err := tenants.CreateTenant(ctx, app.CreateTenantInput{
		Name: "acme", Region: "ams", OwnerEmail: "o@example.com", OwnerPassword: "correct horse",
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Remove(ctx, tn.Location) })
	tdb, err := pool.Acquire(ctx, tn)
	if err != nil {
		t.Fatal(err)
	}
	defer tdb.Release()
	for i, title := range cloneTitles {
		td, _, err := tdb.AddTodo(ctx, title)
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 {
			if _, _, err := tdb.ToggleTodo(ctx, td.ID); err != nil {
				t.Fatal(err)
			}
		}
	}
	if _, err := tdb.CreateUser(ctx, "second@example.com", "hash"); err != nil {
		t.Fatal(err)
	}
	if err := tdb.CommitSession(ctx, "session-key", []byte("data"), time.Now().Add(time.Hour)); err != nil {
		t.Fatal(err)
	}
	return tenants, pool
}

// TestCloneBranches: on Turso, CloneTenant is one branch of the source's
// database on Turso's side (a seeded create; no staged file), with the
// file path's result: the todos and users kept, no session, the source's
// region, the counters right, a database of its own.
func TestCloneBranches(t *testing.T) {
	f := startFake(t)
	p := newTestProvider(t, f, Config{})
	tenants, pool := newTenantsOn(t, p)
	clone, err := tenants.CloneTenant(ctx, "acme", "acme-copy")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Remove(ctx, clone.Location) })
	if n := f.Branches(); n != 1 {
		t.Errorf("%d branches made, want 1", n)
	}
	src, err := tenants.FindTenant(ctx, "acme")
	if err != nil {
		t.Fatal(err)
	}
	if clone.Location != livePrefix+DatabaseName(clone.ID) || clone.Region != src.Region ||
		clone.Status != app.TenantActive || clone.TodoCount != len(cloneTitles) || clone.CompletedCount != 1 {
		t.Errorf("clone %+v of %+v", clone, src)
	}
	if staged, _ := filepath.Glob(filepath.Join(stagingDirOf(t, p), "*")); len(staged) != 0 {
		t.Errorf("staged files: %q", staged)
	}
	tdb, err := pool.Acquire(ctx, clone)
	if err != nil {
		t.Fatal(err)
	}
	defer tdb.Release()
	todos, stats, err := tdb.Todos(ctx, app.FilterAll)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, td := range todos {
		got = append(got, td.Title)
		if td.Completed != (td.Title == cloneTitles[1]) {
			t.Errorf("todo %q completed %v", td.Title, td.Completed)
		}
	}
	slices.Sort(got)
	want := slices.Clone(cloneTitles)
	slices.Sort(want)
	if !slices.Equal(got, want) || stats.Total != 3 || stats.Completed != 1 {
		t.Errorf("clone todos %q, stats %+v", got, stats)
	}
	for _, email := range []string{"o@example.com", "second@example.com"} {
		if u, err := tdb.UserByEmail(ctx, email); err != nil || u == nil {
			t.Errorf("user %s in the clone: %v", email, err)
		}
	}
	owner, _ := tdb.UserByEmail(ctx, "o@example.com")
	if owner == nil || !app.CheckPassword(owner.PasswordHash, "correct horse") {
		t.Error("the owner cannot sign in to the clone")
	}
	if _, found, err := tdb.FindSession(ctx, "session-key"); err != nil || found {
		t.Errorf("the clone carries the source's session: %v, %v", found, err)
	}
	var sessions int
	if err := mustOpen(t, p, clone.Location).QueryRow("SELECT count(*) FROM sessions").Scan(&sessions); err != nil || sessions != 0 {
		t.Errorf("%d sessions in the clone's database, %v", sessions, err)
	}
	if _, _, err := tdb.AddTodo(ctx, "only in the clone"); err != nil {
		t.Fatal(err)
	}
	sdb, err := pool.Acquire(ctx, src)
	if err != nil {
		t.Fatal(err)
	}
	defer sdb.Release()
	if s, err := sdb.Stats(ctx); err != nil || s.Total != 3 {
		t.Errorf("source stats %+v, %v", s, err)
	}
	if _, found, err := sdb.FindSession(ctx, "session-key"); err != nil || !found {
		t.Errorf("the source lost its session: %v, %v", found, err)
	}
}

// TestCloneBranchFailures: a branch answered 429 or 500 is retried; one
// that fails for good, or whose copy cannot be opened afterwards, leaves
// no database on Turso and no tenant record (the name is free again).
func TestCloneBranchFailures(t *testing.T) {
	f := startFake(t)
	p := newTestProvider(t, f, Config{APIAttempts: 4})
	tenants, _ := newTenantsOn(t, p)
	before := f.Databases()
	wantNothingLeft := func(t *testing.T) {
		t.Helper()
		if got := f.Databases(); !slices.Equal(sorted(got), sorted(before)) {
			t.Errorf("databases %q, want %q", got, before)
		}
		if list, err := tenants.ListTenants(ctx); err != nil || len(list) != 1 {
			t.Errorf("%d tenants, %v; want only acme", len(list), err)
		}
	}

	f.FailPath("/databases", http.StatusInternalServerError, 4) // every attempt of the branch
	_, err := tenants.CloneTenant(ctx, "acme", "copy")
	wantCode(t, err, app.EUNAVAILABLE)
	f.ClearFaults()
	wantNothingLeft(t)

	f.FailPath("/auth/tokens", http.StatusInternalServerError, 1000) // branched, then cannot be opened
	_, err = tenants.CloneTenant(ctx, "acme", "copy")
	f.ClearFaults()
	if err == nil {
		t.Fatal("clone succeeded with no token for its database")
	}
	wantNothingLeft(t)
	if f.Branches() != 1 {
		t.Errorf("%d branches made, want the 1 undone", f.Branches())
	}

	f.FailPath("/databases", http.StatusTooManyRequests, 2) // then answered
	clone, err := tenants.CloneTenant(ctx, "acme", "copy")
	if err != nil {
		t.Fatalf("429 twice, then ok: %v", err)
	}
	t.Cleanup(func() { _ = p.Remove(ctx, clone.Location) })
	if clone.TodoCount != len(cloneTitles) || !f.Has(DatabaseName(clone.ID)) {
		t.Errorf("clone %+v", clone)
	}
}

// TestBranchOnlyWithinItsGroup: Turso branches a database within its
// group only; the fake refuses as Turso does, and nothing is made.
func TestBranchOnlyWithinItsGroup(t *testing.T) {
	f := startFake(t)
	p := newTestProvider(t, f, Config{})
	src := mustOpen(t, p, mustCreate(t, p, "t_src"))
	exec(t, src, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)")
	_, err := p.Branch(ctx, "turso:t-src", "t_abroad", "iad")
	wantCode(t, err, app.EINVALID)
	if f.Has("t-abroad") {
		t.Error("a refused branch was made")
	}
}

// TestBranchIsConsistent: a branch taken while the source takes writes
// (one writer: sqld's limit) holds whole transactions only, and is intact.
func TestBranchIsConsistent(t *testing.T) {
	f := startFake(t)
	p := newTestProvider(t, f, Config{})
	src := mustOpen(t, p, mustCreate(t, p, "t_busy"))
	exec(t, src, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)")
	stop, done := make(chan struct{}), make(chan error, 1)
	warm := make(chan struct{}) // closed after the 50th transaction
	go func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				done <- nil
				return
			default:
			}
			tx, err := src.Begin()
			if err != nil {
				done <- err
				return
			}
			// Each transaction writes a pair: a branch with an odd count
			// holds half of one.
			for j := 0; j < 2; j++ {
				if _, err := tx.Exec("INSERT INTO t (title) VALUES (?)", fmt.Sprintf("%d-%d", i, j)); err != nil {
					tx.Rollback()
					done <- err
					return
				}
			}
			if err := tx.Commit(); err != nil {
				done <- err
				return
			}
			if i == 49 {
				close(warm)
			}
		}
	}()
	select {
	case <-warm:
	case err := <-done:
		t.Fatal(err)
	}
	loc, err := p.Branch(ctx, "turso:t-busy", "t_busy_copy", "ams")
	close(stop)
	if werr := <-done; werr != nil {
		t.Fatal(werr)
	}
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Remove(ctx, loc) })
	var n int
	var integrity string
	if err := mustOpen(t, p, loc).QueryRow("SELECT (SELECT count(*) FROM t), (SELECT group_concat(integrity_check) FROM pragma_integrity_check)").
		Scan(&n, &integrity); err != nil {
		t.Fatal(err)
	}
	var total int
	if err := src.QueryRow("SELECT count(*) FROM t").Scan(&total); err != nil {
		t.Fatal(err)
	}
	if n < 100 || n%2 != 0 || n > total || integrity != "ok" {
		t.Errorf("branch holds %d rows (want an even count of at least 100, at most the source's %d), integrity %q", n, total, integrity)
	}
	t.Logf("branch taken with %d rows; the source had %d when the writer stopped", n, total)
}

// sorted returns a sorted copy of s.
func sorted(s []string) []string {
	s = slices.Clone(s)
	slices.Sort(s)
	return s
}

// stagingDirOf returns where p stages files.
func stagingDirOf(t *testing.T, p *Provider) string {
	t.Helper()
	path, err := p.Stage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	_ = p.Remove(ctx, path)
	return filepath.Dir(path)
}
