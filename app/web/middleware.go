package web

import (
	"time"

	"github.com/gofiber/fiber/v2"
)

// contentSecurityPolicy allows scripts and styles from this host only: no
// inline script, no framing. Forms may post to this host and redirect to
// the product's other hosts (sign-up lands on the new tenant's host).
func contentSecurityPolicy(domain string) string {
	return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; form-action 'self' " + domain + ":* *." + domain + ":*; " +
		"base-uri 'none'; object-src 'none'; frame-ancestors 'none'"
}

// securityHeaders sets the headers every response carries.
func (s *Server) securityHeaders(c *fiber.Ctx) error {
	c.Set("Content-Security-Policy", s.csp)
	c.Set("X-Content-Type-Options", "nosniff")
	c.Set("X-Frame-Options", "DENY")
	c.Set("Referrer-Policy", "same-origin")
	c.Set("Cross-Origin-Opener-Policy", "same-origin")
	return c.Next()
}

// logRequests writes one structured line per request.
func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		// Let this app's error handler write the response before logging.
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	tenant, _ := c.Locals(localTenantName).(string)
	s.logger.Info("request",
		"method", c.Method(),
		"host", string(c.Request().Host()),
		"path", c.Path(),
		"tenant", tenant,
		"status", c.Response().StatusCode(),
		"duration_ms", float64(time.Since(start).Microseconds())/1000,
		"ip", c.IP(),
	)
	return nil
}
