package store

import (
	"strings"
	"time"
)

// go-libsql turns any TEXT value that looks like a date ("2024-01-02") into a
// time.Time, which database/sql then formats back as "2024-01-02T00:00:00Z".
// Text that users type (titles, names, emails) is therefore always selected
// as CAST(column AS BLOB), which the driver hands over byte for byte.

// textCol returns the select expression that reads column col unaltered.
func textCol(col string) string { return "CAST(" + col + " AS BLOB)" }

// millis converts t to the INTEGER unix milliseconds stored in the databases.
func millis(t time.Time) int64 { return t.UnixMilli() }

// fromMillis converts stored unix milliseconds to a UTC time.
func fromMillis(ms int64) time.Time { return time.UnixMilli(ms).UTC() }

// isUniqueViolation reports whether err is SQLite's UNIQUE (or PRIMARY KEY)
// constraint failure. go-libsql only exposes the message text.
func isUniqueViolation(err error) bool {
	return err != nil && strings.Contains(err.Error(), "UNIQUE constraint failed")
}
