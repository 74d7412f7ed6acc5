package web

import (
	"context"

	"todos/app"
)

// storageState is what /healthz and /metrics say about the storage.
type storageState struct {
	Known     bool  // a storage check is configured
	Writable  bool  // the check could write
	FreeBytes int64 // free space for the process, -1 when unknown
	Err       error // why it could not write
}

// checkStorage runs the configured storage check (Services.StorageCheck).
func (s *Server) checkStorage(ctx context.Context) storageState {
	if s.svc.StorageCheck == nil {
		return storageState{FreeBytes: -1}
	}
	free, err := s.svc.StorageCheck(ctx)
	return storageState{Known: true, Writable: err == nil, FreeBytes: free, Err: err}
}

// countStorageFull counts err if it is a write refused because the storage
// is full.
func (s *Server) countStorageFull(err error) {
	if app.ErrorCode(err) == app.EFULL {
		s.metrics.storageFull.Add(1)
	}
}

// storageWriteFailures is every write refused for lack of space: answered
// 507, or a session kept in memory instead of its database.
func (s *Server) storageWriteFailures() int64 {
	n := s.metrics.storageFull.Load()
	for _, sp := range []*spillStore{sessionSpill(s.sessions), sessionSpill(s.adminSessions)} {
		if sp != nil {
			n += sp.spills.Load()
		}
	}
	return n
}

// sessionsInMemory is the number of sessions kept in memory because their
// database was full.
func (s *Server) sessionsInMemory() int64 {
	var n int64
	for _, sp := range []*spillStore{sessionSpill(s.sessions), sessionSpill(s.adminSessions)} {
		if sp != nil {
			n += int64(sp.len())
		}
	}
	return n
}
