package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"todos/app"
)

// Migration is one numbered step of a schema: statements applied together in
// one transaction that leaves PRAGMA user_version at Version.
type Migration struct {
	Version    int
	Statements []string
}

// versionLine matches the "-- version: N" line that starts migration N.
var versionLine = regexp.MustCompile(`^\s*--\s*version:\s*(\d+)\s*$`)

// ParseMigrations splits a schema file into migrations. Each line
// "-- version: N" starts migration N; versions must start at 1 and increase
// by 1, every migration must hold at least one statement, and nothing but
// comments may come before the first version line.
func ParseMigrations(schema string) ([]Migration, error) {
	var ms []Migration
	var body strings.Builder
	flush := func() error {
		stmts := SplitStatements(body.String())
		body.Reset()
		if len(ms) == 0 {
			if len(stmts) > 0 {
				return fmt.Errorf("schema: statement before the first %q line", "-- version: 1")
			}
			return nil
		}
		if len(stmts) == 0 {
			return fmt.Errorf("schema: migration %d has no statements", ms[len(ms)-1].Version)
		}
		ms[len(ms)-1].Statements = stmts
		return nil
	}
	for line := range strings.Lines(schema) {
		m := versionLine.FindStringSubmatch(line)
		if m == nil {
			body.WriteString(line)
			continue
		}
		if err := flush(); err != nil {
			return nil, err
		}
		v, err := strconv.Atoi(m[1])
		if err != nil || v != len(ms)+1 {
			return nil, fmt.Errorf("schema: found version %s where version %d was expected", m[1], len(ms)+1)
		}
		ms = append(ms, Migration{Version: v})
	}
	if err := flush(); err != nil {
		return nil, err
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("schema: no %q line", "-- version: 1")
	}
	return ms, nil
}

// Migrate brings db up to the last of ms, which must be ordered by version.
// Each pending migration runs in its own transaction together with the update
// of PRAGMA user_version, so a failed migration leaves the database at the
// previous version. It returns the versions before and after. A database newer
// than the last migration gives ECONFLICT; a failed migration gives EINTERNAL.
func Migrate(ctx context.Context, db *sql.DB, ms []Migration) (from, to int, err error) {
	if err := db.QueryRowContext(ctx, "PRAGMA user_version").Scan(&from); err != nil {
		return 0, 0, upgradeError(fmt.Errorf("read user_version: %w", err))
	}
	latest := 0
	if len(ms) > 0 {
		latest = ms[len(ms)-1].Version
	}
	if from > latest {
		return from, from, app.WrapError(app.ECONFLICT,
			"This list's database is newer than this program. Please upgrade the program.",
			fmt.Errorf("database version %d, newest known migration %d", from, latest))
	}
	to = from
	for _, m := range ms {
		if m.Version <= to {
			continue
		}
		if err := applyMigration(ctx, db, m); err != nil {
			return from, to, upgradeError(err)
		}
		to = m.Version
	}
	return from, to, nil
}

// upgradeError wraps the cause of a failed migration for the user. A
// database that cannot be reached (EUNAVAILABLE) or has no room (EFULL)
// keeps that code and its message: the migration itself is not at fault.
func upgradeError(err error) error {
	switch app.ErrorCode(err) {
	case app.EUNAVAILABLE, app.EFULL:
		return err
	}
	if isStorageFull(err) {
		return storageError(err)
	}
	return app.WrapError(app.EINTERNAL, "This list's database could not be upgraded.", err)
}

// applyMigration runs m's statements and sets user_version in one
// transaction, rolling back on any error.
func applyMigration(ctx context.Context, db *sql.DB, m Migration) (err error) {
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("migration %d: begin: %w", m.Version, err)
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	for i, stmt := range m.Statements {
		if _, err := tx.ExecContext(ctx, stmt); err != nil {
			return fmt.Errorf("migration %d, statement %d: %w", m.Version, i+1, err)
		}
	}
	// PRAGMA takes no bound parameters; Version is an int, so this is safe.
	if _, err := tx.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.Version)); err != nil {
		return fmt.Errorf("migration %d: set user_version: %w", m.Version, err)
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("migration %d: commit: %w", m.Version, err)
	}
	return nil
}
