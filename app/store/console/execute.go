package console

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"strings"
	"time"

	"todos/app"
)

// execute runs one console request against its database, in this process.
// It is the body of the child process.
func execute(ctx context.Context, req childRequest) (*app.ConsoleResult, error) {
	stmt, err := parseStatement(req.SQL)
	if err != nil {
		return nil, err
	}
	inner, isExplain := stmt.explained()
	if len(inner.toks) == 0 {
		return nil, app.Errorf(app.EINVALID, "EXPLAIN needs a statement to explain.")
	}
	if err := checkPragma(inner, req.Write); err != nil {
		return nil, err
	}
	var db *sql.DB
	if req.Remote != nil {
		db, err = openRemote(req)
	} else {
		if fi, err := os.Stat(req.Path); err != nil || !fi.Mode().IsRegular() {
			return nil, app.WrapError(app.ENOTFOUND, "The tenant's database file was not found.", err)
		}
		db, err = openDB(dsn(req.Path, req.Write))
	}
	if err != nil {
		return nil, app.WrapError(app.EINTERNAL, "The tenant's database could not be opened.", err)
	}
	defer db.Close()
	conn, err := db.Conn(ctx)
	if err != nil {
		return nil, openError(err)
	}
	defer conn.Close()

	s := &session{ctx: ctx, conn: conn, req: req}
	s.check = checker{write: req.Write, vtabs: &vtabProbe{ctx: ctx, conn: conn}}
	if req.Remote != nil {
		err = s.setupRemote()
	} else {
		err = s.setup()
	}
	if err != nil {
		return nil, err
	}
	// Everything (checks, probes, the statement) runs in one transaction on
	// one snapshot of the database, so that the schema the checks saw is
	// the schema the statement runs against. Write mode takes the write
	// lock up front; read-only mode starts its snapshot with a first read.
	begin := []string{"BEGIN", "SELECT 1 FROM sqlite_schema LIMIT 1"}
	if req.Write {
		begin = []string{"BEGIN IMMEDIATE"}
	}
	for _, q := range begin {
		if err := drain(ctx, conn, q); err != nil {
			return nil, err
		}
	}
	res, err := s.run(stmt, inner, isExplain)
	if err != nil {
		_ = drain(ctx, conn, "ROLLBACK")
		return nil, err
	} else if !req.Write {
		_ = drain(ctx, conn, "ROLLBACK") // ends the read snapshot
		return res, nil
	}
	if err := drain(ctx, conn, "COMMIT"); err != nil {
		_ = drain(ctx, conn, "ROLLBACK")
		return nil, err
	}
	return res, nil
}

// driverName is the database/sql name of the go-libsql driver.
const driverName = "libsql"

// session runs one request's statements on one connection.
type session struct {
	ctx   context.Context
	conn  *sql.Conn
	req   childRequest
	check checker
}

// setup configures the connection. trusted_schema=OFF keeps views and
// triggers of the tenant's schema from calling functions that are not
// marked harmless; busy_timeout waits for the tenant's own writes for half
// the time limit, so that a long wait ends in a plain "database is locked".
func (s *session) setup() error {
	setup := []string{
		"PRAGMA trusted_schema=OFF",
		fmt.Sprintf("PRAGMA busy_timeout=%d", s.req.Timeout.Milliseconds()/2),
	}
	if s.req.Write {
		setup = append(setup, "PRAGMA foreign_keys=ON") // as the app's own connections
	}
	for _, q := range setup {
		if err := drain(s.ctx, s.conn, q); err != nil {
			return app.WrapError(app.EINTERNAL, "The tenant's database could not be opened.", err)
		}
	}
	return nil
}

// run checks and runs stmt. For EXPLAIN statements, inner is the statement
// explained: it is checked, and the EXPLAIN is run.
func (s *session) run(stmt, inner statement, isExplain bool) (*app.ConsoleResult, error) {
	listing, err := explain(s.ctx, s.conn, inner.text)
	if err != nil {
		return nil, err
	}
	if err := s.check.check(listing); err != nil {
		return nil, err
	}
	start := time.Now()
	var res *app.ConsoleResult
	switch {
	case isExplain:
		res, err = s.query(stmt.text)
	case stmt.isQuery() && resultColumns(listing) > 0:
		res, err = s.queryExact(stmt.text, resultColumns(listing))
		if errors.Is(err, errNotWrappable) {
			res, err = s.query(stmt.text)
		}
	case resultColumns(listing) > 0 || !s.req.Write:
		res, err = s.query(stmt.text)
	default:
		res, err = s.exec(stmt.text)
	}
	if err != nil {
		return nil, err
	}
	if s.req.Write && !isExplain && writes(listing) {
		if res.Columns != nil {
			if res.RowsAffected, err = s.changes(); err != nil {
				return nil, err
			}
		}
		if err := s.checkStored(); err != nil {
			return nil, err
		}
	}
	res.Duration = time.Since(start)
	return res, nil
}

// errNotWrappable: the statement cannot be read through a wrapping SELECT.
var errNotWrappable = errors.New("console: statement cannot be wrapped")

