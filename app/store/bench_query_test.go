package store

import (
	"context"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"todos/app"
)

// seedTenants inserts n tenant records straight into the control database in
// one transaction: names like "blue-otter-123", mostly active, some
// suspended and some in the trash, with spread-out times and counters.
func seedTenants(tb testing.TB, c *Control, n int) {
	tb.Helper()
	words := []string{"blue", "red", "green", "amber", "otter", "fox", "maple", "river", "stone", "cloud", "north", "pixel"}
	rng := rand.New(rand.NewPCG(1, 2))
	tx, err := c.db.Begin()
	if err != nil {
		tb.Fatal(err)
	}
	defer func() { _ = tx.Rollback() }()
	stmt, err := tx.Prepare(`INSERT INTO tenants (id, name, region, location, status, created_at, last_active_at,
		todo_count, completed_count, schema_version, deleted_at) VALUES (?, ?, 'local', ?, ?, ?, ?, ?, ?, 1, ?)`)
	if err != nil {
		tb.Fatal(err)
	}
	defer stmt.Close()
	base := time.Now().Add(-365 * 24 * time.Hour).UnixMilli()
	for i := range n {
		id := fmt.Sprintf("t_seed%08d", i)
		name := fmt.Sprintf("%s-%s-%d", words[i%len(words)], words[(i/len(words))%len(words)], i)
		status, deleted := app.TenantActive, int64(0)
		switch i % 100 {
		case 7:
			status = app.TenantSuspended
		case 13:
			status, deleted = app.TenantDeleted, base+int64(i)
		}
		created := base + rng.Int64N(300*24*3600*1000)
		todos := rng.IntN(200)
		if _, err := stmt.Exec(id, name, "/data/"+id+".db", string(status), created,
			created+rng.Int64N(60*24*3600*1000), todos, rng.IntN(todos+1), deleted); err != nil {
			tb.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		tb.Fatal(err)
	}
}

// BenchmarkQueryTenants100k measures one dashboard page (50 tenants and the
// total) over 100,000 tenant records, sorted by last activity, newest first.
//
//	go test -run '^$' -bench QueryTenants100k -benchtime 20x ./app/store/
func BenchmarkQueryTenants100k(b *testing.B) {
	c := openTestControl(b)
	start := time.Now()
	seedTenants(b, c, 100_000)
	b.Logf("inserted 100,000 tenant records in %v", time.Since(start).Round(time.Millisecond))
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		q    app.TenantQuery
	}{
		{"sorted", app.TenantQuery{Sort: app.SortLastActive, Desc: true}},
		{"sorted-page-100", app.TenantQuery{Sort: app.SortLastActive, Desc: true, Offset: 5000}},
		{"search-common", app.TenantQuery{Sort: app.SortLastActive, Desc: true, Search: "otter"}},
		{"search-rare", app.TenantQuery{Sort: app.SortLastActive, Desc: true, Search: "777"}},
		{"search-none", app.TenantQuery{Sort: app.SortLastActive, Desc: true, Search: "zebra"}},
		{"by-todos", app.TenantQuery{Sort: app.SortTodos, Desc: true}},
		{"suspended", app.TenantQuery{Sort: app.SortLastActive, Desc: true, Status: app.TenantSuspended}},
		{"trash", app.TenantQuery{Sort: app.SortName, Status: app.TenantDeleted}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			for b.Loop() {
				page, err := c.QueryTenants(ctx, bc.q)
				if err != nil {
					b.Fatal(err)
				}
				if page.Total > 0 && len(page.Tenants) == 0 {
					b.Fatalf("empty page of %d", page.Total)
				}
			}
		})
	}
	b.Run("tenants-version", func(b *testing.B) {
		for b.Loop() {
			if _, err := c.TenantsVersion(ctx); err != nil {
				b.Fatal(err)
			}
		}
	})
}
