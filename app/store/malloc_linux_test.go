//go:build linux && cgo

package store

import (
	"os"
	"testing"
)

func TestMallocArenasAreLimited(t *testing.T) {
	want := 1
	if _, ok := os.LookupEnv("MALLOC_ARENA_MAX"); ok {
		want = -1
	}
	if arenaLimit != want {
		t.Errorf("limiting malloc arenas returned %d, want %d", arenaLimit, want)
	}
}