// cteName names the wrapping CTE; it only needs to differ from the
// tenant's table names.
const cteName = "console_result_7f3a9c"

// queryExact runs a SELECT, VALUES or WITH statement of n columns through
// a wrapping query that reads every value as CAST(quote(x) AS BLOB), so that
// text comes back exactly as stored (see fromQuoted). Column names come
// from "SELECT * FROM (stmt) LIMIT 0", which SQLite answers without running
// stmt; names it had to make unique ("id:1") are read from stmt itself.
func (s *session) queryExact(text string, n int) (*app.ConsoleResult, error) {
	namesSQL := "SELECT * FROM (\n" + text + "\n) LIMIT 0"
	cols := make([]string, n)
	quoted := make([]string, n)
	for i := range n {
		cols[i] = fmt.Sprintf("c%d", i+1)
		quoted[i] = fmt.Sprintf("CAST(quote(c%d) AS BLOB)", i+1)
	}
	valuesSQL := "WITH " + cteName + "(" + strings.Join(cols, ", ") + ") AS (\n" + text + "\n) SELECT " +
		strings.Join(quoted, ", ") + " FROM " + cteName
	for _, q := range []string{namesSQL, valuesSQL} {
		listing, err := explain(s.ctx, s.conn, q)
		if err != nil {
			return nil, errNotWrappable
		}
		if err := s.check.check(listing); err != nil {
			return nil, err
		}
	}
	names, err := s.columns(namesSQL)
	if err != nil {
		return nil, err
	}
	if len(names) != n {
		return nil, errNotWrappable
	}
	if strings.Contains(strings.Join(names, ""), ":") {
		if names, err = s.columns(text); err != nil {
			return nil, err
		}
	}
	rows, err := s.conn.QueryContext(s.ctx, valuesSQL)
	if err != nil {
		return nil, engineError(err)
	}
	defer rows.Close()
	raw := make([]sql.RawBytes, n)
	dest := make([]any, n)
	for i := range raw {
		dest[i] = &raw[i]
	}
	return s.collect(rows, names, dest, func(i int) (app.ConsoleValue, error) {
		v, err := fromQuoted(raw[i])
		if err != nil {
			return v, app.WrapError(app.EINTERNAL, "A value could not be read.", err)
		}
		return v, nil
	})
}

// columns returns the column names of query. go-libsql runs a query up to
// its first row when it is opened: callers pass statements that are cheap
// to start or that they would run anyway.
func (s *session) columns(query string) ([]string, error) {
	rows, err := s.conn.QueryContext(s.ctx, query)
	if err != nil {
		return nil, engineError(err)
	}
	defer rows.Close()
	return rows.Columns()
}

// query runs a statement as go-libsql returns it (see fromDriver).
func (s *session) query(text string) (*app.ConsoleResult, error) {
	rows, err := s.conn.QueryContext(s.ctx, text)
	if err != nil {
		return nil, engineError(err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return nil, engineError(err)
	}
	vals := make([]any, len(names))
	dest := make([]any, len(names))
	for i := range vals {
		dest[i] = &vals[i]
	}
	return s.collect(rows, names, dest, func(i int) (app.ConsoleValue, error) { return fromDriver(vals[i]), nil })
}

// collect reads rows into a capped result: each row is scanned into dest,
// then value(i) turns its column i into a cell.
func (s *session) collect(rows *sql.Rows, names []string, dest []any, value func(i int) (app.ConsoleValue, error)) (*app.ConsoleResult, error) {
	c := newCollector(names, s.req.MaxRows, s.req.MaxBytes)
	for rows.Next() {
		if c.full() {
			c.cut()
			break
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, engineError(err)
		}
		row := make([]app.ConsoleValue, len(dest))
		for i := range row {
			var err error
			if row[i], err = value(i); err != nil {
				return nil, err
			}
		}
		if !c.add(row) {
			break
		}
	}
	if err := rows.Err(); err != nil {
		return nil, engineError(err)
	}
	return c.res, nil
}

// exec runs a statement that returns no rows. On a remote session it runs
// as a query, its count read with changes(): go-libsql's remote Exec of a
// write right after an EXPLAIN of it ends the transaction begun with BEGIN
// (the write is committed on its own, and COMMIT then finds no
// transaction; measured with sqld 0.24.32), while a query does not.
func (s *session) exec(text string) (*app.ConsoleResult, error) {
	if s.req.Remote != nil {
		if err := drain(s.ctx, s.conn, text); err != nil {
			return nil, err
		}
		n, err := s.changes()
		if err != nil {
			return nil, err
		}
		return &app.ConsoleResult{RowsAffected: n}, nil
	}
	r, err := s.conn.ExecContext(s.ctx, text)
	if err != nil {
		return nil, engineError(err)
	}
	n, _ := r.RowsAffected()
	return &app.ConsoleResult{RowsAffected: n}, nil
}

// changes returns how many rows the last statement changed.
func (s *session) changes() (int64, error) {
	var n int64
	if err := s.conn.QueryRowContext(s.ctx, "SELECT changes()").Scan(&n); err != nil {
		return 0, engineError(err)
	}
	return n, nil
}
