package store

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"todos/app"
)

// BackupSource is a data directory to back up: its control database and
// the local provider of its tenant databases (live and in the trash), all
// inside Dir. The backup keeps each file's path relative to Dir.
type BackupSource struct {
	Dir      string
	Control  string
	Provider LocalProvider
}

// BackupReport says what Backup copied.
type BackupReport struct {
	Live     int             // databases of active and suspended tenants
	Trashed  int             // databases of tenants in the trash
	Bytes    int64           // size of all the copies, control database included
	Creating []string        // tenants half-created (a sign-up in progress): left out, records too
	Missing  []string        // tenants whose database was found nowhere: records kept
	Failed   []BackupFailure // tenants whose database could not be copied: records kept
}

// BackupFailure is a tenant whose database Backup could not copy.
type BackupFailure struct {
	Tenant string
	Err    error
}

// Backup writes into the empty directory out a consistent copy of every
// database of src, while a server may be using them: first the control
// database, then the database of every tenant its copy lists, each with
// VACUUM INTO on a read-only connection of its own. Each copy is one
// transaction's view of its database, so it holds every write committed
// before its copy began, in particular every write acknowledged before
// Backup was called. A backup never writes to the databases it copies.
//
// In the copy of the control database, tenants being created are removed
// (their databases are not copied), every tenant's location names its copy
// as it will be once out is restored as the data directory restoreDir (the
// same paths below it), and its counters are those of its copy. Every copy
// passes PRAGMA integrity_check, has mode 0600 in directories of mode 0700,
// and is synced to disk. A tenant whose database cannot be copied is
// reported in the result, not an error; the control database failing is.
func Backup(ctx context.Context, src BackupSource, out, restoreDir string) (*BackupReport, error) {
	b, err := newBackupJob(src, out, restoreDir)
	if err != nil {
		return nil, err
	}
	controlCopy, err := b.target(b.control)
	if err != nil {
		return nil, err
	}
	if err := copyDatabase(b.control, controlCopy); err != nil {
		return nil, fmt.Errorf("copy the control database: %w", err)
	}
	db, err := openPlain(fileDSN(controlCopy))
	if err != nil {
		return nil, fmt.Errorf("open the copy of the control database: %w", err)
	}
	defer db.Close()
	records, err := backupRecords(ctx, db)
	if err != nil {
		return nil, err
	}
	report := &BackupReport{}
	for _, r := range records {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := b.tenant(ctx, db, r, report); err != nil {
			return nil, fmt.Errorf("record the backup of %s: %w", r.name, err)
		}
	}
	if err := db.Close(); err != nil {
		return nil, err
	}
	if err := verifyCopy(controlCopy); err != nil {
		return nil, fmt.Errorf("the copy of the control database: %w", err)
	}
	size, err := syncTree(b.out)
	report.Bytes = size
	return report, err
}

// backupJob is one run of Backup, its paths made absolute.
type backupJob struct {
	dir, control, out, restoreDir string
	provider                      LocalProvider
}

// newBackupJob checks Backup's arguments and makes every path absolute.
// out must be an empty directory; it gets mode 0700.
func newBackupJob(src BackupSource, out, restoreDir string) (*backupJob, error) {
	b := &backupJob{}
	for _, p := range []struct {
		dst *string
		src string
	}{{&b.dir, src.Dir}, {&b.control, src.Control}, {&b.out, out}, {&b.restoreDir, restoreDir}} {
		abs, err := filepath.Abs(p.src)
		if err != nil {
			return nil, err
		}
		*p.dst = abs
	}
	live, err := filepath.Abs(src.Provider.Dir)
	if err != nil {
		return nil, err
	}
	trash, err := src.Provider.trashDir()
	if err != nil {
		return nil, err
	}
	b.provider = LocalProvider{Dir: live, TrashDir: trash}
	entries, err := os.ReadDir(b.out)
	if err != nil {
		return nil, fmt.Errorf("backup directory: %w", err)
	}
	if len(entries) > 0 {
		return nil, fmt.Errorf("backup directory %s is not empty", b.out)
	}
	if err := os.Chmod(b.out, PrivateDirMode); err != nil {
		return nil, fmt.Errorf("backup directory: %w", err)
	}
	return b, nil
}

