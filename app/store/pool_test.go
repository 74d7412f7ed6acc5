package store

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"todos/app"
)

// poolFixture is a pool over tenant databases made directly with the
// provider, without the control plane.
type poolFixture struct {
	provider *testProvider
	pool     *TenantPool
	tenants  []*app.Tenant
}

// newPoolFixture creates n tenant databases and a pool of capacity over them.
func newPoolFixture(t *testing.T, n, capacity int, ms []Migration) *poolFixture {
	t.Helper()
	p := &testProvider{Provider: LocalProvider{Dir: filepath.Join(t.TempDir(), "tenants")}}
	f := &poolFixture{provider: p, pool: NewTenantPool(p, ms, nil, capacity)}
	t.Cleanup(func() { _ = f.pool.Close() })
	for i := range n {
		id := fmt.Sprintf("t_%02d", i)
		loc, err := p.Create(context.Background(), id, "local")
		if err != nil {
			t.Fatal(err)
		}
		f.tenants = append(f.tenants, &app.Tenant{ID: id, Name: fmt.Sprintf("tenant-%02d", i), Location: loc})
	}
	return f
}

func TestPoolConcurrentAcquireOpensAndMigratesOnce(t *testing.T) {
	ms := nextMigration(tenantMigrations(t),
		"CREATE TABLE migrate_log (at INTEGER)",
		"INSERT INTO migrate_log VALUES (unixepoch())",
	)
	f := newPoolFixture(t, 1, 3, ms)
	f.provider.openDelay = 50 * time.Millisecond
	const n = 20
	var wg sync.WaitGroup
	handles := make(chan *TenantDB, n)
	for range n {
		wg.Go(func() {
			l, err := f.pool.Acquire(context.Background(), f.tenants[0])
			if err != nil {
				t.Error(err)
				return
			}
			handles <- l
		})
	}
	wg.Wait()
	close(handles)
	var rows int
	for l := range handles {
		if err := l.db.QueryRow("SELECT count(*) FROM migrate_log").Scan(&rows); err != nil || rows != 1 {
			t.Errorf("migrate_log rows = %d, %v; want 1", rows, err)
		}
		l.Release()
	}
	if opens := f.provider.opens.Load(); opens != 1 {
		t.Errorf("provider opened %d times, want 1", opens)
	}
	if s := f.pool.Stats(); s.Misses != 1 || s.Hits != n-1 || s.Open != 1 {
		t.Errorf("stats = %+v, want 1 miss, %d hits, 1 open", s, n-1)
	}
}

func TestPoolOpenFailureIsSharedThenRetried(t *testing.T) {
	f := newPoolFixture(t, 1, 3, tenantMigrations(t))
	f.provider.openDelay = 30 * time.Millisecond
	f.provider.failOpen.Store(true)
	var wg sync.WaitGroup
	var failed atomic.Int64
	for range 10 {
		wg.Go(func() {
			if _, err := f.pool.Acquire(context.Background(), f.tenants[0]); errors.Is(err, errInjected) {
				failed.Add(1)
			} else {
				t.Errorf("Acquire = %v, want the injected error", err)
			}
		})
	}
	wg.Wait()
	if failed.Load() != 10 {
		t.Fatalf("%d of 10 Acquires failed", failed.Load())
	}
	if opens := f.provider.opens.Load(); opens != 1 {
		t.Errorf("provider opened %d times for one failure, want 1", opens)
	}
	f.provider.failOpen.Store(false)
	l, err := f.pool.Acquire(context.Background(), f.tenants[0])
	if err != nil {
		t.Fatalf("retry after failure: %v", err)
	}
	l.Release()
	if s := f.pool.Stats(); s.Open != 1 || s.Misses != 2 {
		t.Errorf("stats = %+v, want 1 open, 2 misses", s)
	}
}

