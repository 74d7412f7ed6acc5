package main

// Everything that creates benchmark data is in this file, so that it is the
// one place to adapt when the product's store API changes. The product's
// data is made through its own store package (as app/cli/wire.go opens it);
// the comparison servers' data is made with plain SQL, with the same
// tenants and the same todo titles.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"syscall"

	"todos/app"
	"todos/app/store"
)

// Seeded accounts. Passwords are hashed with seedPasswordParams, so that
// signing in costs the server little.
const (
	ownerPassword = "bench-password-1234"
	adminEmail    = "admin@bench.test"
	adminPassword = "bench-admin-password-1234"
)

// seedPasswordParams are cheap argon2id costs for seeded passwords.
var seedPasswordParams = app.PasswordParams{Time: 1, Memory: 1024, Threads: 1}

// seedWorkers is how many tenants are created at once.
const seedWorkers = 4

// titleFormat is the title of todo %d of tenant %s, the same in Go and in
// SQLite's printf. It has characters that templates must escape.
const titleFormat = "Todo %d of %s: milk & <eggs> for \"breakfast\""

// tenantName is the name of the i-th tenant (from 1): t00001, t00002, ...
func tenantName(i int) string { return fmt.Sprintf("t%05d", i) }

// ownerEmail is the email of the owner of tenant name.
func ownerEmail(name string) string { return "owner@" + name + ".test" }

// bigOwnerEmail is the owner's email in every tenant of a big data set:
// they are copies of its first tenant's database.
var bigOwnerEmail = ownerEmail(tenantName(1))

// productStore is the product's storage of one data directory, opened the
// way app/cli/wire.go opens it but with cheap password hashing.
type productStore struct {
	region  string // the provider's region tenants are made in
	control *store.Control
	pool    *store.TenantPool
	tenants *store.Tenants
}

// openProductStore opens (creating) the product's data directory dir.
func openProductStore(dir, schema string) (*productStore, error) {
	return openProductStoreOn(dir, schema, store.LocalProvider{Dir: filepath.Join(dir, "tenants")})
}

// openProductStoreOn opens (creating) the product's data directory dir with
// its tenant databases on provider.
func openProductStoreOn(dir, schema string, provider store.Provider) (*productStore, error) {
	migrations, err := store.ParseMigrations(schema)
	if err != nil {
		return nil, fmt.Errorf("schema: %w", err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "tenants"), 0o700); err != nil {
		return nil, err
	}
	control, err := store.OpenControl(filepath.Join(dir, "control.db"), store.WithPasswordParams(seedPasswordParams))
	if err != nil {
		return nil, err
	}
	pool := store.NewTenantPool(provider, migrations, control, 64)
	tenants := store.NewTenants(control, provider, pool, seedPasswordParams)
	return &productStore{region: provider.Regions()[0].Code, control: control, pool: pool, tenants: tenants}, nil
}

// Close closes the pool, then the control plane.
func (p *productStore) Close() error {
	return errors.Join(p.pool.Close(), p.control.Close())
}

// createProductTenant creates tenant name with its owner and todos todos.
func (p *productStore) createProductTenant(ctx context.Context, name string, todos int) (*app.Tenant, error) {
	t, _, err := p.tenants.CreateTenant(ctx, app.CreateTenantInput{
		Name: name, Region: p.region, OwnerEmail: ownerEmail(name), OwnerPassword: ownerPassword,
	})
	if err != nil {
		return nil, fmt.Errorf("create tenant %s: %w", name, err)
	}
	db, err := p.pool.Acquire(ctx, t)
	if err != nil {
		return nil, err
	}
	defer db.Release()
	for j := 1; j <= todos; j++ {
		if _, _, err := db.AddTodo(ctx, fmt.Sprintf(titleFormat, j, name)); err != nil {
			return nil, fmt.Errorf("add todo to %s: %w", name, err)
		}
	}
	return t, nil
}

// seedProduct creates n tenants t00001.. with todos todos each in the
// product's data directory dir.
func seedProduct(ctx context.Context, dir, schema string, n, todos int) error {
	return seedProductOn(ctx, dir, schema, store.LocalProvider{Dir: filepath.Join(dir, "tenants")}, n, todos)
}

