package app

import (
	"errors"
	"strings"
	"syscall"
)

// IsStorageFull reports whether err says that the storage is full. A full
// disk reaches the program in two forms: SQLite's SQLITE_FULL, which
// go-libsql only exposes as the text "database or disk is full", and the
// operating system's ENOSPC from file operations, as a syscall.Errno or,
// through the engine, as its text.
func IsStorageFull(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, syscall.ENOSPC) || ErrorCode(err) == EFULL {
		return true
	}
	msg := strings.ToLower(err.Error())
	return strings.Contains(msg, "database or disk is full") || strings.Contains(msg, "no space left on device")
}
