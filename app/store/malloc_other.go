//go:build !(linux && cgo)

package store

// releaseNativeMemory does nothing where glibc's malloc_trim is not known
// to be there.
func releaseNativeMemory() {}
