package sqldtest

import (
	"io"
	"strings"
	"sync"
)

// Buffer collects output written from several goroutines (a process's
// output, a logger's lines); tests of other packages use it too.
type Buffer struct {
	mu sync.Mutex
	b  strings.Builder
}

// Write appends p.
func (l *Buffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// String returns everything written so far.
func (l *Buffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// stringsReader returns a reader of s.
func stringsReader(s string) io.Reader { return strings.NewReader(s) }
