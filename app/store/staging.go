package store

import (
	"context"
	"time"
)

// Staging is the local staging area of a provider whose databases live
// elsewhere (a libSQL server, Turso): copies and uploads are prepared in
// local files there before they are replayed into a remote database.
// Embedded in such a provider, it gives it Stage and RemoveStaged.
type Staging struct {
	local LocalProvider
}

// NewStaging returns the staging area in dir.
func NewStaging(dir string) Staging { return Staging{local: LocalProvider{Dir: dir}} }

// Stage returns a new, empty local file in the staging area.
func (s Staging) Stage(ctx context.Context) (string, error) { return s.local.Stage(ctx) }

// RemoveStaged deletes the staged files older than olderThan.
func (s Staging) RemoveStaged(ctx context.Context, olderThan time.Duration) (int, error) {
	return s.local.RemoveStaged(ctx, olderThan)
}

// StagedFile checks that path names a file made by Stage here (see
// LocalProvider.StagedFile).
func (s Staging) StagedFile(path string) (string, error) { return s.local.StagedFile(path) }

// RemoveStagedFile deletes the staged file at path and its companions.
func (s Staging) RemoveStagedFile(ctx context.Context, path string) error {
	return s.local.Remove(ctx, path)
}
