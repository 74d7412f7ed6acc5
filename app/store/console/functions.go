package console

// The SQL functions of the engine bundled with go-libsql (SQLite 3.45.1 with
// libSQL and SQLite3 Multiple Ciphers extensions), as listed by
// "SELECT DISTINCT name FROM pragma_function_list". TestFunctionInventory
// fails when the engine's list and allowedFunctions ∪ deniedFunctions
// differ, so an engine upgrade cannot add a function unreviewed.

// deniedFunctions are the engine's functions the console refuses in both
// modes, with the reason shown to the admin.
var deniedFunctions = map[string]string{
	"readfile":               "It reads files on the server.",
	"writefile":              "It writes files on the server.",
	"lsmode":                 "It belongs to the file-access extension.",
	"load_extension":         "It loads code into the server.",
	"fts3_tokenizer":         "It can register native code as a tokenizer.",
	"sha3_query":             "It runs SQL text that the console cannot check.",
	"sqlite3mc_config":       "It changes the encryption settings of the server.",
	"sqlite3mc_config_table": "It reads the encryption settings of the server.",
	"sqlite3mc_codec_data":   "It reads encryption key material.",
	"sqlite_log":             "It writes to the server's log.",
	"optimize":               "It rewrites full-text indexes.",
	"fts5":                   "It hands out an internal pointer.",
	"geopoly_debug":          "It is a debugging function.",
	"rtreecheck":             "It runs SQL text that the console cannot check.",
}

// allowedFunctions are the engine's other functions: they compute values
// from their arguments or from the database being read.
var allowedFunctions = setOf(
	"->", "->>", "abs", "acos", "acosh", "asin", "asinh", "atan", "atan2",
	"atanh", "atn2", "avg", "bm25", "ceil", "ceiling", "changes", "char",
	"charindex", "coalesce", "concat", "concat_ws", "cos", "cosh", "cot",
	"coth", "count", "cume_dist", "current_date", "current_time",
	"current_timestamp", "date", "datetime", "degrees", "dense_rank",
	"difference", "exp", "first_value", "floor", "format", "fts5_source_id",
	"geopoly_area", "geopoly_bbox", "geopoly_blob", "geopoly_ccw",
	"geopoly_contains_point", "geopoly_group_bbox", "geopoly_json",
	"geopoly_overlap", "geopoly_regular", "geopoly_svg", "geopoly_within",
	"geopoly_xform", "glob", "group_concat", "hex", "highlight", "ifnull",
	"iif", "instr", "json", "json_array", "json_array_length",
	"json_error_position", "json_extract", "json_group_array",
	"json_group_object", "json_insert", "json_object", "json_patch",
	"json_quote", "json_remove", "json_replace", "json_set", "json_type",
	"json_valid", "jsonb", "jsonb_array", "jsonb_extract",
	"jsonb_group_array", "jsonb_group_object", "jsonb_insert",
	"jsonb_object", "jsonb_patch", "jsonb_remove", "jsonb_replace",
	"jsonb_set", "julianday", "lag", "last_insert_rowid",
	"last_rows_affected", "last_value", "lead", "leftstr", "length",
	"libsql_vector_idx", "like", "likelihood", "likely", "ln", "log",
	"log10", "lower", "lower_quartile", "ltrim", "match", "matchinfo", "max",
	"median", "min", "mode", "nth_value", "ntile", "nullif", "octet_length",
	"offsets", "padc", "padl", "padr", "percent_rank", "pi", "power",
	"printf", "proper", "quote", "radians", "random", "randomblob", "rank",
	"regexp", "regexpi", "replace", "replicate", "reverse", "rightstr",
	"round", "row_number", "rtreedepth", "rtreenode", "rtrim", "sha3",
	"sign", "sin", "sinh", "snippet", "soundex", "sqlite3mc_version",
	"sqlite_compileoption_get", "sqlite_compileoption_used", "sqlite_crypt",
	"sqlite_source_id", "sqlite_version", "sqrt", "square", "stdev",
	"strfilter", "strftime", "string_agg", "substr", "substring", "subtype",
	"sum", "tan", "tanh", "time", "timediff", "total", "total_changes",
	"trim", "typeof", "unhex", "unicode", "unixepoch", "unlikely", "upper",
	"upper_quartile", "uuid", "uuid_blob", "uuid_str", "variance", "vector",
	"vector16", "vector1bit", "vector32", "vector64", "vector8",
	"vector_distance_cos", "vector_distance_l2", "vector_extract",
	"vectorb16", "zeroblob",
)

// internalWriteFunctions are internal functions (not callable from typed
// SQL) that the programs of ALTER TABLE and ANALYZE use to rewrite the
// schema and gather statistics; allowed in write mode only.
var internalWriteFunctions = setOf(
	"sqlite_drop_column", "sqlite_rename_column", "sqlite_rename_quotefix",
	"sqlite_rename_table", "sqlite_rename_test",
	"stat_init", "stat_push", "stat_get",
)

// setOf returns a set of names.
func setOf(names ...string) map[string]bool {
	m := make(map[string]bool, len(names))
	for _, n := range names {
		m[n] = true
	}
	return m
}
