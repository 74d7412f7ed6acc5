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

func TestReleaseNativeMemoryIsRateLimited(t *testing.T) {
	lastTrim.Store(0)
	releaseNativeMemory()
	first := lastTrim.Load()
	if first == 0 {
		t.Fatal("the first call did not trim")
	}
	releaseNativeMemory()
	if lastTrim.Load() != first {
		t.Error("a second call within trimEvery trimmed again")
	}
}
