package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"todos/app"
)

// verifyCopy checks the copy of src at location, freshly adopted: it has
// the same tables as src with the same number of rows each, the same
// user_version (schema version), and PRAGMA integrity_check says "ok". It
// returns the row counts. A mismatch gives EINTERNAL with what differs.
func (s *Tenants) verifyCopy(ctx context.Context, src *sql.DB, location string) ([]app.TableRows, error) {
	dst, err := s.provider.Open(ctx, location)
	if err != nil {
		return nil, fmt.Errorf("open the copy: %w", err)
	}
	defer dst.Close()
	var check string
	if err := dst.QueryRowContext(ctx, "PRAGMA integrity_check").Scan(&check); err != nil {
		return nil, fmt.Errorf("check the copy: %w", err)
	}
	if check != "ok" {
		return nil, moveMismatch("integrity_check of the copy says %q", app.Clip(check, 200))
	}
	want, err := tableRows(ctx, src)
	if err != nil {
		return nil, fmt.Errorf("count the rows of the source: %w", err)
	}
	got, err := tableRows(ctx, dst)
	if err != nil {
		return nil, fmt.Errorf("count the rows of the copy: %w", err)
	}
	if !slices.Equal(want, got) {
		return nil, moveMismatch("the row counts differ: source %v, copy %v", want, got)
	}
	var vs, vd int
	if err := src.QueryRowContext(ctx, "SELECT user_version FROM pragma_user_version").Scan(&vs); err != nil {
		return nil, err
	}
	if err := dst.QueryRowContext(ctx, "SELECT user_version FROM pragma_user_version").Scan(&vd); err != nil {
		return nil, err
	}
	if vs != vd {
		return nil, moveMismatch("schema version %d in the source, %d in the copy", vs, vd)
	}
	return want, nil
}

// moveMismatch is the error of a copy that does not match its source.
func moveMismatch(format string, args ...any) error {
	return app.Errorf(app.EINTERNAL, "The copy does not match the list's database ("+format+"): nothing was moved.", args...)
}

// tableRows returns the row count of every table of db (SQLite's own
// sqlite_* tables aside), ordered by name.
func tableRows(ctx context.Context, db *sql.DB) ([]app.TableRows, error) {
	rows, err := db.QueryContext(ctx, "SELECT "+textCol("name")+
		" FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
	if err != nil {
		return nil, err
	}
	var names []string
	for rows.Next() {
		var b []byte
		if err := rows.Scan(&b); err != nil {
			rows.Close()
			return nil, err
		}
		if !utf8.Valid(b) {
			rows.Close()
			return nil, fmt.Errorf("a table name is not valid UTF-8")
		}
		names = append(names, string(b))
	}
	if err := rows.Close(); err != nil {
		return nil, err
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	counts := make([]app.TableRows, 0, len(names))
	for _, name := range names {
		var n int64
		q := `SELECT count(*) FROM "` + strings.ReplaceAll(name, `"`, `""`) + `"`
		if err := db.QueryRowContext(ctx, q).Scan(&n); err != nil {
			return nil, fmt.Errorf("count the rows of %s: %w", name, err)
		}
		counts = append(counts, app.TableRows{Table: name, Rows: n})
	}
	return counts, nil
}
