package providertest

import (
	"bytes"
	"database/sql"
	"os"
	"testing"

	"todos/app"
	"todos/app/store"
)

func caseReopen(t *testing.T, p store.Provider) {
	loc := MustCreate(t, p, "t_reopen")
	db := MustOpen(t, p, loc)
	Exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)", "INSERT INTO t (title) VALUES ('one'), ('two')")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	if got := Titles(t, MustOpen(t, p, loc)); len(got) != 2 || got[0] != "one" || got[1] != "two" {
		t.Errorf("after reopen: %q", got)
	}
}

func caseDuplicate(t *testing.T, p store.Provider) {
	MustCreate(t, p, "t_dup")
	_, err := p.Create(ctx, "t_dup", p.Regions()[0].Code)
	WantCode(t, err, app.ECONFLICT)
}

func caseRegion(t *testing.T, p store.Provider) {
	_, err := p.Create(ctx, "t_region", "mars")
	WantCode(t, err, app.EINVALID)
}

func caseRemove(t *testing.T, p store.Provider) {
	loc := MustCreate(t, p, "t_gone")
	if err := p.Remove(ctx, loc); err != nil {
		t.Fatal(err)
	}
	_, err := p.Open(ctx, loc)
	WantCode(t, err, app.ENOTFOUND)
	_, err = p.Size(ctx, loc)
	WantCode(t, err, app.ENOTFOUND)
	_, err = p.Trash(ctx, loc)
	WantCode(t, err, app.ENOTFOUND)
	if err := p.Remove(ctx, loc); err != nil {
		t.Errorf("Remove of a missing database: %v", err)
	}
}

func caseTrash(t *testing.T, p store.Provider) {
	loc := MustCreate(t, p, "t_trash")
	db := MustOpen(t, p, loc)
	Exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)", "INSERT INTO t (title) VALUES ('kept')")
	db.Close()
	trashed, err := p.Trash(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Remove(ctx, trashed) })
	if _, err := p.Open(ctx, trashed); err == nil {
		t.Fatal("a database in the trash was opened")
	}
	if _, err := p.Open(ctx, loc); err == nil {
		t.Fatal("a database in the trash was opened at its live location")
	}
	if again, err := p.Trash(ctx, trashed); err != nil || again != trashed {
		t.Errorf("Trash again = %q, %v; want %q", again, err, trashed)
	}
	if _, err := p.Size(ctx, trashed); err != nil {
		t.Errorf("Size in the trash: %v", err)
	}
	live, err := p.Untrash(ctx, trashed)
	if err != nil {
		t.Fatal(err)
	}
	if live != loc {
		t.Errorf("Untrash = %q, want %q", live, loc)
	}
	if got := Titles(t, MustOpen(t, p, live)); len(got) != 1 || got[0] != "kept" {
		t.Errorf("after untrash: %q", got)
	}
}

// StageWithData makes a staged file holding a table with awkward values,
// an AUTOINCREMENT counter past its rows, an index, a trigger, a view and
// user_version 7.
func StageWithData(t *testing.T, p store.Provider) string {
	t.Helper()
	path, err := p.Stage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	c, err := store.OpenConnector("file:" + path)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	db.SetMaxOpenConns(1)
	Exec(t, db,
		"CREATE TABLE t (id INTEGER PRIMARY KEY AUTOINCREMENT, title TEXT, data BLOB, score REAL, note TEXT)",
		"CREATE TABLE log (what TEXT)",
		"CREATE INDEX t_title ON t (title)",
		"CREATE TRIGGER t_logged AFTER INSERT ON t BEGIN INSERT INTO log VALUES (new.title); END",
		"CREATE VIEW t_view AS SELECT title FROM t",
	)
	for i, title := range []string{"plain", "it's; a \"quote\"\nand a line;", "ünïcode ✓", ""} {
		if _, err := db.Exec("INSERT INTO t (title, data, score, note) VALUES (?, ?, ?, ?)",
			title, []byte{0, byte(i), 255}, 0.1+float64(i), nil); err != nil {
			t.Fatal(err)
		}
	}
	Exec(t, db, "INSERT INTO t (id, title) VALUES (40, 'last')", "DELETE FROM t WHERE id = 40", "PRAGMA user_version = 7")
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	return path
}

