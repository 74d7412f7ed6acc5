package cli

import (
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"todos/app/store"
)

// A server marks that it runs with a file DATA/run/{random}.running, which
// it holds locked (flock) for as long as it runs and removes when it stops
// cleanly: after its last activity flush succeeded and no request was cut
// off. The lock dies with the process, so a marker that nobody holds is the
// trace of a server that stopped without a clean shutdown (kill -9, a crash,
// a power loss), whose last batch of tenant activity may be lost: see
// reconcileAfterUncleanStop. Several servers and the CLI may share a data
// directory; each server has a marker of its own.
const (
	runDir       = "run"
	runSuffix    = ".running"
	startSuffix  = ".starting"
	runMarkerLen = 8 // random bytes in a marker's name
)

// runMarker is this server's marker, locked while it is open.
type runMarker struct {
	f    *os.File
	path string
}

// startRunMarker creates and locks this server's marker in dataDir. The file
// is locked before it gets its final name, so a marker under that name is
// always either held or dead, never one about to be locked.
func startRunMarker(dataDir string) (*runMarker, error) {
	dir := filepath.Join(dataDir, runDir)
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("run marker: %w", err)
	}
	b := make([]byte, runMarkerLen)
	if _, err := rand.Read(b); err != nil {
		return nil, err
	}
	base := filepath.Join(dir, hex.EncodeToString(b))
	f, err := os.OpenFile(base+startSuffix, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, fmt.Errorf("run marker: %w", err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		_ = os.Remove(base + startSuffix)
		return nil, fmt.Errorf("run marker: lock: %w", err)
	}
	if err := os.Rename(base+startSuffix, base+runSuffix); err != nil {
		_ = f.Close()
		_ = os.Remove(base + startSuffix)
		return nil, fmt.Errorf("run marker: %w", err)
	}
	if err := store.SyncPath(dir); err != nil {
		_ = f.Close()
		return nil, fmt.Errorf("run marker: %w", err)
	}
	return &runMarker{f: f, path: base + runSuffix}, nil
}

// finish removes the marker: the server stopped cleanly.
func (m *runMarker) finish() error {
	if m.f == nil {
		return nil
	}
	err := os.Remove(m.path)
	m.close()
	return err
}

// close releases the marker's lock and leaves the file, which then tells the
// next server that this one did not stop cleanly. Calls after the first, or
// after finish, do nothing.
func (m *runMarker) close() {
	if m.f != nil {
		_ = m.f.Close()
		m.f = nil
	}
}

// deadRuns returns the markers in dataDir that no process holds: servers
// that stopped without a clean shutdown. Markers left half-made by a server
// that died while starting (over a minute ago) are removed on the way.
func deadRuns(dataDir string) ([]string, error) {
	dir := filepath.Join(dataDir, runDir)
	entries, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var dead []string
	for _, e := range entries {
		name := e.Name()
		running, starting := strings.HasSuffix(name, runSuffix), strings.HasSuffix(name, startSuffix)
		if !running && !starting {
			continue
		}
		if info, err := e.Info(); starting && (err != nil || time.Since(info.ModTime()) < time.Minute) {
			continue // perhaps about to be locked by a server starting now
		}
		path := filepath.Join(dir, name)
		held, err := isHeld(path)
		if err != nil || held {
			continue // gone meanwhile, or alive
		}
		if starting {
			_ = os.Remove(path)
			continue
		}
		dead = append(dead, path)
	}
	return dead, nil
}

// isHeld reports whether a live process holds the lock on the file at path.
func isHeld(path string) (bool, error) {
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return false, err
	}
	defer f.Close()
	err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	if errors.Is(err, syscall.EWOULDBLOCK) {
		return true, nil
	}
	return false, err // a lock taken here is released by Close
}

// removeRuns removes the markers of dead runs once their consequences are
// dealt with.
func removeRuns(paths []string) error {
	var errs []error
	for _, p := range paths {
		if err := os.Remove(p); err != nil && !errors.Is(err, fs.ErrNotExist) {
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}
