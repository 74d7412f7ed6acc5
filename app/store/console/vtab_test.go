package console

import (
	"testing"

	"todos/app"
)

// TestSchemaVirtualTables: an imported database may declare virtual
// tables. Those of data modules (FTS, R*Tree) can be read; one over the
// raw pages (sqlite_dbpage) cannot, and no virtual table can be written
// through the console. (fsdir is eponymous only: it cannot be declared.)
func TestSchemaVirtualTables(t *testing.T) {
	path := newDB(t, "delete")
	db := openTestDB(t, path)
	for _, q := range []string{
		"CREATE VIRTUAL TABLE docs USING fts5(body)",
		"INSERT INTO docs (body) VALUES ('buy oat milk'), ('call bob')",
		"CREATE VIRTUAL TABLE boxes USING rtree(id, x0, x1)",
		"INSERT INTO boxes VALUES (1, 0, 10)",
		"CREATE VIRTUAL TABLE pages USING sqlite_dbpage",
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatalf("%s: %v", q, err)
		}
	}
	_ = db.Close()

	res := mustRun(t, path, "SELECT body, highlight(docs, 0, '[', ']') FROM docs WHERE docs MATCH 'milk'", false)
	if joinRows(res.Rows) != "buy oat milk,buy oat [milk]" {
		t.Fatalf("fts: %v", res.Rows)
	}
	res = mustRun(t, path, "SELECT id FROM boxes WHERE x0 <= 5 AND x1 >= 5", false)
	if joinRows(res.Rows) != "1" {
		t.Fatalf("rtree: %v", res.Rows)
	}
	_, err := run(t, path, "SELECT pgno FROM pages", false)
	wantCode(t, err, app.EFORBIDDEN, "The table pages is not allowed")
	_, err = run(t, path, "UPDATE pages SET data = zeroblob(4096) WHERE pgno = 2", true)
	wantCode(t, err, app.EFORBIDDEN, "The table pages is not allowed")
	_, err = run(t, path, "INSERT INTO docs (body) VALUES ('x')", true)
	wantCode(t, err, app.EFORBIDDEN, msgVtabChange)
	_, err = run(t, path, "DROP TABLE docs", true)
	wantCode(t, err, app.EFORBIDDEN, msgVtabChange)
}
