package console

import (
	"strings"

	"todos/app"
)

// SQLite carries out most pragmas while it compiles them: "EXPLAIN PRAGMA
// temp_store_directory='/x'" already probes the filesystem and changes a
// process-wide setting, and sqlite3mc's "PRAGMA rekey" rewrites the file.
// So pragmas are screened as text, before anything is compiled, against the
// allowlists below. Everything else is refused.

// pragmaRule says how a pragma may be used.
type pragmaRule int

const (
	pragmaRead  pragmaRule = iota + 1 // only without a value: reads a setting
	pragmaArg                         // with or without an argument, reads only
	pragmaWrite                       // reads without a value; sets one in write mode
)

// pragmas lists the pragmas the console allows. The argument of pragmaArg
// pragmas names a table or index, or is a row limit (integrity_check).
var pragmas = map[string]pragmaRule{
	"application_id":    pragmaWrite,
	"collation_list":    pragmaRead,
	"compile_options":   pragmaRead,
	"data_version":      pragmaRead,
	"encoding":          pragmaRead,
	"foreign_key_check": pragmaArg,
	"foreign_key_list":  pragmaArg,
	"foreign_keys":      pragmaRead,
	"freelist_count":    pragmaRead,
	"function_list":     pragmaRead,
	"index_info":        pragmaArg,
	"index_list":        pragmaArg,
	"index_xinfo":       pragmaArg,
	"integrity_check":   pragmaArg,
	"module_list":       pragmaRead,
	"page_count":        pragmaRead,
	"page_size":         pragmaRead,
	"pragma_list":       pragmaRead,
	"quick_check":       pragmaArg,
	"schema_version":    pragmaRead,
	"table_info":        pragmaArg,
	"table_list":        pragmaArg,
	"table_xinfo":       pragmaArg,
	"user_version":      pragmaRead, // the schema version: migrations own it
}

// checkPragma refuses s if it is a PRAGMA statement the console does not
// allow in this mode. Other statements pass.
func checkPragma(s statement, write bool) error {
	if s.word(0) != "PRAGMA" {
		return nil
	}
	if len(s.toks) < 2 || s.toks[1].kind != tokWord && s.toks[1].kind != tokQuoted && s.toks[1].kind != tokString {
		return app.Errorf(app.EINVALID, "Name the pragma to run.")
	}
	name, rest := unquote(s.tok(1)), 2
	if len(s.toks) > 3 && s.tok(2) == "." {
		schema := strings.ToLower(unquote(name))
		if schema != "main" && schema != "temp" {
			return app.Errorf(app.EFORBIDDEN, "Only the tenant's own database can be used.")
		}
		name, rest = unquote(s.tok(3)), 4
	}
	name = strings.ToLower(name)
	hasValue := len(s.toks) > rest
	rule := pragmas[name]
	switch {
	case rule == 0:
		return app.Errorf(app.EFORBIDDEN, "PRAGMA %s is not allowed in the console.", name)
	case !hasValue, rule == pragmaArg:
		return nil
	case rule == pragmaWrite && write:
		return nil
	case rule == pragmaWrite:
		return app.Errorf(app.EFORBIDDEN, "Read-only mode: PRAGMA %s can only be read.", name)
	}
	return app.Errorf(app.EFORBIDDEN, "PRAGMA %s can only be read in the console.", name)
}
