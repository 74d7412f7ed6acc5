package store

import (
	"context"
	"fmt"
	"io"
)

// ExportTenantForOwner is ExportTenant for the list's owner (the account
// page's "Export my list"): the copy also holds no password hashes. Every
// account keeps its row, with an empty hash that matches no password, so
// the file has the schema of every tenant database and could be imported
// (its users would then need a new password).
func (s *Tenants) ExportTenantForOwner(ctx context.Context, name string, w io.Writer) (int64, error) {
	return s.exportScrubbed(ctx, name, w, scrubCopy, scrubCredentials)
}

// scrubCredentials empties every password hash in the staged copy at path,
// then rebuilds the file (VACUUM), so that no old hash stays in a free
// page or a page's unused space.
func scrubCredentials(ctx context.Context, path string) error {
	db, err := openPlain(fileDSN(path))
	if err != nil {
		return err
	}
	defer db.Close()
	var tables int
	if err := db.QueryRowContext(ctx, "SELECT count(*) FROM sqlite_schema WHERE type = 'table' AND name = 'users'").Scan(&tables); err != nil {
		return fmt.Errorf("read the schema of a copy: %w", err)
	}
	if tables > 0 {
		if _, err := db.ExecContext(ctx, "UPDATE users SET password_hash = ''"); err != nil {
			return fmt.Errorf("clear the password hashes of a copy: %w", err)
		}
	}
	if _, err := db.ExecContext(ctx, "VACUUM"); err != nil {
		return fmt.Errorf("compact a copy: %w", err)
	}
	return db.Close()
}
