package store

import (
	"bytes"
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"todos/app"
)

// exportBytes exports tenant name and returns the file.
func (e *testEnv) exportBytes(t *testing.T, name string) []byte {
	t.Helper()
	var buf bytes.Buffer
	if _, err := e.tenants.ExportTenant(context.Background(), name, &buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// makeDB creates a database file (rollback journal) by running stmts, and
// returns its bytes.
func makeDB(t *testing.T, stmts ...string) []byte {
	t.Helper()
	path := filepath.Join(t.TempDir(), "made.db")
	db, err := sql.Open(driverName, fileDSN(path))
	if err != nil {
		t.Fatal(err)
	}
	db.SetMaxOpenConns(1)
	for _, s := range stmts {
		if _, err := db.Exec(s); err != nil {
			t.Fatalf("%s: %v", s, err)
		}
	}
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withUserVersion returns a copy of the database file b whose user_version
// (header bytes 60-63) is v.
func withUserVersion(b []byte, v byte) []byte {
	c := slices.Clone(b)
	copy(c[60:64], []byte{0, 0, 0, v})
	return c
}

// importInput is an ImportInput of file b as name.
func importInput(name string, b []byte) app.ImportInput {
	return app.ImportInput{Name: name, Region: "local", File: bytes.NewReader(b)}
}

func TestImportTenantRoundTrip(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	src := e.createTenant(t, "source")
	e.addTodos(t, src, 5)
	tdb := e.acquire(t, src)
	if _, _, err := tdb.ToggleTodo(ctx, 2); err != nil {
		t.Fatal(err)
	}
	tdb.Release()
	file := e.exportBytes(t, "source")

	imported, err := e.tenants.ImportTenant(ctx, importInput(" Imported ", file))
	if err != nil {
		t.Fatal(err)
	}
	if imported.Name != "imported" || imported.Status != app.TenantActive || imported.TodoCount != 5 ||
		imported.CompletedCount != 1 || imported.SchemaVersion != LatestVersion(tenantMigrations(t)) || imported.ID == src.ID {
		t.Errorf("imported %+v", imported)
	}
	if got, want := e.todoTitles(t, imported), e.todoTitles(t, src); !slices.Equal(got, want) {
		t.Errorf("imported todos %q, want %q", got, want)
	}
	idb := e.acquire(t, imported)
	owner, err := idb.UserByEmail(ctx, "owner@example.com")
	if err != nil || !app.CheckPassword(owner.PasswordHash, "correct horse") {
		t.Errorf("owner = %+v, %v", owner, err)
	}
	var mode string
	if err := idb.db.QueryRow("PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		t.Errorf("journal_mode = %q, %v", mode, err)
	}
	idb.Release()

	// A copy of a live WAL-mode file (header bytes 18-19 = 2) without its -wal
	// is accepted too.
	wal := slices.Clone(file)
	wal[18], wal[19] = 2, 2
	if _, err := e.tenants.ImportTenant(ctx, importInput("from-wal", wal)); err != nil {
		t.Errorf("WAL-mode header: %v", err)
	}
	// An older schema version is migrated to the latest.
	old := makeDB(t, tenantMigrations(t)[0].Statements...)
	if tn, err := e.tenants.ImportTenant(ctx, importInput("older", withUserVersion(old, 1))); err != nil ||
		tn.SchemaVersion != LatestVersion(tenantMigrations(t)) {
		t.Errorf("version 1 import = %+v, %v", tn, err)
	}
	if staged := stagedFiles(t, e.tenantsDir()); len(staged) != 0 {
		t.Errorf("staged files left: %q", staged)
	}
}

// zeros is an endless reader of zero bytes.
type zeros struct{}

// Read fills p with zeros.
func (zeros) Read(p []byte) (int, error) {
	clear(p)
	return len(p), nil
}

func TestImportTenantRefusals(t *testing.T) {
	ctx := context.Background()
	e := newTestEnv(t, 4)
	e.createTenant(t, "source")
	e.addTodos(t, e.mustFind(t, "source"), 50)
	good := e.exportBytes(t, "source")
	if len(good) < 3*4096 {
		t.Fatalf("export of %d bytes is too small for the test", len(good))
	}
	schema := tenantMigrations(t)[0].Statements
	corrupt := slices.Clone(good)
	for i := 4096 + 8; i < 2*4096; i++ { // page 2, after its page header
		corrupt[i] = 0xA5
	}
	png := append([]byte("\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"), make([]byte, 200)...)
	foreign := makeDB(t, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)", "PRAGMA user_version = 1")
	noTodos := makeDB(t, schema[0], "PRAGMA user_version = 1")
	missingColumn := makeDB(t, schema[0], "CREATE TABLE todos (id INTEGER PRIMARY KEY, title TEXT NOT NULL, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)", "PRAGMA user_version = 1")
	extraColumn := makeDB(t, append(slices.Clone(schema), "ALTER TABLE todos ADD COLUMN owner TEXT", "PRAGMA user_version = 1")...)
	otherType := makeDB(t, schema[0], strings.Replace(schema[1], "title      TEXT", "title      BLOB", 1), "PRAGMA user_version = 1")
	todosView := makeDB(t, schema[0], "CREATE TABLE items (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT NOT NULL, completed INTEGER NOT NULL DEFAULT 0, created_at INTEGER NOT NULL, updated_at INTEGER NOT NULL)",
		"CREATE VIEW todos AS SELECT * FROM items", "PRAGMA user_version = 1")
	trigger := makeDB(t, append(slices.Clone(schema),
		"CREATE TRIGGER no_todos BEFORE INSERT ON todos BEGIN SELECT RAISE(ABORT, 'no'); END", "PRAGMA user_version = 1")...)
	extraTable := makeDB(t, append(slices.Clone(schema), "CREATE TABLE notes (body TEXT)", "PRAGMA user_version = 1")...)

	tests := []struct {
		name string
		in   app.ImportInput
		code string
		msg  string
	}{
		{"empty", importInput("imported", nil), app.EINVALID, "The file is empty."},
		{"text", importInput("imported", []byte("name,todo\nann,milk\n")), app.EINVALID, "not a SQLite database"},
		{"png", importInput("imported", png), app.EINVALID, "not a SQLite database"},
		{"truncated in the header", importInput("imported", good[:60]), app.EINVALID, "incomplete (truncated)"},
		{"truncated", importInput("imported", good[:len(good)-4096]), app.EINVALID, "incomplete or damaged"},
		{"too long", importInput("imported", append(slices.Clone(good), make([]byte, 100)...)), app.EINVALID, "incomplete or damaged"},
		{"corrupt page", importInput("imported", corrupt), app.EINVALID, "damaged"},
		{"no schema version", importInput("imported", withUserVersion(good, 0)), app.EINVALID, "no schema version"},
		{"newer schema version", importInput("imported", withUserVersion(good, 99)), app.EINVALID, "newer version of TODOs (schema version 99"},
		{"foreign schema", importInput("imported", foreign), app.EINVALID, `not a TODOs database: it has no "todos" table`},
		{"no todos table", importInput("imported", noTodos), app.EINVALID, `it has no "todos" table`},
		{"missing column", importInput("imported", missingColumn), app.EINVALID, `table "todos" has no column "completed"`},
		{"extra column", importInput("imported", extraColumn), app.EINVALID, `table "todos" has an unknown column "owner"`},
		{"other column type", importInput("imported", otherType), app.EINVALID, `column "title" of table "todos"`},
		{"view in place of a table", importInput("imported", todosView), app.EINVALID, `it has no "todos" table`},
		{"trigger", importInput("imported", trigger), app.EINVALID, `it has a trigger "no_todos" that TODOs does not define`},
		{"oversize", app.ImportInput{Name: "imported", Region: "local", File: bytes.NewReader(good), MaxBytes: 8192},
			app.EINVALID, "The file is larger than the 8 KB limit."},
		{"oversize by default", app.ImportInput{Name: "imported", Region: "local",
			File: io.LimitReader(zeros{}, DefaultImportLimit+1)}, app.EINVALID, "The file is larger than the 50 MB limit."},
		{"no file", app.ImportInput{Name: "imported", Region: "local"}, app.EINVALID, "choose a database file"},
		{"name taken", importInput("source", good), app.ECONFLICT, `"source" is already taken`},
		{"bad name", importInput("bad name!", good), app.EINVALID, "not a valid name"},
		{"bad region", app.ImportInput{Name: "imported", Region: "mars", File: bytes.NewReader(good)}, app.EINVALID, "region"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := e.state(t)
			_, err := e.tenants.ImportTenant(ctx, tt.in)
			wantCode(t, err, tt.code)
			wantMessage(t, err, tt.msg)
			e.wantState(t, before)
		})
	}
	if _, err := e.tenants.ImportTenant(ctx, importInput("imported", good)); err != nil {
		t.Errorf("import after the refusals: %v", err)
	}
	if _, err := e.tenants.ImportTenant(ctx, importInput("extra-table", extraTable)); err != nil {
		t.Errorf("import of a database with another table: %v", err)
	}
}

// mustFind returns the live tenant named name.
func (e *testEnv) mustFind(t *testing.T, name string) *app.Tenant {
	t.Helper()
	tn, err := e.tenants.FindTenantByName(context.Background(), name)
	if err != nil {
		t.Fatal(err)
	}
	return tn
}

func TestFormatLimit(t *testing.T) {
	for n, want := range map[int64]string{50 << 20: "50 MB", 3 << 19: "1.5 MB", 8192: "8 KB", 100: "100 bytes"} {
		if got := formatLimit(n); got != want {
			t.Errorf("formatLimit(%d) = %q, want %q", n, got, fmt.Sprint(want))
		}
	}
}
