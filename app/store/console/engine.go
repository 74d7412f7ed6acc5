package console

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"todos/app/store"

	_ "github.com/tursodatabase/go-libsql" // registers the "libsql" driver

	"todos/app"
)

// dsn returns the go-libsql data source name of the database file at path:
// read-only (mode=ro) or read-write without creating it (mode=rw).
func dsn(path string, write bool) string {
	mode := "ro"
	if write {
		mode = "rw"
	}
	return "file:" + escapePath(path) + "?mode=" + mode
}

// escapePath percent-encodes every byte of path that could end or change a
// file: URI ("?", "#", "%", spaces, non-ASCII...), keeping "/".
func escapePath(path string) string {
	var b strings.Builder
	for i := 0; i < len(path); i++ {
		c := path[i]
		if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' ||
			c == '/' || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
		} else {
			fmt.Fprintf(&b, "%%%02X", c)
		}
	}
	return b.String()
}

// openDB opens dsn with one connection, through the driver's Connector so
// that Close also closes the native database.
func openDB(dsn string) (*sql.DB, error) {
	connector, err := store.OpenConnector(dsn)
	if err != nil {
		return nil, err
	}
	db := sql.OpenDB(connector)
	db.SetMaxOpenConns(1)
	return db, nil
}

// explain compiles query with EXPLAIN and returns its instructions.
//
// go-libsql converts every column it reads, and aborts the process on TEXT
// that is not UTF-8, which P4 holds for blob literals (EXPLAIN SELECT
// x'ff'). So the listing is read at the driver level, where a row can be
// read partly: first the five columns that are numbers or opcode names,
// then, compiling again, P4 of the instructions that name a function or a
// virtual table only.
func explain(ctx context.Context, conn *sql.Conn, query string) ([]op, error) {
	var listing []op
	err := conn.Raw(func(dc any) error {
		q, ok := dc.(driver.QueryerContext)
		if !ok {
			return errors.New("console: libsql connection cannot run queries")
		}
		var err error
		listing, err = explainPass(ctx, q, query, nil)
		if err != nil || !slices.ContainsFunc(listing, needsP4) {
			return err
		}
		withP4, err := explainPass(ctx, q, query, listing)
		if err == nil && len(withP4) != len(listing) {
			err = errors.New("console: EXPLAIN listed different programs")
		}
		listing = withP4
		return err
	})
	if err != nil {
		if strings.Contains(err.Error(), "error reading a body from connection") {
			return nil, app.WrapError(app.EINVALID, explainCut, err)
		}
		return nil, engineError(err)
	}
	return listing, nil
}

// explainCut explains an EXPLAIN that a libSQL server ended half-way: it
// cannot send text that is not UTF-8 (a blob literal in P4), and with a
// read-only token it refuses most pragmas.
const explainCut = "The database server would not list this statement's program (EXPLAIN), which the console checks before running anything. " +
	"It cannot send a blob literal that is not valid UTF-8 (write x'ff' as unhex('ff')), and with the console's read-only token it refuses most PRAGMA statements " +
	"(read those as tables: SELECT * FROM pragma_table_info('todos'))."

// needsP4 reports whether the policy reads the P4 of o.
func needsP4(o op) bool {
	switch o.Opcode {
	case "Function", "PureFunc", "AggStep", "AggStep1", "AggInverse", "AggValue", "AggFinal", "VOpen":
		return true
	}
	return false
}

// explainPass reads one EXPLAIN listing. With first (the listing of an
// earlier pass) it also reads P4 where needsP4.
func explainPass(ctx context.Context, q driver.QueryerContext, query string, first []op) ([]op, error) {
	rows, err := q.QueryContext(ctx, "EXPLAIN "+query, nil)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if len(rows.Columns()) < 6 {
		return nil, errors.New("console: EXPLAIN returned too few columns")
	}
	var listing []op
	for i := 0; ; i++ {
		n := 5 // addr, opcode, p1, p2, p3
		if i < len(first) && needsP4(first[i]) {
			n = 6
		}
		dest := make([]driver.Value, n)
		if err := rows.Next(dest); errors.Is(err, io.EOF) {
			return listing, nil
		} else if err != nil {
			return nil, err
		}
		var o op
		var ok [5]bool
		o.Addr, ok[0] = dest[0].(int64)
		o.Opcode, ok[1] = dest[1].(string)
		o.P1, ok[2] = dest[2].(int64)
		o.P2, ok[3] = dest[3].(int64)
		o.P3, ok[4] = dest[4].(int64)
		if ok != [5]bool{true, true, true, true, true} {
			return nil, fmt.Errorf("console: unexpected EXPLAIN row %v", dest)
		}
		if n == 6 {
			o.P4, _ = dest[5].(string)
		}
		listing = append(listing, o)
	}
}

// drain runs query and reads its rows, for pragmas that may return one.
func drain(ctx context.Context, conn *sql.Conn, query string) error {
	rows, err := conn.QueryContext(ctx, query)
	if err != nil {
		return engineError(err)
	}
	for rows.Next() {
	}
	if err := rows.Err(); err != nil {
		return engineError(err)
	}
	return rows.Close()
}

// engineError turns a go-libsql error into an EINVALID error whose message
// is SQLite's own ("no such table: x"), without the driver's wrapping (which
// repeats the query).
func engineError(err error) error {
	if err == nil {
		return nil
	}
	var e *app.Error
	if errors.As(err, &e) {
		return err
	}
	msg := err.Error()
	switch {
	case strings.Contains(msg, "unsupported statement"): // sqld
		return app.WrapError(app.EINVALID, "The database server does not run this statement (it refuses PRAGMA statements that set a value).", err)
	case strings.Contains(msg, "error reading a body from connection"): // sqld ended the stream
		return app.WrapError(app.EINVALID, "The database server refused this statement or could not send its result. "+
			"With the console's read-only token it refuses anything it counts as a write, most PRAGMA statements included: "+
			"read those as tables (SELECT * FROM pragma_table_info('todos')).", err)
	}
	if i := strings.LastIndex(msg, "SQLite error: "); i >= 0 { // sqld: the engine's own message
		msg = strings.TrimRight(msg[i+len("SQLite error: "):], "` \n")
	} else if i := strings.Index(msg, "SQLite failure: `"); i >= 0 {
		msg = msg[i+len("SQLite failure: `"):]
		msg = strings.TrimSuffix(strings.TrimSpace(msg), "`")
	} else if i := strings.LastIndex(msg, "error code = "); i >= 0 {
		if j := strings.Index(msg[i:], ": "); j >= 0 {
			msg = msg[i+j+2:]
		}
	}
	return app.WrapError(app.EINVALID, clip(strings.TrimSpace(msg), 500), err)
}
