package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strings"
)

// exclusiveLocking keeps a connection's locks until it closes; in WAL mode
// it also keeps the log's index in the process's memory instead of the
// -shm file. It must come before journal_mode=WAL.
var exclusiveLocking = pragma{sql: "PRAGMA locking_mode=EXCLUSIVE", want: "exclusive"}

// OpenExclusive opens the database file at location like Open, in
// exclusive locking mode.
func (p LocalProvider) OpenExclusive(ctx context.Context, location string) (*sql.DB, error) {
	path, err := p.path(location)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(path); errors.Is(err, fs.ErrNotExist) {
		return nil, err
	} else if err != nil {
		return nil, err
	}
	dsn := fileDSN(path)
	inner, err := OpenConnector(dsn)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", dsn, err)
	}
	var pragmas []pragma
	for _, pr := range localPragmas {
		if strings.HasPrefix(pr.sql, "PRAGMA journal_mode") {
			pragmas = append(pragmas, exclusiveLocking)
		}
		pragmas = append(pragmas, pr)
	}
	pragmas = append(pragmas, tenantPageCache)
	db := sql.OpenDB(&setupConnector{inner: inner, pragmas: pragmas})
	db.SetMaxOpenConns(1)
	db.SetMaxIdleConns(1)
	db.SetConnMaxLifetime(0)
	db.SetConnMaxIdleTime(0)
	return db, nil
}
