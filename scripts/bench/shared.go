package main

import (
	"context"
	"database/sql"
	"errors"
	"path/filepath"
	"sync"
	"time"
)

// sharedSchema is the shared-database design: every tenant's todos in one
// table, found by tenant_id.
const sharedSchema = `
CREATE TABLE tenants (
    id   INTEGER PRIMARY KEY,
    name TEXT    NOT NULL UNIQUE
);
CREATE TABLE todos (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    tenant_id  INTEGER NOT NULL REFERENCES tenants (id),
    title      TEXT    NOT NULL CHECK (length(title) > 0),
    completed  INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX todos_tenant ON todos (tenant_id)`

// sharedFile is the name of the shared database in its data directory.
const sharedFile = "shared.db"

// sharedStore is the "shared-database design": one file for all tenants,
// one *sql.DB with one connection (several connections to one file fail,
// see shared/notes/engine.md), tenant ids cached by name.
type sharedStore struct {
	db  *sql.DB
	mu  sync.RWMutex
	ids map[string]int64
}

// runServeShared runs "bench serve-shared".
func runServeShared(args []string) error {
	f, err := parseServeFlags("bench serve-shared", args)
	if err != nil {
		return err
	}
	db, err := openFile(filepath.Join(f.data, sharedFile))
	if err != nil {
		return err
	}
	st := &sharedStore{db: db, ids: map[string]int64{}}
	return serveUntilSignal(newListApp(st), f.addr, st)
}

// tenantID returns the id of tenant, from the cache or the tenants table.
func (s *sharedStore) tenantID(ctx context.Context, tenant string) (int64, error) {
	s.mu.RLock()
	id, ok := s.ids[tenant]
	s.mu.RUnlock()
	if ok {
		return id, nil
	}
	err := s.db.QueryRowContext(ctx, "SELECT id FROM tenants WHERE name = ?", tenant).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, errNoTenant
	} else if err != nil {
		return 0, err
	}
	s.mu.Lock()
	s.ids[tenant] = id
	s.mu.Unlock()
	return id, nil
}

// List reads all of tenant's todos in one query and counts them.
func (s *sharedStore) List(ctx context.Context, tenant string) ([]todoItem, todoStats, error) {
	id, err := s.tenantID(ctx, tenant)
	if err != nil {
		return nil, todoStats{}, err
	}
	rows, err := s.db.QueryContext(ctx,
		"SELECT id, CAST(title AS BLOB), completed FROM todos WHERE tenant_id = ? ORDER BY id", id)
	if err != nil {
		return nil, todoStats{}, err
	}
	return scanTodos(rows)
}

// Add inserts one todo in its own (fsynced) transaction.
func (s *sharedStore) Add(ctx context.Context, tenant, title string, wantStats bool) (todoItem, todoStats, error) {
	id, err := s.tenantID(ctx, tenant)
	if err != nil {
		return todoItem{}, todoStats{}, err
	}
	now := time.Now().UnixMilli()
	item := todoItem{Title: title}
	if err := s.db.QueryRowContext(ctx, `INSERT INTO todos (tenant_id, title, completed, created_at, updated_at)
		VALUES (?, ?, 0, ?, ?) RETURNING id`, id, title, now, now).Scan(&item.ID); err != nil {
		return item, todoStats{}, err
	}
	var stats todoStats
	if wantStats {
		err = s.db.QueryRowContext(ctx,
			"SELECT count(*), coalesce(sum(completed), 0) FROM todos WHERE tenant_id = ?", id).
			Scan(&stats.Total, &stats.Completed)
	}
	return item, stats, err
}

// Close closes the database.
func (s *sharedStore) Close() error { return s.db.Close() }

// scanTodos reads rows of (id, title, completed) and closes them.
func scanTodos(rows *sql.Rows) ([]todoItem, todoStats, error) {
	defer rows.Close()
	var todos []todoItem
	var stats todoStats
	for rows.Next() {
		var t todoItem
		var title []byte
		if err := rows.Scan(&t.ID, &title, &t.Completed); err != nil {
			return nil, stats, err
		}
		t.Title = string(title)
		todos = append(todos, t)
		stats.Total++
		if t.Completed {
			stats.Completed++
		}
	}
	return todos, stats, rows.Err()
}
