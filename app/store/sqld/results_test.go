package sqld

import (
	"fmt"
	"testing"

	"todos/app"
	"todos/app/internal/sqldtest"
)

// TestPartlyReadResultKeepsTransaction: a write statement whose result is
// read only in part (QueryRow reads one row, as the app's INSERT and
// UPDATE … RETURNING do) inside a transaction keeps the transaction and
// the statement. go-libsql streams a result from sqld; sqld cancels a
// statement whose client stops reading, and SQLite rolls the whole
// transaction back when it interrupts a write, so the COMMIT used to find
// no transaction ("cannot commit - no transaction is active") and the
// write was lost. A large result makes the server still stream when the
// client closes, every time.
func TestPartlyReadResultKeepsTransaction(t *testing.T) {
	srv := sqldtest.Start(t)
	p := newTestProvider(t, srv, Config{})
	db := mustOpen(t, p, mustCreate(t, p, "t_partly_read"))
	const rows, rounds = 10000, 3
	exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, v INTEGER NOT NULL)",
		fmt.Sprintf("INSERT INTO t (v) WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < %d) SELECT 0 FROM s", rows))
	for round := 1; round <= rounds; round++ {
		tx, err := db.BeginTx(ctx, nil)
		if err != nil {
			t.Fatal(err)
		}
		var id int64
		if err := tx.QueryRowContext(ctx, "UPDATE t SET v = v + 1 RETURNING id").Scan(&id); err != nil {
			_ = tx.Rollback()
			t.Fatalf("round %d: update: %v", round, err)
		}
		if err := tx.Commit(); err != nil {
			t.Fatalf("round %d: commit: %v", round, err)
		}
		var sum int
		if err := db.QueryRowContext(ctx, "SELECT sum(v) FROM t").Scan(&sum); err != nil || sum != rows*round {
			t.Fatalf("round %d: sum(v) = %d, %v; want %d", round, sum, err, rows*round)
		}
	}
}

// TestPoolWritesOnSqld: the app's own write path (the pool's TenantDB:
// add, add once, toggle, each a transaction reading its result with
// QueryRow) over several tenants, more of them than the pool holds, keeps
// every write.
func TestPoolWritesOnSqld(t *testing.T) {
	srv := sqldtest.Start(t)
	p := newTestProvider(t, srv, Config{})
	tenants, pool := newTenantsOn(t, p) // a pool of 4, and "acme"
	const lists, adds = 6, 20
	var all []*app.Tenant
	for i := range lists {
		tn, _, err := tenants.CreateTenant(ctx, app.CreateTenantInput{
			Name: fmt.Sprintf("list%d", i), Region: p.Regions()[0].Code,
			OwnerEmail: fmt.Sprintf("o%d@example.com", i), OwnerPassword: "correct horse",
		})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { _ = p.Remove(ctx, tn.Location) })
		all = append(all, tn)
	}
	for n := range adds {
		for _, tn := range all { // round robin: tenants leave and re-enter the pool
			tdb, err := pool.Acquire(ctx, tn)
			if err != nil {
				t.Fatal(err)
			}
			td, _, err := tdb.AddTodo(ctx, fmt.Sprintf("todo %d", n))
			if err == nil && n%2 == 0 {
				_, _, err = tdb.ToggleTodo(ctx, td.ID)
			}
			if err == nil {
				_, _, _, err = tdb.AddTodoOnce(ctx, fmt.Sprintf("key-%02d-000000000000000000000000", n), fmt.Sprintf("once %d", n))
			}
			tdb.Release()
			if err != nil {
				t.Fatalf("%s, todo %d: %v", tn.Name, n, err)
			}
		}
	}
	for _, tn := range all {
		tdb, err := pool.Acquire(ctx, tn)
		if err != nil {
			t.Fatal(err)
		}
		todos, stats, err := tdb.Todos(ctx, app.FilterAll)
		tdb.Release()
		if err != nil || len(todos) != 2*adds || stats.Total != 2*adds || stats.Completed != adds/2 {
			t.Errorf("%s: %d todos, stats %+v, %v; want %d, %d completed", tn.Name, len(todos), stats, err, 2*adds, adds/2)
		}
	}
}
