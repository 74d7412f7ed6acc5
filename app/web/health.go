package web

import (
	"github.com/gofiber/fiber/v2"
)

// handleHealth handles "GET /healthz" on every host. It answers 200 once the
// control-plane store answers and the server accepts requests, 503 otherwise.
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
	if s.svc.PoolCounters != nil {
		body["pool"] = s.svc.PoolCounters()
	}
	return c.JSON(body)
}
