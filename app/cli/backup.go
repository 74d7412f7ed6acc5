package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"

	"todos/app/store"
)

// runBackup runs "todos backup --out DIR": a consistent copy of the data
// directory, taken while a server may be running and writing. The copy is
// made in a hidden directory beside DIR and renamed to DIR only once every
// file in it is written, checked and synced, so DIR is either a whole
// backup or absent. Restoring is using DIR as the data directory.
func runBackup(ctx context.Context, env Env, args []string) error {
	var cfg Config
	flags := newFlagSet("todos backup", env)
	storageFlags(flags, &cfg)
	out := flags.String("out", "", "new directory to write the backup to (required; must not exist or be empty)")
	restoreDir := flags.String("restore-dir", "", "data directory the backup will be restored as, if not the same path as --data")
	if err := parseFlags(flags, env, args); err != nil {
		return err
	}
	if flags.NArg() > 0 || *out == "" {
		fmt.Fprintln(env.Stderr, "todos backup: want --out DIR [--data DIR] [--restore-dir DIR]")
		return errUsage
	}
	if err := refuseRemoteBackup(cfg.Provider); err != nil {
		return err
	}
	if err := requireDataDir(cfg.DataDir); err != nil {
		return err
	}
	if _, err := os.Stat(filepath.Join(cfg.DataDir, "control.db")); err != nil {
		return fmt.Errorf("%s is not a data directory: %w", cfg.DataDir, err)
	}
	if err := prepareDataDir(cfg.DataDir, newLogger(env, "text")); err != nil {
		return err
	}
	if *restoreDir == "" {
		*restoreDir = cfg.DataDir
	}
	// Interrupted, the backup stops between databases and removes its
	// hidden directory.
	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()
	tmp, err := newBackupDir(*out)
	if err != nil {
		return err
	}
	report, err := backupInto(ctx, cfg.DataDir, tmp, *restoreDir)
	if err == nil {
		err = placeBackup(tmp, *out)
	}
	if err != nil {
		_ = os.RemoveAll(tmp)
		return err
	}
	return printBackupReport(env, *out, report)
}

// newBackupDir checks that out does not exist or is an empty directory and
// creates the hidden directory beside it (0700) in which the backup is
// written.
func newBackupDir(out string) (string, error) {
	entries, err := os.ReadDir(out)
	switch {
	case err == nil && len(entries) > 0:
		return "", fmt.Errorf("%s is not empty: back up into a new directory", out)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return "", err
	}
	parent := filepath.Dir(filepath.Clean(out))
	if err := os.MkdirAll(parent, store.PrivateDirMode); err != nil {
		return "", err
	}
	return os.MkdirTemp(parent, "."+filepath.Base(filepath.Clean(out))+".partial-")
}

// backupInto writes the databases of dataDir and its secret into the empty
// directory tmp.
func backupInto(ctx context.Context, dataDir, tmp, restoreDir string) (*store.BackupReport, error) {
	report, err := store.Backup(ctx, store.BackupSource{
		Dir:      dataDir,
		Control:  filepath.Join(dataDir, "control.db"),
		Provider: store.LocalProvider{Dir: filepath.Join(dataDir, "tenants")},
	}, tmp, restoreDir)
	if err != nil {
		return nil, err
	}
	if err := copySecret(dataDir, tmp); err != nil {
		return nil, fmt.Errorf("copy %s: %w", secretFile, err)
	}
	return report, nil
}

// copySecret copies the master secret, if there is one, so that forms and
// messages issued before the backup stay valid after a restore.
func copySecret(dataDir, tmp string) error {
	b, err := os.ReadFile(filepath.Join(dataDir, secretFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	} else if err != nil {
		return err
	}
	return writeSynced(filepath.Join(tmp, secretFile), b)
}

// writeSynced writes b to a new file at path (mode 0600) and flushes it.
func writeSynced(path string, b []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, store.PrivateFileMode)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// placeBackup renames the finished backup tmp to out (an empty directory
// out is replaced) and makes the new name durable.
func placeBackup(tmp, out string) error {
	if err := os.Rename(tmp, out); err != nil {
		return err
	}
	return store.SyncPath(filepath.Dir(filepath.Clean(out)))
}

// printBackupReport says what the backup holds and what it left out. A
// tenant whose database could not be copied makes the command fail, after
// the rest of the backup is kept.
func printBackupReport(env Env, out string, r *store.BackupReport) error {
	fmt.Fprintf(env.Stdout, "Backed up control.db and %d tenant databases (%d live, %d in the trash), %d bytes, to %s.\n",
		r.Live+r.Trashed, r.Live, r.Trashed, r.Bytes, out)
	if len(r.Creating) > 0 {
		fmt.Fprintf(env.Stdout, "Left out tenants still being created: %s.\n", strings.Join(r.Creating, ", "))
	}
	if len(r.Missing) > 0 {
		fmt.Fprintf(env.Stderr, "todos backup: warning: no database found for %s (their records are kept)\n", strings.Join(r.Missing, ", "))
	}
	if len(r.Failed) == 0 {
		return nil
	}
	for _, f := range r.Failed {
		fmt.Fprintf(env.Stderr, "todos backup: %s: %v\n", f.Tenant, f.Err)
	}
	return fmt.Errorf("%d tenant databases could not be copied; the rest of the backup is in %s", len(r.Failed), out)
}

// refuseRemoteBackup refuses a backup of a data directory whose tenant
// databases are not local files: the backup copies files, and a copy
// without the tenants' data would look complete and be worthless.
func refuseRemoteBackup(pc ProviderConfig) error {
	if err := pc.validate(); err != nil {
		return err
	}
	switch {
	case pc.Kind == providerSqld:
		return errors.New("todos backup copies local files; with --provider sqld, back up the libSQL server's --db-path " +
			"(and this data directory's control.db with it, while the server is stopped)")
	case pc.Kind == providerTurso:
		return errors.New("todos backup copies local files; with --provider turso, the tenant databases are backed up by Turso " +
			"(point-in-time restore), and `todos tenants export` copies one")
	case pc.Control.URL != "":
		return errors.New("todos backup copies local files; with --control-url, the control plane lives on that primary: back it up there")
	}
	return nil
}
