package web

import (
	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// handleHealth handles "GET /healthz" on every host. It answers 503 until
// the server accepts requests and while the control-plane store does not
// answer, 200 otherwise. A full disk does not make it 503: each machine
// holds its own tenants' data, which no other machine can serve, so taking
// it out of a load balancer would stop reads as well as writes. It answers
// 200 with "status": "degraded" and "storage": "full" instead (see
// handleHealthWrites for a check that fails).
func (s *Server) handleHealth(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if !s.ready.Load() {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	if s.svc.Ping != nil {
		if err := s.svc.Ping(c.UserContext()); err != nil {
			s.logger.Error("health check", "error", err)
			return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
		}
	}
	body := fiber.Map{"status": "ok"}
	s.addStorageHealth(c, body)
	if s.svc.PoolCounters != nil {
		body["pool"] = s.svc.PoolCounters()
	}
	return c.JSON(body)
}

// handleHealthWrites handles "GET /healthz/writes" on every host: 200 when
// the server is ready and can write to its storage, 503 with the reason
// otherwise. It is the check for what must stop on a full disk (alerts, a
// proxy that sends writes elsewhere); /healthz keeps reads in service.
func (s *Server) handleHealthWrites(c *fiber.Ctx) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	if !s.ready.Load() {
		return c.Status(fiber.StatusServiceUnavailable).JSON(fiber.Map{"status": "unavailable"})
	}
	body := fiber.Map{"status": "ok"}
	if !s.addStorageHealth(c, body) {
		c.Status(fiber.StatusServiceUnavailable)
	}
	return c.JSON(body)
}

// addStorageHealth adds the storage check's result to a health body:
// "storage" is "ok", "full", "error" or "unknown" (no check configured),
// with "storage_free_bytes" when known. It reports whether the storage can
// be written (true when unknown); otherwise "status" becomes "degraded".
func (s *Server) addStorageHealth(c *fiber.Ctx, body fiber.Map) bool {
	st := s.checkStorage(c.UserContext())
	if st.FreeBytes >= 0 {
		body["storage_free_bytes"] = st.FreeBytes
	}
	switch {
	case !st.Known:
		body["storage"] = "unknown"
		return true
	case st.Writable:
		body["storage"] = "ok"
		return true
	case app.ErrorCode(st.Err) == app.EFULL:
		body["storage"] = "full"
	default:
		body["storage"] = "error"
	}
	s.logger.Warn("health check: storage cannot be written", "error", st.Err)
	body["status"] = "degraded"
	return false
}
