package main

import (
	"context"
	"time"
)

// floorSchema is the floor's tenant database: the product's todos table
// (schema.sql) without its users table.
const floorSchema = `
CREATE TABLE todos (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    title      TEXT    NOT NULL CHECK (length(title) > 0),
    completed  INTEGER NOT NULL DEFAULT 0 CHECK (completed IN (0, 1)),
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);
CREATE INDEX todos_completed ON todos (completed)`

// floorStore is the "bare per-tenant floor": one database file per tenant,
// {data}/{name}.db, each opened once as a one-connection *sql.DB, with
// nothing else around it.
type floorStore struct{ h *handles }

// runServeFloor runs "bench serve-floor".
func runServeFloor(args []string) error {
	f, err := parseServeFlags("bench serve-floor", args)
	if err != nil {
		return err
	}
	st := &floorStore{h: newHandles(f.data, f.maxOpen)}
	return serveUntilSignal(newListApp(st), f.addr, st)
}

// List reads all of tenant's todos in one query and counts them.
func (s *floorStore) List(ctx context.Context, tenant string) ([]todoItem, todoStats, error) {
	h, err := s.h.acquire(ctx, tenant)
	if err != nil {
		return nil, todoStats{}, err
	}
	defer s.h.release(h)
	rows, err := h.db.QueryContext(ctx, "SELECT id, CAST(title AS BLOB), completed FROM todos ORDER BY id")
	if err != nil {
		return nil, todoStats{}, err
	}
	return scanTodos(rows)
}

// Add inserts one todo in its own (fsynced) transaction.
func (s *floorStore) Add(ctx context.Context, tenant, title string, wantStats bool) (todoItem, todoStats, error) {
	h, err := s.h.acquire(ctx, tenant)
	if err != nil {
		return todoItem{}, todoStats{}, err
	}
	defer s.h.release(h)
	now := time.Now().UnixMilli()
	item := todoItem{Title: title}
	if err := h.db.QueryRowContext(ctx, `INSERT INTO todos (title, completed, created_at, updated_at)
		VALUES (?, 0, ?, ?) RETURNING id`, title, now, now).Scan(&item.ID); err != nil {
		return item, todoStats{}, err
	}
	var stats todoStats
	if wantStats {
		err = h.db.QueryRowContext(ctx, "SELECT count(*), coalesce(sum(completed), 0) FROM todos").
			Scan(&stats.Total, &stats.Completed)
	}
	return item, stats, err
}

// Close closes every open tenant database.
func (s *floorStore) Close() error { return s.h.closeAll() }
