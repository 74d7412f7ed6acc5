package web

import (
	"bytes"

	"github.com/gofiber/fiber/v2"
)

// writeStorageMetrics writes the storage's metrics: writes refused for
// lack of space, session saves that failed quietly, sessions kept in
// memory, and the storage check's result when one is configured.
func (s *Server) writeStorageMetrics(c *fiber.Ctx, b *bytes.Buffer) {
	writeMetric(b, "todos_storage_write_failures_total", "counter",
		"Writes that failed because the storage was full: answered 507, or sessions kept in memory instead.",
		s.storageWriteFailures())
	writeMetric(b, "todos_session_save_failures_total", "counter",
		"Session renewals that could not be saved and were logged instead of failing their request.",
		s.metrics.sessionSaveFailures.Load())
	writeMetric(b, "todos_sessions_in_memory", "gauge",
		"Sessions (and sign-outs) kept in memory because their database was full; a restart forgets them.",
		s.sessionsInMemory())
	st := s.checkStorage(c.UserContext())
	if !st.Known {
		return
	}
	writable := int64(0)
	if st.Writable {
		writable = 1
	}
	writeMetric(b, "todos_storage_writable", "gauge", "1 if the data directory can be written, 0 if not (full).", writable)
	if st.FreeBytes >= 0 {
		writeMetric(b, "todos_storage_free_bytes", "gauge", "Bytes free for the server in the data directory.", st.FreeBytes)
	}
}
