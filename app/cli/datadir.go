package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"

	"todos/app/store"
)

// modeLogLines bounds how many tightened paths prepareDataDir names one by
// one; the rest are counted in one line.
const modeLogLines = 20

// prepareDataDir creates the data directory and its tenants directory
// (mode 0700) and takes every permission for group and others away from
// what is in it (see store.SecureDataDir), logging each path it tightened.
// A path it cannot tighten (another user's file) stops the command: the
// server must own its data.
func prepareDataDir(dataDir string, logger *slog.Logger) error {
	changes, err := store.SecureDataDir(dataDir)
	for i, c := range changes {
		if i == modeLogLines {
			logger.Warn("data directory: tightened more paths", "count", len(changes)-modeLogLines)
			break
		}
		logger.Warn("data directory: took access away from other users", "path", c.Path,
			"from", fmt.Sprintf("%#o", c.From), "to", fmt.Sprintf("%#o", c.To))
	}
	if err != nil {
		return fmt.Errorf("%w (the user running todos must own the data directory and everything in it)", err)
	}
	if err := os.MkdirAll(filepath.Join(dataDir, "tenants"), store.PrivateDirMode); err != nil {
		return fmt.Errorf("data directory: %w", err)
	}
	return nil
}

// requireDataDir refuses a data directory that does not exist. Only serve
// creates one: for every other command a missing directory is a mistyped
// --data, which must not become a new, empty data directory.
func requireDataDir(dataDir string) error {
	st, err := os.Stat(dataDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Errorf("data directory %s does not exist (--data or TODOS_DATA): check the path, "+
			"or run \"todos serve --data %s\" once to create it", dataDir, dataDir)
	case err != nil:
		return fmt.Errorf("data directory: %w", err)
	case !st.IsDir():
		return fmt.Errorf("data directory %s is not a directory (--data or TODOS_DATA)", dataDir)
	}
	return nil
}
