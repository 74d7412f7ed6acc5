package sqld

import (
	"context"
	"database/sql/driver"
	"errors"
	"io"
)

// rows is a result read through cn. go-libsql streams a result from the
// server (sqld's cursor), so each row read is bounded like every call, and
// Close reads the rest of the result before it frees it: sqld cancels a
// statement whose client stops reading its result, and SQLite rolls the
// whole transaction back when it interrupts a write. database/sql's
// QueryRow reads one row and closes, so an INSERT … RETURNING inside a
// transaction was undone behind the caller's back, and its COMMIT found
// no transaction. Reading to the end also returns an error the server
// reports after the rows already read (Row.Scan returns Close's error).
type rows struct {
	cn    *conn
	inner driver.Rows
	ended bool // inner gave its end (io.EOF) or an error
	// abandoned: a read was given up at its deadline and may still run;
	// inner is freed when it returns, never here.
	abandoned bool
}

// Columns returns the column names.
func (r *rows) Columns() []string { return r.inner.Columns() }

// Next reads the next row into dest.
func (r *rows) Next(dest []driver.Value) error {
	if r.abandoned {
		return driver.ErrBadConn
	}
	if r.ended {
		return io.EOF
	}
	// A read given up may still write its row: it gets a slice of its own.
	row := make([]driver.Value, len(dest))
	err := r.read(func() error { return r.inner.Next(row) })
	if err != nil {
		return err
	}
	copy(dest, row)
	return nil
}

// Close reads what is left of the result, in one bounded call, and frees
// it.
func (r *rows) Close() error {
	if r.abandoned {
		return nil
	}
	var err error
	if !r.ended {
		row := make([]driver.Value, len(r.inner.Columns()))
		err = r.read(func() error {
			for {
				if err := r.inner.Next(row); err != nil {
					return err
				}
			}
		})
		if errors.Is(err, io.EOF) {
			err = nil
		}
		if r.abandoned {
			return err
		}
	}
	r.free()
	return err
}

// free frees inner, at once or, when a call given up on cn may still run
// (cn is broken), once that call ends, as closeInner does.
func (r *rows) free() {
	cn, inner := r.cn, r.inner
	if !cn.broken {
		_ = inner.Close()
		return
	}
	cn.c.native.Add(1)
	go func() {
		defer cn.c.native.Done()
		cn.calls.Wait()
		_ = inner.Close()
	}()
}

// read runs f, a read of inner, through cn.bounded and notes how it ended.
func (r *rows) read(f func() error) error {
	wasBroken := r.cn.broken
	err := r.cn.bounded(context.Background(), func(driver.Conn) error { return f() },
		func() { _ = r.inner.Close() })
	if !wasBroken && r.cn.broken {
		r.abandoned = true // bounded gave up on f: the abandon func frees inner
	}
	if err == nil {
		return nil
	}
	r.ended = true
	if errors.Is(err, io.EOF) {
		return io.EOF
	}
	return r.cn.c.translate(err)
}
