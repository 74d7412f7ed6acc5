//go:build linux && cgo

package store

/*
#include <malloc.h>
#include <stdlib.h>

static void todos_trim(void) { malloc_trim(0); }

static int todos_limit_arenas(int n) {
	if (getenv("MALLOC_ARENA_MAX") != NULL) {
		return -1; // the operator chose
	}
	return mallopt(M_ARENA_MAX, n);
}
*/
import "C"

import (
	"sync/atomic"
	"time"
)

// mallocArenas is how many malloc arenas glibc may keep for the database
// engine's native allocations. By default glibc gives threads up to eight
// arenas per core, and the engine's allocations from the many threads that
// cgo calls run on stay spread over them: measured with 1,000 open tenants
// at 100,000 on disk (scripts/bench.sh, case g), resident memory fell from
// 389 MB to 284 MB with MALLOC_ARENA_MAX=2 (docs/benchmarks.md). An
// operator's MALLOC_ARENA_MAX in the environment still wins.
const mallocArenas = 2

// arenaLimit is what limiting the arenas returned: 1 when set, -1 when
// MALLOC_ARENA_MAX chose instead, 0 when glibc refused.
var arenaLimit = int(C.todos_limit_arenas(mallocArenas))

// trimEvery is how often at most releaseNativeMemory gives freed memory
// back to the system.
const trimEvery = 10 * time.Second

// lastTrim is when releaseNativeMemory last ran (unix nanoseconds).
var lastTrim atomic.Int64

// releaseNativeMemory returns the engine's freed native memory to the
// system (malloc_trim), at most once per trimEvery. Closing tenant
// databases frees their caches and schemas inside glibc's arenas, which
// glibc keeps, scattered, for reuse: with tenants opening and closing all
// the time, resident memory would keep what the busiest moment needed.
func releaseNativeMemory() {
	now := time.Now().UnixNano()
	last := lastTrim.Load()
	if now-last < int64(trimEvery) || !lastTrim.CompareAndSwap(last, now) {
		return
	}
	C.todos_trim()
}
