package store

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"todos/app"
)

// sqliteMagic is the first 16 bytes of every SQLite database file.
const sqliteMagic = "SQLite format 3\x00"

// checkImport checks that the staged file at path can become a tenant's
// database: checkHeader, then, opened read-only, PRAGMA integrity_check, a
// schema version between 1 and the last of ms, the tables, columns and
// definitions that ms create up to that version, and values the app can
// read (checkValues: valid UTF-8 text everywhere, the declared types in
// TODOs' tables). Each refusal is EINVALID with the reason. The file's
// header may be rewritten (see checkHeader). Nothing is read from the file
// in a form that could abort the process (see text.go).
func checkImport(ctx context.Context, path string, ms []Migration) error {
	if err := checkHeader(path); err != nil {
		return err
	}
	db, err := openPlain(fileDSN(path) + "?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	if err := checkImportIntegrity(ctx, db); err != nil {
		return err
	}
	var version int
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&version); err != nil {
		return damaged("its schema version cannot be read", err)
	}
	latest := 0
	if len(ms) > 0 {
		latest = ms[len(ms)-1].Version
	}
	switch {
	case version < 1:
		return app.Errorf(app.EINVALID, "This is not a TODOs database: it has no schema version (PRAGMA user_version is %d).", version)
	case version > latest:
		return app.Errorf(app.EINVALID, "This database comes from a newer version of TODOs (schema version %d; this program knows versions 1 to %d).", version, latest)
	}
	want, err := referenceSchema(ctx, ms[:version])
	if err != nil {
		return err
	}
	if err := compareSchema(ctx, db, want); err != nil {
		return err
	}
	return checkImportValues(ctx, db, want)
}

// checkImportValues refuses a file holding a value the app cannot read
// (see checkValues), naming where it is.
func checkImportValues(ctx context.Context, db *sql.DB, want dbSchema) error {
	err := checkValues(ctx, db, setOfNames(sortedKeys(want.columns)))
	var ve *ValueError
	switch {
	case errors.As(err, &ve):
		return app.WrapError(app.EINVALID, "This database holds a value TODOs cannot read: "+clipText(ve.Error(), 300)+".", err)
	case err != nil:
		return damaged("its values cannot be read", err)
	}
	return nil
}

// checkHeader reads the 100-byte header of the file at path and checks that
// it is a SQLite database whose size is exactly page size × page count. A
// header in WAL mode is switched to rollback mode (bytes 18 and 19 set to
// 1): an uploaded file comes without its -wal, and a read-only connection
// could not open it otherwise.
func checkHeader(path string) error {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return err
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return err
	}
	size := fi.Size()
	if size == 0 {
		return app.Errorf(app.EINVALID, "The file is empty.")
	}
	var h [100]byte
	n, err := io.ReadFull(f, h[:])
	if err != nil && !errors.Is(err, io.ErrUnexpectedEOF) {
		return err
	}
	if n < len(sqliteMagic) || string(h[:len(sqliteMagic)]) != sqliteMagic {
		return app.Errorf(app.EINVALID, "This file is not a SQLite database.")
	}
	if n < len(h) {
		return app.Errorf(app.EINVALID, "This database file is incomplete (truncated): it ends inside its header.")
	}
	pageSize := int64(binary.BigEndian.Uint16(h[16:18]))
	if pageSize == 1 {
		pageSize = 65536
	}
	if pageSize < 512 || pageSize > 65536 || pageSize&(pageSize-1) != 0 {
		return damaged(fmt.Sprintf("its header gives an impossible page size (%d)", pageSize), nil)
	}
	pageCount := int64(binary.BigEndian.Uint32(h[28:32]))
	if pageCount == 0 || !bytes.Equal(h[24:28], h[92:96]) {
		return damaged("its header does not record its size", nil)
	}
	if want := pageSize * pageCount; size != want {
		return app.Errorf(app.EINVALID, "This database file is incomplete or damaged: its header says %d bytes but the file has %d.", want, size)
	}
	for _, b := range h[18:20] {
		if b != 1 && b != 2 {
			return damaged("its header gives an unknown file format", nil)
		}
	}
	// Text in a UTF-16 database reads back as UTF-16 bytes when cast to a
	// BLOB, the only way it can be read safely (see text.go).
	if enc := binary.BigEndian.Uint32(h[56:60]); enc != 0 && enc != 1 {
		return app.Errorf(app.EINVALID, "This database stores its text as UTF-16; TODOs databases use UTF-8.")
	}
	if h[18] == 2 || h[19] == 2 {
		if _, err := f.WriteAt([]byte{1, 1}, 18); err != nil {
			return err
		}
	}
	return nil
}

// damaged is the refusal of a database file that SQLite cannot read whole.
func damaged(why string, err error) error {
	return app.WrapError(app.EINVALID, "This database file is damaged: "+why+".", err)
}

// checkImportIntegrity runs PRAGMA integrity_check, whose only row is "ok"
// for an intact database. Its findings quote names from the file, which
// may not be valid UTF-8: they are read as bytes, from the pragma's table.
func checkImportIntegrity(ctx context.Context, db *sql.DB) error {
	rows, err := db.QueryContext(ctx, "SELECT "+textCol("integrity_check")+" FROM pragma_integrity_check")
	if err != nil {
		return damaged("it cannot be read", err)
	}
	defer rows.Close()
	var problems []string
	for rows.Next() {
		var msg string
		if err := rows.Scan(textInto(&msg)); err != nil {
			return damaged("it cannot be read", err)
		}
		if msg == "ok" {
			continue
		}
		for line := range strings.Lines(msg) { // skip "*** in database main ***"
			if line = strings.TrimSpace(line); line != "" && !strings.HasPrefix(line, "***") && len(problems) < 3 {
				problems = append(problems, line)
			}
		}
		if len(problems) == 0 {
			problems = append(problems, "a problem")
		}
	}
	if err := rows.Err(); err != nil {
		return damaged("it cannot be read", err)
	}
	if len(problems) > 0 {
		return damaged("the integrity check found: "+clipText(strings.Join(problems, "; "), 300), nil)
	}
	return nil
}

// clipText shortens s to at most n bytes, on a rune boundary, marking the cut.
func clipText(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !isRuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// isRuneStart reports whether b starts a UTF-8 sequence.
func isRuneStart(b byte) bool { return b&0xC0 != 0x80 }
