package sqld

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"path/filepath"
	"strings"
	"unicode/utf8"

	"todos/app"
	"todos/app/store"
)

// Limits of one replayed INSERT: rows and bound values.
const (
	replayRows   = 100
	replayValues = 500
)

// schemaObject is one row of a database's sqlite_schema.
type schemaObject struct {
	kind, name, sql string
}

// replay copies the local SQLite file at path into the empty namespace ns,
// in one transaction: its tables, their rows (as multi-row INSERTs with
// bound values, so no value is ever quoted into SQL), the AUTOINCREMENT
// counters, then its indexes, views and triggers (after the rows, so that
// triggers do not fire on them), then its user_version. Virtual tables are
// refused (EINVALID): their contents live in shadow tables that a replay
// cannot recreate faithfully.
func (p *Provider) replay(ctx context.Context, path, ns string) error {
	dst, err := p.open(ns) // no foreign keys: rows arrive in table order
	if err != nil {
		return err
	}
	defer dst.Close()
	return ReplayFile(ctx, path, dst)
}

// querier reads a database: a *sql.DB or a *sql.Tx.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// execer writes a database: a *sql.DB or a *sql.Tx.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// copyDatabase copies the database src reads into dst, which is empty: its
// tables, their rows (as multi-row INSERTs with bound values, so no value
// is ever quoted into SQL), the AUTOINCREMENT counters, then its indexes,
// views and triggers (after the rows, so that triggers do not fire on
// them), then its user_version. Text is read as bytes and checked to be
// UTF-8. Replay (a local file into a namespace) and Snapshot (a namespace
// into a local file) both use it.
func copyDatabase(ctx context.Context, src querier, dst execer) error {
	objects, version, err := readSchema(ctx, src)
	if err != nil {
		return err
	}
	for _, o := range objects {
		if o.kind == "table" {
			if _, err := dst.ExecContext(ctx, o.sql); err != nil {
				return fmt.Errorf("sqld copy: create %s: %w", o.name, err)
			}
		}
	}
	for _, o := range objects {
		if o.kind == "table" {
			if err := copyRows(ctx, src, dst, o.name); err != nil {
				return err
			}
		}
	}
	if err := copySequences(ctx, src, dst); err != nil {
		return err
	}
	for _, o := range objects {
		if o.kind != "table" {
			if _, err := dst.ExecContext(ctx, o.sql); err != nil {
				return fmt.Errorf("sqld copy: create %s: %w", o.name, err)
			}
		}
	}
	// PRAGMA takes no bound parameters; version is an int.
	_, err = dst.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", version))
	return err
}

// openLocalReadOnly opens the local database file at path for reading.
func openLocalReadOnly(path string) (*sql.DB, error) {
	c, err := store.OpenConnector(localDSN(path) + "?mode=ro")
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	return db, nil
}

// localDSN returns the DSN of the local database file at path.
func localDSN(path string) string {
	return "file:" + (&url.URL{Path: filepath.ToSlash(path)}).EscapedPath()
}