func TestPoolBadMigrationFails(t *testing.T) {
	ms := nextMigration(tenantMigrations(t), "INSERT INTO nope VALUES (1)")
	f := newPoolFixture(t, 1, 3, ms)
	_, err := f.pool.Acquire(context.Background(), f.tenants[0])
	wantCode(t, err, app.EINTERNAL)
	if s := f.pool.Stats(); s.Open != 0 {
		t.Errorf("stats = %+v after failed migration, want 0 open", s)
	}
}

func TestPoolAcquireWaitCancelled(t *testing.T) {
	f := newPoolFixture(t, 1, 3, tenantMigrations(t))
	f.provider.openDelay = 200 * time.Millisecond
	first := make(chan error, 1)
	go func() {
		l, err := f.pool.Acquire(context.Background(), f.tenants[0])
		if err == nil {
			l.Release()
		}
		first <- err
	}()
	time.Sleep(20 * time.Millisecond)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := f.pool.Acquire(ctx, f.tenants[0]); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("Acquire with expiring context = %v", err)
	}
	if err := <-first; err != nil {
		t.Fatalf("first Acquire: %v", err)
	}
	f.pool.mu.Lock()
	refs := f.pool.entries[f.tenants[0].ID].refs
	f.pool.mu.Unlock()
	if refs != 0 {
		t.Errorf("refs = %d, want 0", refs)
	}
}

func TestPoolExceedsCapacityWhileHeld(t *testing.T) {
	f := newPoolFixture(t, 4, 2, tenantMigrations(t))
	var held []*TenantDB
	for _, tn := range f.tenants {
		l, err := f.pool.Acquire(context.Background(), tn)
		if err != nil {
			t.Fatal(err)
		}
		held = append(held, l)
	}
	if s := f.pool.Stats(); s.Open != 4 || s.Evictions != 0 {
		t.Fatalf("stats with 4 held = %+v, want 4 open, no evictions", s)
	}
	for _, l := range held {
		if _, err := l.Stats(context.Background()); err != nil {
			t.Fatalf("held handle: %v", err)
		}
		l.Release()
	}
	f.pool.closing.Wait() // evicted databases close in the background
	if s := f.pool.Stats(); s.Open != 2 || s.Evictions != 2 {
		t.Fatalf("stats after release = %+v, want 2 open, 2 evictions", s)
	}
	// Tenants 2 and 3, the most recently acquired, stay open.
	l, _ := f.pool.Acquire(context.Background(), f.tenants[3])
	l.Release()
	if s := f.pool.Stats(); s.Misses != 4 || s.Hits != 1 {
		t.Errorf("stats = %+v, want tenant 3 still open (a hit)", s)
	}
}

func TestPoolEvictWhileHeld(t *testing.T) {
	f := newPoolFixture(t, 1, 3, tenantMigrations(t))
	tn := f.tenants[0]
	l, err := f.pool.Acquire(context.Background(), tn)
	if err != nil {
		t.Fatal(err)
	}
	gone := f.pool.Evict(tn.ID)
	reacquired := make(chan *TenantDB)
	go func() {
		l2, err := f.pool.Acquire(context.Background(), tn)
		if err != nil {
			t.Error(err)
		}
		reacquired <- l2
	}()
	select {
	case <-gone:
		t.Fatal("evicted while held")
	case <-reacquired:
		t.Fatal("re-acquired while the evicted handle is held")
	case <-time.After(50 * time.Millisecond):
	}
	if _, _, err := l.AddTodo(context.Background(), "still works"); err != nil {
		t.Fatalf("held handle after Evict: %v", err)
	}
	l.Release()
	<-gone
	l2 := <-reacquired
	if l2 == nil {
		t.FailNow()
	}
	defer l2.Release()
	if s, err := l2.Stats(context.Background()); err != nil || s.Total != 1 {
		t.Fatalf("re-opened handle: %+v, %v", s, err)
	}
	if opens := f.provider.opens.Load(); opens != 2 {
		t.Errorf("opens = %d, want 2", opens)
	}
	<-f.pool.Evict("t_unknown") // closed at once
}

