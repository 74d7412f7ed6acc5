package store

import (
	"errors"
	"fmt"
	"io/fs"
	"path/filepath"
	"strings"
)

// copyDatabase writes a consistent copy of the database at src into the
// empty file at dst with VACUUM INTO, on a read-only connection of its own
// that waits for locks as the app's do. The copy is one read transaction's
// view: writers in other connections and processes go on meanwhile (WAL),
// and the copy is a single self-contained file in rollback-journal mode.
func copyDatabase(src, dst string) error {
	c, err := OpenConnector(fileDSN(src) + "?mode=ro")
	if err != nil {
		return err
	}
	db := oneConnection(&setupConnector{inner: c, pragmas: []pragma{
		{sql: "PRAGMA busy_timeout=5000"},
		{sql: "PRAGMA trusted_schema=OFF"},
	}})
	defer db.Close()
	if _, err := db.Exec("VACUUM INTO ?", dst); err != nil {
		return fmt.Errorf("copy %s: %w", filepath.Base(src), err)
	}
	return db.Close()
}

// verifyCopy runs PRAGMA integrity_check on the database file at path,
// read-only, and returns an error with its findings unless it says "ok".
// The findings are read as bytes: they may quote names from the file.
func verifyCopy(path string) error {
	db, err := openPlain(fileDSN(path) + "?mode=ro")
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Query("SELECT CAST(integrity_check AS BLOB) FROM pragma_integrity_check")
	if err != nil {
		return fmt.Errorf("integrity check of %s: %w", filepath.Base(path), err)
	}
	defer rows.Close()
	var found []string
	for rows.Next() {
		var line []byte
		if err := rows.Scan(&line); err != nil {
			return err
		}
		found = append(found, strings.ToValidUTF8(string(line), "?"))
	}
	if err := rows.Err(); err != nil {
		return err
	}
	if len(found) != 1 || found[0] != "ok" {
		return fmt.Errorf("integrity check of %s failed: %s", filepath.Base(path), strings.Join(found, "; "))
	}
	return nil
}

// syncTree flushes every file and directory under dir to disk and returns
// the total size of the files.
func syncTree(dir string) (int64, error) {
	var size int64
	var errs []error
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && !d.Type().IsRegular() {
			return nil
		}
		if info, err := d.Info(); err == nil && !d.IsDir() {
			size += info.Size()
		}
		errs = append(errs, SyncPath(path))
		return nil
	})
	return size, errors.Join(append(errs, err)...)
}
