package web

import (
	"hash/maphash"
	"time"
)

// limitTable holds limiter state per key (an account, a client, or both)
// within a fixed number of entries, so that a stranger who rotates account
// names or client addresses cannot grow it without bound. Keys are stored
// as 64-bit hashes with a per-table random seed: an entry costs the same
// whatever the key's length, and collisions cannot be aimed at. It is not
// safe for concurrent use: its limiter's mutex guards it.
type limitTable[V any] struct {
	seed    maphash.Seed
	entries map[uint64]V
	max     int
	// idle reports whether an entry holds nothing worth keeping at now (its
	// window has ended): such entries are swept.
	idle      func(v V, now time.Time) bool
	sweepEach time.Duration
	lastSweep time.Time
	// evictions counts entries dropped while still useful, because the
	// table was full.
	evictions int
}

// newLimitTable returns a table of at most max entries that sweeps idle
// entries every sweepEach, and sooner when it is full.
func newLimitTable[V any](max int, sweepEach time.Duration, idle func(V, time.Time) bool) *limitTable[V] {
	return &limitTable[V]{seed: maphash.MakeSeed(), entries: map[uint64]V{}, max: max, idle: idle, sweepEach: sweepEach}
}

// key returns the table key of the parts, which are joined unambiguously.
func (t *limitTable[V]) key(parts ...string) uint64 {
	var h maphash.Hash
	h.SetSeed(t.seed)
	for _, p := range parts {
		h.WriteString(p)
		h.WriteByte(0)
	}
	return h.Sum64()
}

// get returns the entry of k, or the zero value.
func (t *limitTable[V]) get(k uint64) V { return t.entries[k] }

// put stores v under k. A new key in a full table first sweeps idle entries
// (at most once a second while full) and then, if the table is still full,
// drops an arbitrary entry: the table never exceeds max.
func (t *limitTable[V]) put(k uint64, v V, now time.Time) {
	if now.Sub(t.lastSweep) >= t.sweepEach {
		t.sweep(now)
	}
	if _, ok := t.entries[k]; !ok && len(t.entries) >= t.max {
		if now.Sub(t.lastSweep) >= time.Second {
			t.sweep(now)
		}
		for victim := range t.entries {
			if len(t.entries) < t.max {
				break
			}
			delete(t.entries, victim)
			t.evictions++
		}
	}
	t.entries[k] = v
}

// remove forgets k.
func (t *limitTable[V]) remove(k uint64) { delete(t.entries, k) }

// sweep drops the idle entries.
func (t *limitTable[V]) sweep(now time.Time) {
	for k, v := range t.entries {
		if t.idle(v, now) {
			delete(t.entries, k)
		}
	}
	t.lastSweep = now
}

// len returns the number of entries.
func (t *limitTable[V]) len() int { return len(t.entries) }
