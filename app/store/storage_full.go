package store

import "todos/app"

// isStorageFull reports whether err says that the storage is full.
func isStorageFull(err error) bool { return app.IsStorageFull(err) }

// storageError returns err as app.EFULL (with the user message of
// app.StorageFull and err as its cause) when it says the storage is full,
// and err unchanged otherwise. Every write of the store returns its error
// through it, so that the web layer can answer "storage full" rather than
// "something went wrong".
func storageError(err error) error {
	if err == nil || app.ErrorCode(err) == app.EFULL || !isStorageFull(err) {
		return err
	}
	return app.StorageFull(err)
}