func caseAdopt(t *testing.T, p store.Provider) {
	path := StageWithData(t, p)
	loc, err := p.Adopt(ctx, "t_adopted", p.Regions()[0].Code, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = p.Remove(ctx, loc) })
	if _, err := os.Stat(path); !os.IsNotExist(err) {
		t.Errorf("staged file still there after Adopt: %v", err)
	}
	WantStagedData(t, MustOpen(t, p, loc))
}

// WantStagedData fails unless db holds what StageWithData made, then adds
// a row to check that the trigger and the AUTOINCREMENT counter came along.
func WantStagedData(t *testing.T, db *sql.DB) {
	t.Helper()
	want := []string{"plain", "it's; a \"quote\"\nand a line;", "ünïcode ✓", ""}
	if got := Titles(t, db); len(got) != len(want) || got[1] != want[1] || got[2] != want[2] || got[3] != "" {
		t.Errorf("titles = %q, want %q", got, want)
	}
	var data []byte
	var score float64
	var note sql.NullString
	if err := db.QueryRow("SELECT data, score, note FROM t WHERE id = 2").Scan(&data, &score, &note); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, []byte{0, 1, 255}) || score != 1.1 || note.Valid {
		t.Errorf("row 2 = %v %v %v", data, score, note)
	}
	var version, logged, viewed int
	if err := db.QueryRow("PRAGMA user_version").Scan(&version); err != nil || version != 7 {
		t.Errorf("user_version = %d, %v; want 7", version, err)
	}
	if err := db.QueryRow("SELECT count(*) FROM log").Scan(&logged); err != nil || logged != 5 {
		t.Errorf("log rows = %d, %v; want 5 (copied, the trigger not fired again)", logged, err)
	}
	if err := db.QueryRow("SELECT count(*) FROM t_view").Scan(&viewed); err != nil || viewed != 4 {
		t.Errorf("view rows = %d, %v", viewed, err)
	}
	// The trigger and the AUTOINCREMENT counter came along.
	Exec(t, db, "INSERT INTO t (title) VALUES ('new')")
	var id, logs int
	if err := db.QueryRow("SELECT max(id), (SELECT count(*) FROM log) FROM t").Scan(&id, &logs); err != nil || id != 41 || logs != 6 {
		t.Errorf("after insert: id %d, log %d, %v; want 41, 6", id, logs, err)
	}
}

func caseAdoptConflict(t *testing.T, p store.Provider) {
	loc := MustCreate(t, p, "t_taken")
	db := MustOpen(t, p, loc)
	Exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)", "INSERT INTO t (title) VALUES ('mine')")
	path := StageWithData(t, p)
	t.Cleanup(func() { _ = p.Remove(ctx, path) })
	_, err := p.Adopt(ctx, "t_taken", p.Regions()[0].Code, path)
	WantCode(t, err, app.ECONFLICT)
	if got := Titles(t, db); len(got) != 1 || got[0] != "mine" {
		t.Errorf("existing database changed: %q", got)
	}
}

func caseSize(t *testing.T, p store.Provider) {
	loc := MustCreate(t, p, "t_size")
	db := MustOpen(t, p, loc)
	Exec(t, db, "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)")
	if _, err := db.Exec("INSERT INTO t (title) VALUES (?)", string(bytes.Repeat([]byte("x"), 20000))); err != nil {
		t.Fatal(err)
	}
	size, err := p.Size(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	if size < 20000 {
		t.Errorf("Size = %d, want at least the 20000 bytes written", size)
	}
}