// target returns the path in out of the file at path, inside the data
// directory, and creates its directory (0700) and an empty file (0600).
func (b *backupJob) target(path string) (string, error) {
	rel, err := filepath.Rel(b.dir, path)
	if err != nil || rel == "." || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return "", fmt.Errorf("%s is not inside the data directory %s", path, b.dir)
	}
	dst := filepath.Join(b.out, rel)
	if err := os.MkdirAll(filepath.Dir(dst), PrivateDirMode); err != nil {
		return "", err
	}
	if err := createPrivateFile(dst); err != nil {
		return "", err
	}
	return dst, nil
}

// backupRecord is a tenant as the copy of the control database has it.
type backupRecord struct {
	id, name, status, location string
}

// backupRecords reads every tenant record of the control database db,
// text read as bytes (see textCol).
func backupRecords(ctx context.Context, db *sql.DB) ([]backupRecord, error) {
	rows, err := db.QueryContext(ctx, "SELECT "+textCol("id")+", "+textCol("name")+", "+textCol("status")+", "+
		textCol("location")+" FROM tenants ORDER BY name")
	if err != nil {
		return nil, fmt.Errorf("read the tenants of the control database: %w", err)
	}
	defer rows.Close()
	var rs []backupRecord
	for rows.Next() {
		var id, name, status, location []byte
		if err := rows.Scan(&id, &name, &status, &location); err != nil {
			return nil, err
		}
		rs = append(rs, backupRecord{string(id), string(name), string(status), string(location)})
	}
	return rs, rows.Err()
}

// tenant copies r's database into out, where r's record places it (live or
// in the trash), from wherever it is now, and points r's record in the
// copy of the control database db at where the copy will be restored. A
// tenant being created is removed from db instead. What happened goes into
// report; the error is db's.
func (b *backupJob) tenant(ctx context.Context, db *sql.DB, r backupRecord, report *BackupReport) error {
	if app.TenantStatus(r.status) == tenantCreating {
		report.Creating = append(report.Creating, r.name)
		_, err := db.ExecContext(ctx, "DELETE FROM tenants WHERE id = ?", r.id)
		return err
	}
	live, trash, err := b.provider.pair(r.location)
	if err != nil {
		report.Failed = append(report.Failed, BackupFailure{r.name, err})
		return nil
	}
	want, other := live, trash // where the record says, where a move in progress may have put it
	if filepath.Clean(r.location) == trash {
		want, other = trash, live
	}
	from := want
	if !exists(from) {
		from = other
	}
	if !exists(from) {
		report.Missing = append(report.Missing, r.name)
		return nil
	}
	dst, err := b.target(want)
	if err == nil {
		err = copyDatabase(from, dst)
	}
	if err == nil {
		err = verifyCopy(dst)
	}
	if err != nil {
		_ = os.Remove(dst)
		report.Failed = append(report.Failed, BackupFailure{r.name, err})
		return nil
	}
	if want == trash {
		report.Trashed++
	} else {
		report.Live++
	}
	rel, _ := filepath.Rel(b.out, dst)
	if _, err := db.ExecContext(ctx, "UPDATE tenants SET location = ? WHERE id = ?", filepath.Join(b.restoreDir, rel), r.id); err != nil {
		return err
	}
	// The control plane's counters trail the tenants' writes by a batch:
	// the copy's counters are those of the tenant's copy.
	if stats, err := countCopy(ctx, dst); err == nil {
		_, err = db.ExecContext(ctx, "UPDATE tenants SET todo_count = ?, completed_count = ? WHERE id = ?", stats.Total, stats.Completed, r.id)
		return err
	}
	return nil
}

// countCopy counts the todos in the tenant database file at path.
func countCopy(ctx context.Context, path string) (app.TodoStats, error) {
	db, err := openPlain(fileDSN(path) + "?mode=ro")
	if err != nil {
		return app.TodoStats{}, err
	}
	defer db.Close()
	return countTodos(ctx, db)
}
