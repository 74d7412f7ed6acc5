package store_test

import (
	"path/filepath"
	"testing"

	"todos/app/internal/providertest"
	"todos/app/store"
)

// TestProviderContract runs the provider contract (app/internal/providertest)
// against local files. Their faults (a full disk, a read-only directory)
// have tests of their own.
func TestProviderContract(t *testing.T) {
	providertest.Run(t, func(t *testing.T) store.Provider {
		return store.LocalProvider{Dir: filepath.Join(t.TempDir(), "tenants")}
	})
}
