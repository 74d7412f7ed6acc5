package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"unicode/utf8"
)

// A tenant's database must hold only values this program can read (see
// text.go): text that is valid UTF-8 everywhere, names included, and in the
// tables the program reads, each column's declared type. The import check
// refuses a file that breaks these rules, and the console's write mode
// rolls back a statement that would.

// Querier runs queries: a *sql.DB, *sql.Tx or *sql.Conn.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// appTables are the tables of the tenant schema (schema.sql) whose columns
// CheckValues holds to their declared types. A test keeps the list in line
// with schema.sql.
var appTables = []string{"deleted_todos", "idempotency_keys", "password_resets", "sessions", "todo_stats", "todos", "users"}

// storedClass maps a declared column type to the storage class (typeof)
// that the app tables keep in it. Columns of other types may hold any.
var storedClass = map[string]string{"INTEGER": "integer", "TEXT": "text", "BLOB": "blob", "REAL": "real"}

// classNames names storage classes in messages.
var classNames = map[string]string{"integer": "an integer", "real": "a real number", "text": "text", "blob": "a BLOB", "null": "NULL"}

// ValueError is a stored value that breaks the rules of CheckValues.
type ValueError struct {
	Table  string
	Column string // "" for a problem with the table's name
	Row    string // the row's rowid, "" when the table has none
	// Problem says what is wrong: "text that is not valid UTF-8", or
	// "text where TODOs keeps an integer".
	Problem string
}

// Error implements error: `table "todos", column "title", row 3: text that
// is not valid UTF-8`. Names are quoted as Go strings, so invalid bytes in
// them are escaped.
func (e *ValueError) Error() string {
	where := fmt.Sprintf("table %q", e.Table)
	if e.Column != "" {
		where += fmt.Sprintf(", column %q", e.Column)
	}
	if e.Row != "" {
		where += ", row " + e.Row
	}
	return where + ": " + e.Problem
}

// CheckValues checks every value of the tenant database q reads (on one
// connection, so inside a transaction it sees the transaction's changes):
// all text, in every table and in the schema's names and definitions, is
// valid UTF-8, and every column of the app tables holds its declared type
// (NULL only where the column allows it). The first violation is returned
// as a *ValueError. It reads every row: its cost grows with the database.
func CheckValues(ctx context.Context, q Querier) error {
	return checkValues(ctx, q, setOfNames(appTables))
}

// checkValues is CheckValues with the tables whose columns are typed.
func checkValues(ctx context.Context, q Querier, typed map[string]bool) error {
	// The schema first: the other tables' names and columns are read from
	// it and used in queries, which go-libsql refuses unless valid UTF-8.
	schema := storedTable{name: "sqlite_schema", rowid: true}
	if err := checkTableValues(ctx, q, schema, false); err != nil {
		return err
	}
	tables, err := storedTables(ctx, q)
	if err != nil {
		return err
	}
	for _, t := range tables {
		if err := checkTableValues(ctx, q, t, typed[t.name]); err != nil {
			return err
		}
	}
	return nil
}

// storedTable is a table that holds values of its own.
type storedTable struct {
	name  string
	rowid bool
}

// storedTables lists the ordinary tables of q's main database, SQLite's own
// and shadow tables included, not the schema table nor virtual tables (the
// shadow tables hold their data).
func storedTables(ctx context.Context, q Querier) ([]storedTable, error) {
	rows, err := q.QueryContext(ctx, `SELECT CAST(name AS BLOB), wr FROM pragma_table_list
		WHERE schema = 'main' AND type IN ('table', 'shadow') AND name <> 'sqlite_schema' ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var tables []storedTable
	for rows.Next() {
		var name []byte
		var withoutRowid bool
		if err := rows.Scan(&name, &withoutRowid); err != nil {
			return nil, err
		}
		if !utf8.Valid(name) { // cannot happen once the schema passed
			return nil, &ValueError{Table: string(name), Problem: "a name that is not valid UTF-8"}
		}
		tables = append(tables, storedTable{name: string(name), rowid: !withoutRowid})
	}
	return tables, rows.Err()
}

// storedColumn is a column of a storedTable.
type storedColumn struct {
	name    string
	class   string // the storage class its declared type requires, "" for any
	notNull bool
}

// storedColumns returns the columns of table, generated ones included.
func storedColumns(ctx context.Context, q Querier, table string) ([]storedColumn, error) {
	rows, err := q.QueryContext(ctx, `SELECT CAST(name AS BLOB), CAST(type AS BLOB), "notnull", pk
		FROM pragma_table_xinfo(?) WHERE hidden <> 1 ORDER BY cid`, table)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var cols []storedColumn
	for rows.Next() {
		var name, typ []byte
		var notNull bool
		var pk int
		if err := rows.Scan(&name, &typ, &notNull, &pk); err != nil {
			return nil, err
		}
		cols = append(cols, storedColumn{name: string(name), class: storedClass[strings.ToUpper(string(typ))], notNull: notNull || pk > 0})
	}
	return cols, rows.Err()
}

// checkTableValues reads every row of t and checks its values; typed holds
// its columns to their declared types.
func checkTableValues(ctx context.Context, q Querier, t storedTable, typed bool) error {
	cols, err := storedColumns(ctx, q, t.name)
	if err != nil {
		return fmt.Errorf("read the columns of %q: %w", t.name, err)
	}
	if len(cols) == 0 {
		return nil
	}
	// Per column: its storage class and, for text, its bytes.
	var sel []string
	if t.rowid {
		sel = append(sel, textCol("rowid"))
	}
	for _, c := range cols {
		id := quoteIdent(c.name)
		sel = append(sel, "typeof("+id+")", "CASE WHEN typeof("+id+") = 'text' THEN "+textCol(id)+" END")
	}
	rows, err := q.QueryContext(ctx, "SELECT "+strings.Join(sel, ", ")+" FROM main."+quoteIdent(t.name))
	if err != nil {
		return fmt.Errorf("read the values of %q: %w", t.name, err)
	}
	defer rows.Close()
	var rowid []byte
	classes := make([]string, len(cols))
	texts := make([][]byte, len(cols))
	dest := make([]any, 0, 2*len(cols)+1)
	if t.rowid {
		dest = append(dest, &rowid)
	}
	for i := range cols {
		dest = append(dest, &classes[i], &texts[i])
	}
	for rows.Next() {
		if err := rows.Scan(dest...); err != nil {
			return fmt.Errorf("read the values of %q: %w", t.name, err)
		}
		for i, c := range cols {
			if problem := valueProblem(c, classes[i], texts[i], typed); problem != "" {
				return &ValueError{Table: t.name, Column: c.name, Row: validText(rowid), Problem: problem}
			}
		}
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("read the values of %q: %w", t.name, err)
	}
	return nil
}

// valueProblem says what is wrong with a value of column c, of storage
// class class and, for text, bytes text; "" when nothing is.
func valueProblem(c storedColumn, class string, text []byte, typed bool) string {
	switch {
	case class == "text" && !utf8.Valid(text):
		return "text that is not valid UTF-8"
	case !typed || c.class == "" || class == c.class || class == "null" && !c.notNull:
		return ""
	}
	return classNames[class] + " where TODOs keeps " + classNames[c.class]
}

// quoteIdent quotes name as an SQL identifier.
func quoteIdent(name string) string { return `"` + strings.ReplaceAll(name, `"`, `""`) + `"` }

// setOfNames returns the set of names.
func setOfNames(names []string) map[string]bool {
	set := make(map[string]bool, len(names))
	for _, n := range names {
		set[n] = true
	}
	return set
}
