package web

import (
	"io/fs"
	"testing/fstest"
)

// overlayFS is base with some files replaced (by their contents).
type overlayFS struct {
	base  fs.FS
	files map[string]string
}

// Open opens a replaced file, or base's.
func (o overlayFS) Open(name string) (fs.File, error) {
	if s, ok := o.files[name]; ok {
		return fstest.MapFS{name: {Data: []byte(s)}}.Open(name)
	}
	return o.base.Open(name)
}