// readSchema returns the schema objects of db in creation order, without
// SQLite's own, and its user_version.
func readSchema(ctx context.Context, db querier) ([]schemaObject, int, error) {
	// Read as bytes: text that is not UTF-8 would abort the process.
	rows, err := db.QueryContext(ctx, `SELECT CAST(type AS BLOB), CAST(name AS BLOB), CAST(sql AS BLOB) FROM sqlite_schema
		WHERE sql IS NOT NULL AND name NOT LIKE 'sqlite\_%' ESCAPE '\' ORDER BY rowid`)
	if err != nil {
		return nil, 0, fmt.Errorf("sqld copy: read schema: %w", err)
	}
	defer rows.Close()
	var objects []schemaObject
	for rows.Next() {
		var kind, name, text []byte
		if err := rows.Scan(&kind, &name, &text); err != nil {
			return nil, 0, err
		}
		if !utf8.Valid(kind) || !utf8.Valid(name) || !utf8.Valid(text) {
			return nil, 0, app.Errorf(app.EINVALID, "This database's schema has text that is not UTF-8.")
		}
		o := schemaObject{kind: string(kind), name: string(name), sql: string(text)}
		if o.kind == "table" && strings.HasPrefix(strings.ToUpper(strings.Join(strings.Fields(o.sql), " ")), "CREATE VIRTUAL") {
			return nil, 0, app.Errorf(app.EINVALID, "This database has a virtual table (%s), which cannot be copied to a libSQL server yet.", o.name)
		}
		objects = append(objects, o)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	var version int
	if err := db.QueryRowContext(ctx, "SELECT user_version FROM pragma_user_version").Scan(&version); err != nil {
		return nil, 0, err
	}
	return objects, version, nil
}

// copyRows copies the rows of table from src into tx, a batch of rows per
// INSERT.
func copyRows(ctx context.Context, src querier, tx execer, table string) error {
	cols, err := columnsOf(ctx, src, table)
	if err != nil {
		return err
	}
	if len(cols) == 0 {
		return nil
	}
	quoted := make([]string, len(cols))
	for i, c := range cols {
		quoted[i] = quoteIdent(c)
	}
	list := strings.Join(quoted, ", ")
	// Each value is read with its type, text as bytes: text that is not
	// UTF-8 would abort the process.
	selected := make([]string, 0, 2*len(cols))
	for _, q := range quoted {
		selected = append(selected, "typeof("+q+")", "CASE WHEN typeof("+q+") = 'text' THEN CAST("+q+" AS BLOB) ELSE "+q+" END")
	}
	rows, err := src.QueryContext(ctx, "SELECT "+strings.Join(selected, ", ")+" FROM "+quoteIdent(table))
	if err != nil {
		return fmt.Errorf("sqld copy: read %s: %w", table, err)
	}
	defer rows.Close()
	perInsert := max(1, min(replayRows, replayValues/len(cols)))
	tuple := "(" + strings.TrimSuffix(strings.Repeat("?, ", len(cols)), ", ") + ")"
	var batch []any
	flush := func() error {
		if len(batch) == 0 {
			return nil
		}
		n := len(batch) / len(cols)
		q := "INSERT INTO " + quoteIdent(table) + " (" + list + ") VALUES " + strings.TrimSuffix(strings.Repeat(tuple+", ", n), ", ")
		if _, err := tx.ExecContext(ctx, q, batch...); err != nil {
			return fmt.Errorf("sqld copy: copy rows of %s: %w", table, err)
		}
		batch = batch[:0]
		return nil
	}
	for rows.Next() {
		vals := make([]any, 2*len(cols))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		for i := 0; i < len(vals); i += 2 {
			v, err := storedValue(vals[i], vals[i+1])
			if err != nil {
				return fmt.Errorf("sqld copy: %s: %w", table, err)
			}
			batch = append(batch, v)
		}
		if len(batch)/len(cols) >= perInsert {
			if err := flush(); err != nil {
				return err
			}
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return flush()
}

// storedValue returns the value to bind for a value read as (typeof,
// value-with-text-as-bytes): text as a string once it is checked to be
// UTF-8, a blob as bytes, numbers and NULL as they are.
func storedValue(kind, v any) (any, error) {
	k, _ := kind.(string)
	switch k {
	case "text":
		b, _ := v.([]byte)
		if !utf8.Valid(b) {
			return nil, app.Errorf(app.EINVALID, "This database has text that is not UTF-8.")
		}
		return string(b), nil
	case "blob":
		b, _ := v.([]byte)
		if b == nil {
			b = []byte{} // an empty blob, not NULL
		}
		return b, nil
	}
	return v, nil
}

// columnsOf returns the stored columns of table (generated columns are
// left out: they are computed again).
func columnsOf(ctx context.Context, db querier, table string) ([]string, error) {
	rows, err := db.QueryContext(ctx, "SELECT name FROM pragma_table_xinfo(?) WHERE hidden = 0 ORDER BY cid", table)
	if err != nil {
		return nil, fmt.Errorf("sqld copy: columns of %s: %w", table, err)
	}
	defer rows.Close()
	var cols []string
	for rows.Next() {
		var c string
		if err := rows.Scan(&c); err != nil {
			return nil, err
		}
		cols = append(cols, c)
	}
	return cols, rows.Err()
}

// copySequences copies the AUTOINCREMENT counters (sqlite_sequence), so
// that ids of deleted rows are not reused.
func copySequences(ctx context.Context, src querier, tx execer) error {
	var n int
	err := src.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE name = 'sqlite_sequence'").Scan(&n)
	if err != nil || n == 0 {
		return err
	}
	rows, err := src.QueryContext(ctx, "SELECT name, seq FROM sqlite_sequence")
	if err != nil {
		return err
	}
	defer rows.Close()
	var errs []error
	for rows.Next() {
		var name string
		var seq int64
		if err := rows.Scan(&name, &seq); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, "DELETE FROM sqlite_sequence WHERE name = ?", name); err != nil {
			errs = append(errs, err)
		}
		if _, err := tx.ExecContext(ctx, "INSERT INTO sqlite_sequence (name, seq) VALUES (?, ?)", name, seq); err != nil {
			errs = append(errs, err)
		}
	}
	return errors.Join(append(errs, rows.Err())...)
}

// quoteIdent quotes an SQL identifier.
func quoteIdent(name string) string {
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}