func TestPoolClose(t *testing.T) {
	f := newPoolFixture(t, 2, 3, tenantMigrations(t))
	held, err := f.pool.Acquire(context.Background(), f.tenants[0])
	if err != nil {
		t.Fatal(err)
	}
	idle, _ := f.pool.Acquire(context.Background(), f.tenants[1])
	idle.Release()
	if err := f.pool.Close(); err != nil {
		t.Fatal(err)
	}
	_, err = f.pool.Acquire(context.Background(), f.tenants[1])
	wantCode(t, err, app.EUNAVAILABLE)
	if s := f.pool.Stats(); s.Open != 1 {
		t.Errorf("after Close with one held: %+v, want 1 open", s)
	}
	if _, err := held.Stats(context.Background()); err != nil {
		t.Errorf("held handle after pool Close: %v", err)
	}
	held.Release()
	if s := f.pool.Stats(); s.Open != 0 {
		t.Errorf("after last release: %+v, want 0 open", s)
	}
	if err := f.pool.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
}

// TestPoolEvictionStress acquires 20 tenants from 16 goroutines through a
// pool of capacity 3: a held handle must always answer, and once all are
// released the pool is back within capacity with consistent stats.
func TestPoolEvictionStress(t *testing.T) {
	f := newPoolFixture(t, 20, 3, tenantMigrations(t))
	const workers, rounds = 16, 60
	var acquires atomic.Int64
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(w), 1))
			ctx := context.Background()
			for range rounds {
				a := f.tenants[r.IntN(len(f.tenants))]
				la, err := f.pool.Acquire(ctx, a)
				if err != nil {
					t.Error(err)
					return
				}
				acquires.Add(1)
				var lb *TenantDB
				if r.IntN(3) == 0 { // sometimes hold two tenants at once
					if lb, err = f.pool.Acquire(ctx, f.tenants[r.IntN(len(f.tenants))]); err != nil {
						t.Error(err)
					} else {
						acquires.Add(1)
					}
				}
				if r.IntN(4) == 0 {
					if _, _, err := la.AddTodo(ctx, "stress"); err != nil {
						t.Errorf("write on held handle: %v", err)
					}
				}
				time.Sleep(time.Duration(r.IntN(300)) * time.Microsecond)
				if _, err := la.Stats(ctx); err != nil {
					t.Errorf("read on held handle: %v", err)
				}
				if lb != nil {
					if _, err := lb.Stats(ctx); err != nil {
						t.Errorf("read on second held handle: %v", err)
					}
					lb.Release()
				}
				la.Release()
			}
		})
	}
	wg.Wait()
	f.pool.closing.Wait() // evicted databases close in the background
	s := f.pool.Stats()
	t.Logf("stats %+v, opens %d", s, f.provider.opens.Load())
	if s.Open > s.Capacity || s.Open != 3 {
		t.Errorf("open = %d after all released, want 3 (capacity %d)", s.Open, s.Capacity)
	}
	if s.Hits+s.Misses != acquires.Load() {
		t.Errorf("hits %d + misses %d != acquires %d", s.Hits, s.Misses, acquires.Load())
	}
	if s.Misses-s.Evictions != s.Open {
		t.Errorf("misses %d - evictions %d != open %d", s.Misses, s.Evictions, s.Open)
	}
	if s.Misses != f.provider.opens.Load() {
		t.Errorf("misses %d != provider opens %d", s.Misses, f.provider.opens.Load())
	}
	if s.Evictions == 0 {
		t.Error("no evictions: the test did not exercise them")
	}
}

