package console

import (
	"context"
	"database/sql"
	"strings"
)

// A VOpen instruction names its virtual table only by address
// ("vtab:7F3A10"). Eponymous tables (json_each, fsdir...) are created once
// per connection, and a schema's virtual tables keep their object while the
// schema is loaded, so compiling a probe query on the same connection gives
// the address of each table: vtabProbe maps addresses to names that way.

// eponymousVtabs are the table-valued functions the probe knows, with a
// query that opens each and whether the console allows reading it.
var eponymousVtabs = []struct {
	name, query string
	allowed     bool
}{
	{"json_each", "SELECT * FROM json_each('[]')", true},
	{"json_tree", "SELECT * FROM json_tree('[]')", true},
	{"generate_series", "SELECT * FROM generate_series(1, 1)", true},
	{"pragma_table_info", "SELECT * FROM pragma_table_info('x')", true},
	{"pragma_table_xinfo", "SELECT * FROM pragma_table_xinfo('x')", true},
	{"pragma_table_list", "SELECT * FROM pragma_table_list", true},
	{"pragma_index_list", "SELECT * FROM pragma_index_list('x')", true},
	{"pragma_index_info", "SELECT * FROM pragma_index_info('x')", true},
	{"pragma_index_xinfo", "SELECT * FROM pragma_index_xinfo('x')", true},
	{"pragma_foreign_key_list", "SELECT * FROM pragma_foreign_key_list('x')", true},
	{"pragma_function_list", "SELECT * FROM pragma_function_list", true},
	{"pragma_module_list", "SELECT * FROM pragma_module_list", true},
	{"pragma_pragma_list", "SELECT * FROM pragma_pragma_list", true},
	{"pragma_collation_list", "SELECT * FROM pragma_collation_list", true},
	{"pragma_compile_options", "SELECT * FROM pragma_compile_options", true},
	// The checks as tables read their findings through quote(): they quote
	// names, which go-libsql cannot read when they are not UTF-8.
	{"pragma_integrity_check", "SELECT * FROM pragma_integrity_check", true},
	{"pragma_quick_check", "SELECT * FROM pragma_quick_check", true},
	// Named only to explain refusals.
	{"fsdir", "SELECT * FROM fsdir('.')", false},
	{"sqlite_dbpage", "SELECT * FROM sqlite_dbpage", false},
	{"sqlite_stmt", "SELECT * FROM sqlite_stmt", false},
	{"dbstat", "SELECT * FROM dbstat", false},
	{"carray", "SELECT * FROM carray", false},
	{"pragma_database_list", "SELECT * FROM pragma_database_list", false},
	{"pragma_optimize", "SELECT * FROM pragma_optimize", false},
	{"pragma_journal_mode", "SELECT * FROM pragma_journal_mode", false},
}

// safeModules are the modules whose virtual tables, when a tenant's schema
// declares them, hold data the console may read.
var safeModules = setOf("fts3", "fts4", "fts4aux", "fts5", "fts5vocab", "rtree", "rtree_i32", "geopoly")

// vtabProbe resolves VOpen addresses on one connection, probing on first use.
type vtabProbe struct {
	ctx   context.Context
	conn  *sql.Conn
	known map[string]vtabEntry
}

// vtabEntry is what the probe knows about one virtual table.
type vtabEntry struct {
	name    string
	allowed bool
}

// vtab implements vtabNamer.
func (p *vtabProbe) vtab(p4 string) (string, bool) {
	if p.known == nil {
		p.load()
	}
	e := p.known[p4]
	return e.name, e.allowed
}

// load probes the eponymous tables and the schema's virtual tables.
func (p *vtabProbe) load() {
	p.known = map[string]vtabEntry{}
	for _, v := range eponymousVtabs {
		p.probe(v.name, v.query, v.allowed)
	}
	rows, err := p.conn.QueryContext(p.ctx, `SELECT CAST(name AS BLOB), CAST(sql AS BLOB) FROM sqlite_schema
		WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%'`)
	if err != nil {
		return // nothing is known: every VOpen is refused
	}
	type table struct{ name, module string }
	var tables []table
	for rows.Next() {
		var name, def []byte
		if rows.Scan(&name, &def) == nil {
			tables = append(tables, table{string(name), moduleOf(string(def))})
		}
	}
	_ = rows.Close()
	for _, t := range tables {
		p.probe(t.name, `SELECT * FROM main."`+strings.ReplaceAll(t.name, `"`, `""`)+`"`, safeModules[t.module])
	}
}

// probe compiles query and records the virtual tables it opens as name.
func (p *vtabProbe) probe(name, query string, allowed bool) {
	listing, err := explain(p.ctx, p.conn, query)
	if err != nil {
		return
	}
	for _, o := range listing {
		if o.Opcode == "VOpen" {
			p.known[o.P4] = vtabEntry{name: name, allowed: allowed}
		}
	}
}

// moduleOf returns the lower-cased module name of a CREATE VIRTUAL TABLE
// statement, "" when there is none.
func moduleOf(def string) string {
	s := statement{text: def}
	for _, t := range tokenize(def) {
		if t.kind != tokSpace && t.kind != tokComment {
			s.toks = append(s.toks, t)
		}
	}
	for i := range s.toks {
		if s.word(i) == "USING" && i+1 < len(s.toks) {
			return strings.ToLower(unquote(s.tok(i + 1)))
		}
	}
	return ""
}
