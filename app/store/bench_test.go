package store

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"todos/app"
)

// Benchmarks of the storage layer. Run them with
//
//	go test -run '^$' -bench . -benchtime 2000x ./app/store/
//
// docs/benchmarks.md records the figures measured on the reference machine.

// BenchmarkPoolAcquireHit measures acquiring and releasing an open tenant.
func BenchmarkPoolAcquireHit(b *testing.B) {
	env := newTestEnv(b, 16)
	tn := env.createTenant(b, "bench")
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tdb, err := env.pool.Acquire(ctx, tn)
		if err != nil {
			b.Fatal(err)
		}
		tdb.Release()
	}
}

// BenchmarkPoolAcquireMiss measures opening a tenant that is not in the pool:
// capacity 1 and two tenants alternating make every Acquire a miss that
// also closes the other database.
func BenchmarkPoolAcquireMiss(b *testing.B) {
	env := newTestEnv(b, 1)
	tns := []*app.Tenant{env.createTenant(b, "bench-a"), env.createTenant(b, "bench-b")}
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		tdb, err := env.pool.Acquire(ctx, tns[i%2])
		if err != nil {
			b.Fatal(err)
		}
		tdb.Release()
	}
}

// BenchmarkAddTodo measures one durable todo insert, including the counter
// update in the control plane.
func BenchmarkAddTodo(b *testing.B) {
	env := newTestEnv(b, 4)
	tdb := env.acquire(b, env.createTenant(b, "bench"))
	ctx := context.Background()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := tdb.AddTodo(ctx, "item "+strconv.Itoa(i)); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkAddTodoParallel measures inserts into one tenant from many
// goroutines: they serialise on its single connection.
func BenchmarkAddTodoParallel(b *testing.B) {
	env := newTestEnv(b, 4)
	tn := env.createTenant(b, "bench")
	ctx := context.Background()
	var n atomic.Int64
	b.SetParallelism(4)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			tdb, err := env.pool.Acquire(ctx, tn)
			if err != nil {
				b.Error(err)
				return
			}
			if _, _, err := tdb.AddTodo(ctx, fmt.Sprint("item ", n.Add(1))); err != nil {
				b.Error(err)
			}
			tdb.Release()
		}
	})
}

// BenchmarkListTodos measures reading a list of 100 items with its stats.
func BenchmarkListTodos(b *testing.B) {
	env := newTestEnv(b, 4)
	tdb := env.acquire(b, env.createTenant(b, "bench"))
	ctx := context.Background()
	for i := 0; i < 100; i++ {
		if _, _, err := tdb.AddTodo(ctx, "item "+strconv.Itoa(i)); err != nil {
			b.Fatal(err)
		}
	}
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, _, err := tdb.Todos(ctx, app.FilterAll); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPoolMemoryPerTenant opens 500 tenants into a pool that keeps them
// all and reports the growth of the process's resident memory per open
// tenant (native memory of go-libsql included, which Go's allocator does
// not see). Run it with -benchtime 1x.
func BenchmarkPoolMemoryPerTenant(b *testing.B) {
	const n = 500
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		env := newTestEnv(b, n)
		ctx := context.Background()
		tns := make([]*app.Tenant, n)
		for j := range tns {
			tns[j] = env.createTenant(b, fmt.Sprintf("mem-%d-%d", i, j))
		}
		// Close everything creation opened, then measure opening them again.
		for _, tn := range tns {
			<-env.pool.Evict(tn.ID)
		}
		runtime.GC()
		before := rssKB(b)
		b.StartTimer()
		for _, tn := range tns {
			tdb, err := env.pool.Acquire(ctx, tn)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := tdb.Stats(ctx); err != nil {
				b.Fatal(err)
			}
			tdb.Release()
		}
		b.StopTimer()
		runtime.GC()
		after := rssKB(b)
		if got := env.pool.Stats().Open; got != n {
			b.Fatalf("open = %d, want %d", got, n)
		}
		b.ReportMetric(float64(after-before)/n, "KB-RSS/tenant")
		_ = env.pool.Close()
	}
}

// rssKB reads the resident set size of this process from /proc.
func rssKB(b *testing.B) int64 {
	data, err := os.ReadFile("/proc/self/status")
	if err != nil {
		b.Skip("no /proc/self/status")
	}
	for _, line := range strings.Split(string(data), "\n") {
		if strings.HasPrefix(line, "VmRSS:") {
			f := strings.Fields(line)
			v, _ := strconv.ParseInt(f[1], 10, 64)
			return v
		}
	}
	b.Skip("no VmRSS")
	return 0
}
