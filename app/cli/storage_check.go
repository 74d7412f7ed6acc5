package cli

import (
	"context"

	"todos/app/store"
)

// storageCheck is the server's storage check (web.Services.StorageCheck):
// whether the data directory dir can be written, and its free bytes.
func storageCheck(dir string) func(context.Context) (int64, error) {
	return func(context.Context) (int64, error) { return store.CheckStorage(dir) }
}
