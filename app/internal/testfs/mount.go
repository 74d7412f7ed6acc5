package testfs

import (
	"os"
	"os/exec"
	"testing"
	"time"
)

// Mount mounts a tmpfs of size (e.g. "2m", as mount's size= option reads
// it) on a new directory, mode 0700, and returns the directory. It is
// unmounted when the test ends, after the cleanups registered later (a
// server or pool closing its files) have run. Mount skips the test when not
// root or when the mount fails.
func Mount(t testing.TB, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("full-disk test: needs root to mount a tmpfs")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("full-disk test: mount tmpfs: %v: %s", err, out)
	}
	t.Cleanup(func() { unmount(t, dir) })
	return dir
}

// unmount unmounts dir. go-libsql may finish closing a database file
// shortly after Close returns (docs/engine-traps.md), so a busy mount is
// tried again for a few seconds, then detached lazily (it goes when the
// last file closes).
func unmount(t testing.TB, dir string) {
	t.Helper()
	var out []byte
	var err error
	for range 50 {
		if out, err = exec.Command("umount", dir).CombinedOutput(); err == nil {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	if lout, lerr := exec.Command("umount", "-l", dir).CombinedOutput(); lerr != nil {
		t.Errorf("umount %s: %v: %s; umount -l: %v: %s", dir, err, out, lerr, lout)
	}
}