// seedProductOn is seedProduct with the tenant databases on provider.
func seedProductOn(ctx context.Context, dir, schema string, provider store.Provider, n, todos int) error {
	p, err := openProductStoreOn(dir, schema, provider)
	if err != nil {
		return err
	}
	err = parallel(ctx, n, seedWorkers, func(i int) error {
		_, err := p.createProductTenant(ctx, tenantName(i), todos)
		return err
	})
	return errors.Join(err, p.Close(), syncDisk())
}

// seedProductBig makes n tenants in the product's data directory dir
// quickly: it creates t00001 normally (and the admin account), then copies
// its database file to n-1 new files and inserts their control-plane rows
// in one transaction, copying t00001's row. Every copy's owner is
// bigOwnerEmail.
func seedProductBig(ctx context.Context, dir, schema string, n, todos int) error {
	p, err := openProductStore(dir, schema)
	if err != nil {
		return err
	}
	tmpl, err := p.createProductTenant(ctx, tenantName(1), todos)
	if err == nil {
		_, err = p.control.CreateAdmin(ctx, adminEmail, adminPassword)
	}
	if err := errors.Join(err, p.Close()); err != nil {
		return err
	}
	data, err := checkpointedFile(ctx, tmpl.Location)
	if err != nil {
		return err
	}
	ids := make([]string, n+1)
	err = parallel(ctx, n-1, seedWorkers, func(i int) error {
		id, err := newTenantID()
		if err != nil {
			return err
		}
		ids[i+1] = id
		return os.WriteFile(filepath.Join(dir, "tenants", id+".db"), data, 0o600)
	})
	if err != nil {
		return err
	}
	if err := insertTenantCopies(ctx, filepath.Join(dir, "control.db"), tmpl.ID, ids, filepath.Join(dir, "tenants")); err != nil {
		return err
	}
	return syncDisk()
}

// insertTenantCopies inserts, in one transaction, a control-plane row for
// each ids[i] (i >= 2) named tenantName(i), a copy of template's row except
// for its id, name and location (the absolute path of {dir}/{id}.db).
func insertTenantCopies(ctx context.Context, controlPath, template string, ids []string, dir string) error {
	db, err := openFile(controlPath)
	if err != nil {
		return err
	}
	defer closeFile(db)
	rows, err := db.QueryContext(ctx, "SELECT name FROM pragma_table_info('tenants')")
	if err != nil {
		return err
	}
	var cols, sel []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			rows.Close()
			return err
		}
		cols = append(cols, c)
		switch c {
		case "id", "name", "location":
			sel = append(sel, "?")
		default:
			sel = append(sel, c)
		}
	}
	rows.Close()
	if len(cols) == 0 {
		return errors.New("control.db has no tenants table")
	}
	args := func(id, name, loc string) []any {
		var a []any
		for _, c := range cols {
			switch c {
			case "id":
				a = append(a, id)
			case "name":
				a = append(a, name)
			case "location":
				a = append(a, loc)
			}
		}
		return append(a, template)
	}
	abs, err := filepath.Abs(dir)
	if err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	stmt, err := tx.PrepareContext(ctx, "INSERT INTO tenants ("+strings.Join(cols, ", ")+") SELECT "+
		strings.Join(sel, ", ")+" FROM tenants WHERE id = ?")
	if err != nil {
		return err
	}
	defer stmt.Close()
	for i := 2; i < len(ids); i++ {
		if _, err := stmt.ExecContext(ctx, args(ids[i], tenantName(i), filepath.Join(abs, ids[i]+".db"))...); err != nil {
			return fmt.Errorf("insert tenant %s: %w", tenantName(i), err)
		}
	}
	return tx.Commit()
}

// checkpointedFile moves everything in the WAL of the (closed) database at
// path into the file itself and returns the file's bytes: a copy of them
// is then the whole database. (go-libsql leaves the WAL behind on close.)
func checkpointedFile(ctx context.Context, path string) ([]byte, error) {
	db, err := openFile(path)
	if err != nil {
		return nil, err
	}
	var busy, frames, done int
	err = db.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &frames, &done)
	if err == nil && busy != 0 {
		err = fmt.Errorf("checkpoint of %s: database busy", path)
	}
	if err := errors.Join(err, db.Close()); err != nil {
		return nil, err
	}
	if fi, err := os.Stat(path + "-wal"); err == nil && fi.Size() > 0 {
		return nil, fmt.Errorf("%s still has %d bytes of WAL after a checkpoint", path, fi.Size())
	}
	return os.ReadFile(path)
}

