package store

import (
	"errors"
	"fmt"
	"os"
	"syscall"

	"todos/app"
)

// storageProbeBytes is what CheckStorage writes when free space is low: a
// few SQLite commits' worth.
const storageProbeBytes = 64 << 10

// storageRoomy is the free space above which CheckStorage writes nothing.
const storageRoomy = 64 << 20

// CheckStorage reports whether files can be written in dir (the data
// directory) and the bytes free there for this process (-1 when the system
// does not say). With less than 64 MiB free it writes, and removes, a
// 64 KiB file to find out: it returns EFULL when that fails for lack of
// space, and the failure otherwise.
func CheckStorage(dir string) (free int64, err error) {
	free = freeBytes(dir)
	if free >= storageRoomy {
		return free, nil
	}
	f, err := os.CreateTemp(dir, ".storage-check-*")
	if err != nil {
		return free, storageCheckError(err)
	}
	defer os.Remove(f.Name())
	_, werr := f.Write(make([]byte, storageProbeBytes))
	cerr := f.Close()
	return free, storageCheckError(errors.Join(werr, cerr))
}

// storageCheckError is err as EFULL when it says the disk is full.
func storageCheckError(err error) error {
	if err == nil {
		return nil
	}
	if isStorageFull(err) {
		return app.StorageFull(err)
	}
	return fmt.Errorf("storage check: %w", err)
}

// freeBytes returns the bytes available to this process on the file system
// of dir, or -1.
func freeBytes(dir string) int64 {
	var st syscall.Statfs_t
	if err := syscall.Statfs(dir, &st); err != nil {
		return -1
	}
	return int64(st.Bavail) * int64(st.Bsize) // Bsize: int64 on Linux, uint32 on macOS
}
