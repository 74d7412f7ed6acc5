package store

import (
	"fmt"
	"strings"
	"time"
)

// Two go-libsql traps decide how the storage layer reads a tenant's
// database, whose values may come from an imported file or the console's
// write mode rather than from this program:
//
//   - any TEXT value that looks like a date ("2024-01-02") comes back as a
//     time.Time, which database/sql then formats back as
//     "2024-01-02T00:00:00Z";
//   - any TEXT value (or result column name) that is not valid UTF-8 aborts
//     the whole process with a Rust panic, not an error.
//
// So no query of a tenant's database returns a column as stored: text is
// selected as CAST(column AS BLOB) (textCol) and made valid UTF-8 in Go
// (textInto), integers are selected through typeof() (intCol, flagCol), so
// that a TEXT value in an INTEGER column reads as 0 instead of aborting.
//
// control.db needs only the first rule: it holds text this program bound
// from Go strings, and go-libsql refuses to bind a string that is not valid
// UTF-8 (an error, not an abort), so its text can be scanned as a string.

// textCol returns the select expression that reads column col unaltered,
// as bytes. Scan a tenant database's columns with textInto.
func textCol(col string) string { return "CAST(" + col + " AS BLOB)" }

// intCol returns the select expression that reads INTEGER column col as an
// integer whatever the row holds: a value of another type reads as 0.
func intCol(col string) string {
	return "CASE WHEN typeof(" + col + ") = 'integer' THEN " + col + " ELSE 0 END"
}

// flagCol returns the select expression that reads a 0/1 column col as 1
// when it holds the integer 1 and as 0 otherwise.
func flagCol(col string) string { return "(" + col + " IS 1)" }

// textInto returns a sql.Scanner that stores a column selected with textCol
// in *s as valid UTF-8: invalid bytes become U+FFFD and NULL becomes "".
func textInto(s *string) *safeText { return (*safeText)(s) }

// safeText is a string that scans from bytes, made valid UTF-8.
type safeText string

// Scan implements sql.Scanner.
func (t *safeText) Scan(v any) error {
	switch v := v.(type) {
	case nil:
		*t = ""
	case []byte:
		*t = safeText(validText(v))
	default:
		return fmt.Errorf("store: a text column selected as %T, not as bytes", v)
	}
	return nil
}

// validText returns b as a string with every invalid UTF-8 sequence
// replaced by U+FFFD.
func validText(b []byte) string { return strings.ToValidUTF8(string(b), "\uFFFD") }

// millis converts t to the INTEGER unix milliseconds stored in the databases.
func millis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis converts stored unix milliseconds to a UTC time.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// isUniqueViolation reports whether err is SQLite's UNIQUE (or PRIMARY KEY)
// constraint failure. go-libsql only exposes the message text.
func isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}