// newTenantID returns an id like the product's: "t_" and 32 hex digits.
func newTenantID() (string, error) {
	b := make([]byte, 16)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return "t_" + hex.EncodeToString(b), nil
}

// seedFloor creates the floor's files {dir}/t00001.db.. for n tenants with
// todos todos each.
func seedFloor(ctx context.Context, dir string, n, todos int) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	err := parallel(ctx, n, seedWorkers, func(i int) error {
		return createFloorFile(ctx, filepath.Join(dir, tenantName(i)+".db"), tenantName(i), todos)
	})
	return errors.Join(err, syncDisk())
}

// seedFloorBig creates t00001's floor file and copies it for the other
// n-1 tenants.
func seedFloorBig(ctx context.Context, dir string, n, todos int) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	first := filepath.Join(dir, tenantName(1)+".db")
	if err := createFloorFile(ctx, first, tenantName(1), todos); err != nil {
		return err
	}
	data, err := checkpointedFile(ctx, first)
	if err != nil {
		return err
	}
	err = parallel(ctx, n-1, seedWorkers, func(i int) error {
		return os.WriteFile(filepath.Join(dir, tenantName(i+1)+".db"), data, 0o600)
	})
	return errors.Join(err, syncDisk())
}

// createFloorFile creates one floor tenant database with its todos.
func createFloorFile(ctx context.Context, path, name string, todos int) error {
	db, err := openFile(path)
	if err != nil {
		return err
	}
	defer closeFile(db)
	if err := execAll(ctx, db, floorSchema); err != nil {
		return err
	}
	_, err = db.ExecContext(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
		INSERT INTO todos (title, completed, created_at, updated_at)
		SELECT printf(?, i, ?), 0, unixepoch() * 1000, unixepoch() * 1000 FROM s`, todos, titleFormat, name)
	return err
}

// seedShared creates the shared design's database {dir}/shared.db with n
// tenants and todos todos each.
func seedShared(ctx context.Context, dir string, n, todos int) error {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return err
	}
	db, err := openFile(filepath.Join(dir, sharedFile))
	if err != nil {
		return err
	}
	defer closeFile(db)
	if err := execAll(ctx, db, sharedSchema); err != nil {
		return err
	}
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
		INSERT INTO tenants (id, name) SELECT i, printf('t%05d', i) FROM s`, n); err != nil {
		return err
	}
	// Todo by todo across tenants: a tenant's rows are spread over the file
	// as they are when many tenants add todos at the same time.
	if _, err := tx.ExecContext(ctx, `WITH RECURSIVE s(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM s WHERE i < ?)
		INSERT INTO todos (tenant_id, title, completed, created_at, updated_at)
		SELECT t.id, printf(?, s.i, t.name), 0, unixepoch() * 1000, unixepoch() * 1000
		FROM s, tenants t ORDER BY s.i, t.id`, todos, titleFormat); err != nil {
		return err
	}
	if err := tx.Commit(); err != nil {
		return err
	}
	return syncDisk()
}

// parallel runs fn(1..n) on workers goroutines and returns the first error.
func parallel(ctx context.Context, n, workers int, fn func(i int) error) error {
	next := make(chan int)
	var mu sync.Mutex
	var first error
	failed := func() bool { mu.Lock(); defer mu.Unlock(); return first != nil }
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				if err := fn(i); err != nil {
					mu.Lock()
					if first == nil {
						first = err
					}
					mu.Unlock()
				}
			}
		}()
	}
feed:
	for i := 1; i <= n && !failed(); i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if first == nil {
		first = ctx.Err()
	}
	return first
}

// syncDisk flushes written files, so that the kernel's write-back does not
// compete with the measurements that follow.
func syncDisk() error {
	syscall.Sync()
	return nil
}
