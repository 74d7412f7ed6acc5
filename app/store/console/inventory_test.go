package console

import (
	"database/sql"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// engineNames returns the distinct values of the first column of query,
// run on a fresh in-memory database of the bundled engine.
func engineNames(t *testing.T, query string) []string {
	t.Helper()
	db, err := openDB(":memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var names []string
	for rows.Next() {
		var name string
		if err := rows.Scan(&name); err != nil {
			t.Fatal(err)
		}
		names = append(names, name)
	}
	return names
}

// TestFunctionInventory proves the function policy covers the engine
// exactly: every function is either allowed or denied, never both, and
// neither list names a function the engine lacks. An engine upgrade that
// adds a function fails here until someone decides about it.
func TestFunctionInventory(t *testing.T) {
	engine := engineNames(t, "SELECT DISTINCT name FROM pragma_function_list ORDER BY name")
	for _, name := range engine {
		_, denied := deniedFunctions[name]
		if allowedFunctions[name] == denied {
			t.Errorf("function %s: allowed=%v denied=%v; decide about it", name, allowedFunctions[name], denied)
		}
	}
	for name := range allowedFunctions {
		if !slices.Contains(engine, name) {
			t.Errorf("allowed function %s is not in the engine", name)
		}
	}
	for name := range deniedFunctions {
		if !slices.Contains(engine, name) {
			t.Errorf("denied function %s is not in the engine", name)
		}
	}
	// Candidates from other SQLite builds that this engine does not carry
	// (the refusal tests show the engine rejecting each).
	for _, name := range []string{"edit", "zipfile", "sqlar_compress", "sqlar_uncompress", "shell_add_schema", "sqlite_attach", "sqlite_detach"} {
		if slices.Contains(engine, name) {
			t.Errorf("function %s is in the engine: add it to the policy and the refusal tests", name)
		}
	}
}

// TestModuleInventory lists the engine's virtual table modules, so that a
// new one (a csv or zipfile table reading files, say) fails here until
// someone decides about it.
func TestModuleInventory(t *testing.T) {
	// Pragma tables (pragma_table_info...) are made on first use and listed
	// only then; they are pragmas, screened as such.
	got := engineNames(t, "SELECT name FROM pragma_module_list WHERE name NOT LIKE 'pragma^_%' ESCAPE '^' ORDER BY name")
	want := []string{
		"carray", "dbstat", "fsdir", "fts3", "fts3tokenize", "fts4", "fts4aux", "fts5",
		"fts5vocab", "generate_series", "geopoly", "json_each", "json_tree", "rtree", "rtree_i32",
		"sqlite_dbpage", "sqlite_stmt", "vector_top_k",
	}
	if !slices.Equal(got, want) {
		t.Fatalf("modules = %v\nwant %v", got, want)
	}
}

// TestPragmaInventory checks every pragma of the engine against the text
// screen: those off the allowlist are refused in both modes, with or
// without a value.
func TestPragmaInventory(t *testing.T) {
	for _, name := range engineNames(t, "SELECT name FROM pragma_pragma_list") {
		rule := pragmas[name]
		for _, write := range []bool{false, true} {
			for _, sql := range []string{"PRAGMA " + name, "PRAGMA " + name + " = 1", "PRAGMA " + name + "(1)"} {
				s, err := parseStatement(sql)
				if err != nil {
					t.Fatal(err)
				}
				err = checkPragma(s, write)
				hasValue := strings.ContainsAny(sql, "=(")
				allowed := rule == pragmaArg || rule != 0 && !hasValue || rule == pragmaWrite && write
				if (err == nil) != allowed {
					t.Errorf("%s (write=%v): err = %v, want allowed=%v", sql, write, err, allowed)
				}
			}
		}
	}
	for name := range pragmas {
		if !slices.Contains(engineNames(t, "SELECT name FROM pragma_pragma_list"), name) {
			t.Errorf("allowed pragma %s is not in the engine", name)
		}
	}
}

// TestEngineReachesFiles shows why mode=ro is not enough: on a read-only
// connection of the bundled engine, with no console in the way, these
// statements read and create files. Each is refused by the console
// (TestReadOnlyRefuses).
func TestEngineReachesFiles(t *testing.T) {
	path := newDB(t, "delete")
	dir := t.TempDir()
	db, err := openDB(dsn(path, false))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	exec := func(q string) error {
		rows, err := db.Query(q)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
		}
		return rows.Err()
	}
	exists := func(name string) bool {
		_, err := os.Stat(filepath.Join(dir, name))
		return err == nil
	}

	if err := exec("INSERT INTO vals VALUES (99, 1)"); err == nil {
		t.Error("mode=ro accepted an INSERT")
	}
	for _, q := range []string{
		"ATTACH '" + dir + "/attached.db' AS a",
		"CREATE TABLE a.t (x)",
		"VACUUM INTO '" + dir + "/copy.db'",
		"SELECT writefile('" + dir + "/written.txt', 'x')",
	} {
		if err := exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	for _, name := range []string{"attached.db", "copy.db", "written.txt"} {
		if !exists(name) {
			t.Errorf("%s was not created", name)
		}
	}
	var n int
	if err := db.QueryRow("SELECT length(readfile('" + dir + "/written.txt'))").Scan(&n); err != nil || n != 1 {
		t.Errorf("readfile: %d, %v", n, err)
	}
	if err := db.QueryRow("SELECT count(*) FROM fsdir('" + dir + "')").Scan(&n); err != nil || n < 3 {
		t.Errorf("fsdir: %d, %v", n, err)
	}
	// Compiling is enough for this pragma to probe the filesystem.
	var sink sql.NullString
	err = db.QueryRow("EXPLAIN PRAGMA temp_store_directory = '" + dir + "/missing'").Scan(&sink)
	if err == nil || !strings.Contains(err.Error(), "not a writable directory") {
		t.Errorf("EXPLAIN PRAGMA temp_store_directory: %v", err)
	}
	// load_extension is present but disabled in this build.
	if err := exec("SELECT load_extension('" + dir + "/x.so')"); err == nil || !strings.Contains(err.Error(), "not authorized") {
		t.Errorf("load_extension: %v", err)
	}
}