func TestPoolRecordsSchemaVersion(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	tn := e.createTenant(t, "acme")
	latest := LatestVersion(tenantMigrations(t))
	if tn.SchemaVersion != latest {
		t.Errorf("new tenant's schema version %d, want %d", tn.SchemaVersion, latest)
	}
	<-e.pool.Evict(tn.ID)
	next := nextMigration(tenantMigrations(t), "CREATE TABLE extra (x)")
	newer := NewTenantPool(e.provider, next, e.control, 4)
	defer newer.Close()
	tdb, err := newer.Acquire(ctx, tn)
	if err != nil {
		t.Fatal(err)
	}
	tdb.Release()
	// The version found on opening reaches the control plane with the next
	// activity batch, not while the tenant is being opened.
	before := controlChanges(t, e.control)
	if got, _ := e.tenants.FindTenant(ctx, "acme"); got.SchemaVersion != latest || controlChanges(t, e.control) != before {
		t.Errorf("opening wrote schema version %d to the control plane at once", got.SchemaVersion)
	}
	if _, err := newer.Activity().Flush(ctx); err != nil {
		t.Fatal(err)
	}
	if got, _ := e.tenants.FindTenant(ctx, "acme"); got.SchemaVersion != latest+1 {
		t.Errorf("schema version after migration and a flush %d, want %d", got.SchemaVersion, latest+1)
	}
	// Opening a tenant whose record already shows its version notes nothing.
	<-newer.Evict(tn.ID)
	current, _ := e.tenants.FindTenant(ctx, "acme")
	tdb, err = newer.Acquire(ctx, current)
	if err != nil {
		t.Fatal(err)
	}
	tdb.Release()
	if n, err := newer.Activity().Flush(ctx); err != nil || n != 0 {
		t.Errorf("reopening an up-to-date tenant left %d records to flush, %v", n, err)
	}
}

func TestPoolHold(t *testing.T) {
	ctx := context.Background()
	f := newPoolFixture(t, 1, 4, tenantMigrations(t))
	tn := f.tenants[0]
	tdb, err := f.pool.Acquire(ctx, tn)
	if err != nil {
		t.Fatal(err)
	}
	closed, release := f.pool.hold(tn.ID)
	_, err = f.pool.Acquire(ctx, tn)
	wantCode(t, err, app.EUNAVAILABLE)
	select {
	case <-closed:
		t.Fatal("closed while in use")
	default:
	}
	tdb.Release()
	<-closed
	_, release2 := f.pool.hold(tn.ID) // holds nest
	release()
	release() // a second call does nothing
	_, err = f.pool.Acquire(ctx, tn)
	wantCode(t, err, app.EUNAVAILABLE)
	release2()
	tdb, err = f.pool.Acquire(ctx, tn)
	if err != nil {
		t.Fatalf("Acquire after release: %v", err)
	}
	tdb.Release()
}

// TestPoolReopensAMovedTenant: a tenant whose record names another
// location than its open database (another server moved it to another
// region) is served from the new location once the old handle's users are
// done, never from the old one.
func TestPoolReopensAMovedTenant(t *testing.T) {
	f := newPoolFixture(t, 2, 4, tenantMigrations(t))
	ctx := context.Background()
	old := f.tenants[0]
	held, err := f.pool.Acquire(ctx, old)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := held.db.ExecContext(ctx, "INSERT INTO todos (title, created_at, updated_at) VALUES ('in the old place', 1, 1)"); err != nil {
		t.Fatal(err)
	}
	// The same tenant, now at the other database's location.
	moved := *old
	moved.Location = f.tenants[1].Location
	got := make(chan *TenantDB, 1)
	go func() {
		tdb, err := f.pool.Acquire(ctx, &moved)
		if err != nil {
			t.Error(err)
		}
		got <- tdb
	}()
	held.Release() // the old handle's last user
	tdb := <-got
	if tdb == nil {
		t.FailNow()
	}
	defer tdb.Release()
	var n int
	if err := tdb.db.QueryRowContext(ctx, "SELECT count(*) FROM todos WHERE title = 'in the old place'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != 0 {
		t.Fatal("the moved tenant was served from its old database")
	}
}
