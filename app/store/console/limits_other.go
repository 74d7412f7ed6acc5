//go:build !linux

package console

import "time"

// limitProcess caps this (child) process on Linux only; elsewhere the
// parent's time limit is the only bound.
func limitProcess(maxMemory int64, cpu time.Duration) error { return nil }
