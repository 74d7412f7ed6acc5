package store

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"todos/app"
)

// column is what the import check compares of a table column.
type column struct {
	Type    string // declared type, upper case
	NotNull bool
	PK      int // position in the primary key, 0 if not in it
}

// dbSchema is what the import check compares of a database's schema.
type dbSchema struct {
	// kinds maps the name of every table, view and trigger (not indexes,
	// not SQLite's own) to "table", "virtual table", "view" or "trigger".
	kinds map[string]string
	// columns maps the name of each ordinary table read to its columns.
	columns map[string]map[string]column
	// sql maps the same names as kinds to their definitions (CREATE ...),
	// with runs of white space made one space.
	sql map[string]string
}

// referenceSchema returns the schema that ms create, applied to an empty
// in-memory database.
func referenceSchema(ctx context.Context, ms []Migration) (dbSchema, error) {
	db, err := openPlain(":memory:")
	if err != nil {
		return dbSchema{}, err
	}
	defer db.Close()
	if _, _, err := Migrate(ctx, db, ms); err != nil {
		return dbSchema{}, err
	}
	return readSchema(ctx, db, nil)
}

// readSchema reads db's schema, with the columns of the ordinary tables
// named in only (of all of them if only is nil).
func readSchema(ctx context.Context, db *sql.DB, only map[string]string) (dbSchema, error) {
	rows, err := db.QueryContext(ctx, `SELECT CAST(name AS BLOB),
		CASE WHEN type = 'table' AND sql LIKE 'CREATE VIRTUAL%' THEN 'virtual table' ELSE type END,
		CAST(sql AS BLOB)
		FROM sqlite_schema WHERE type IN ('table', 'view', 'trigger') AND name NOT LIKE 'sqlite^_%' ESCAPE '^'`)
	if err != nil {
		return dbSchema{}, err
	}
	s := dbSchema{kinds: map[string]string{}, columns: map[string]map[string]column{}, sql: map[string]string{}}
	for rows.Next() {
		var name, kind, def []byte
		if err := rows.Scan(&name, &kind, &def); err != nil {
			rows.Close()
			return dbSchema{}, err
		}
		s.kinds[string(name)] = string(kind)
		s.sql[string(name)] = strings.Join(strings.Fields(string(def)), " ")
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return dbSchema{}, err
	}
	for name, kind := range s.kinds {
		if _, wanted := only[name]; kind == "table" && (only == nil || wanted) {
			if s.columns[name], err = tableColumns(ctx, db, name); err != nil {
				return dbSchema{}, err
			}
		}
	}
	return s, nil
}

// tableColumns returns the columns of table in db.
func tableColumns(ctx context.Context, db *sql.DB, table string) (map[string]column, error) {
	rows, err := db.QueryContext(ctx, `SELECT CAST(name AS BLOB), CAST(type AS BLOB), "notnull", pk
		FROM pragma_table_info(?)`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols := map[string]column{}
	for rows.Next() {
		var name, typ string
		var c column
		if err := rows.Scan(&name, &typ, &c.NotNull, &c.PK); err != nil {
			return nil, err
		}
		c.Type = strings.ToUpper(typ)
		cols[name] = c
	}
	return cols, rows.Err()
}

// compareSchema checks that db has every table of want with exactly its
// columns, every table, view and trigger of want with its definition (white
// space aside), and no view, trigger or virtual table that want lacks: such
// objects would run or answer in place of TODOs' own. Other ordinary tables
// and indexes are allowed.
func compareSchema(ctx context.Context, db *sql.DB, want dbSchema) error {
	got, err := readSchema(ctx, db, want.kinds)
	if err != nil {
		return damaged("its schema cannot be read", err)
	}
	for _, table := range sortedKeys(want.columns) {
		if got.kinds[table] != "table" {
			return foreignSchema("it has no %q table", table)
		}
		for _, name := range sortedKeys(want.columns[table]) {
			g, ok := got.columns[table][name]
			switch w := want.columns[table][name]; {
			case !ok:
				return foreignSchema("table %q has no column %q", table, name)
			case g != w:
				return foreignSchema("column %q of table %q is not defined as TODOs defines it", name, table)
			}
		}
		for _, name := range sortedKeys(got.columns[table]) {
			if _, ok := want.columns[table][name]; !ok {
				return foreignSchema("table %q has an unknown column %q", table, clipText(name, 60))
			}
		}
	}
	for _, name := range sortedKeys(got.kinds) {
		if kind := got.kinds[name]; kind != "table" && want.kinds[name] != kind {
			return foreignSchema("it has a %s %q that TODOs does not define", kind, clipText(name, 60))
		}
	}
	// Same columns are not enough: a table without its CHECK constraints or
	// WITHOUT ROWID (whose ids need not be integers), or a trigger of the
	// right name doing something else, would hold or write values the app
	// cannot read.
	for _, name := range sortedKeys(want.kinds) {
		switch kind := want.kinds[name]; {
		case got.kinds[name] != kind:
			return foreignSchema("it has no %s %q", kind, name)
		case got.sql[name] != want.sql[name]:
			return foreignSchema("its %s %q is not defined as TODOs defines it", kind, name)
		}
	}
	return nil
}

// foreignSchema is the refusal of a database whose tables are not TODOs'.
func foreignSchema(format string, args ...any) error {
	return app.Errorf(app.EINVALID, "This is not a TODOs database: %s.", fmt.Sprintf(format, args...))
}

// sortedKeys returns the keys of m in order, for stable messages.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
