package app

import (
	"fmt"
	"strings"
)

// TableRows is the number of rows of one table of a tenant's database.
type TableRows struct {
	Table string
	Rows  int64
}

// TenantMove is what moving a tenant to another region did.
type TenantMove struct {
	Tenant *Tenant // the tenant as recorded after the move; nil when it failed
	From   string  // the region it left
	To     string  // the region it lives in now
	// Tables lists the row count of every table, the same in the source and
	// in the copy (the move checks it), ordered by table name.
	Tables []TableRows
	// Leftover is the location of the old database when it could not be
	// removed after the switch (the move succeeded; remove it by hand), or
	// "".
	Leftover string
}

// Rows returns the number of rows copied, every table included.
func (m TenantMove) Rows() int64 {
	var n int64
	for _, t := range m.Tables {
		n += t.Rows
	}
	return n
}

// Detail describes the move for the audit log: "from ams to iad: 57 rows
// in 4 tables (sessions 2, todos 50, ...)".
func (m TenantMove) Detail() string {
	d := fmt.Sprintf("from %s to %s", m.From, m.To)
	if len(m.Tables) == 0 {
		return d
	}
	parts := make([]string, len(m.Tables))
	for i, t := range m.Tables {
		parts[i] = fmt.Sprintf("%s %d", t.Table, t.Rows)
	}
	return fmt.Sprintf("%s: %d rows in %d tables (%s)", d, m.Rows(), len(m.Tables), strings.Join(parts, ", "))
}
