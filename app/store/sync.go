package store

import "os"

// SyncPath flushes the file or directory at path to disk. After a file is
// created, renamed or removed, syncing its directory makes the change of
// name durable.
func SyncPath(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}
