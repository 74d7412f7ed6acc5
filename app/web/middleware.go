package web

import (
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
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

// logRequests writes one structured line per request and counts it for
// the metrics.
func (s *Server) logRequests(c *fiber.Ctx) error {
	start := time.Now()
	err := c.Next()
	if err != nil {
		// Let this app's error handler write the response before logging.
		if herr := c.App().ErrorHandler(c, err); herr != nil {
			_ = c.SendStatus(fiber.StatusInternalServerError)
		}
	}
	kind, _ := classifyHost(s.requestHost(c), s.cfg.Domain)
	elapsed := time.Since(start)
	s.metrics.observe(kind, c.Response().StatusCode(), elapsed, start)
	tenant, _ := c.Locals(localTenantName).(string)
	s.logger.Info("request",
		"method", c.Method(),
		"host", string(c.Request().Host()),
		"path", c.Path(),
		"tenant", tenant,
		"status", c.Response().StatusCode(),
		"duration_ms", float64(elapsed.Microseconds())/1000,
		"ip", s.clientIP(c),
	)
	return nil
}

// requestLimits is the fasthttp hook that sets the limits of a request once
// its header is read, before its body. Every request keeps fiberConfig's
// limits except three on the admin host: imports may send bodies up to
// Config.ImportMaxBytes (plus room for the multipart envelope) and take
// minutes to upload, exports minutes to download, and the event stream
// stays open for up to eventStreamMaxAge. Only the header is known here,
// not the session: the admin app refuses such requests without one, but
// only after reading them.
func (s *Server) requestLimits(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	host := string(h.Host())
	if len(s.cfg.TrustedProxies) > 0 {
		if fh := h.Peek(fiber.HeaderXForwardedHost); len(fh) > 0 {
			host = strings.TrimSpace(strings.Split(string(fh), ",")[0])
		}
	}
	if kind, _ := classifyHost(host, s.cfg.Domain); kind != hostAdmin {
		return fasthttp.RequestConfig{}
	}
	path, _, _ := strings.Cut(string(h.RequestURI()), "?")
	switch {
	case h.IsPost() && path == "/tenants/import":
		return fasthttp.RequestConfig{
			MaxRequestBodySize: int(s.cfg.ImportMaxBytes) + 1<<20,
			ReadTimeout:        10 * time.Minute,
		}
	case h.IsGet() && strings.HasPrefix(path, "/tenants/") && strings.HasSuffix(path, "/export"):
		return fasthttp.RequestConfig{WriteTimeout: 10 * time.Minute}
	case h.IsGet() && path == "/events":
		return fasthttp.RequestConfig{WriteTimeout: eventStreamMaxAge + time.Minute}
	}
	return fasthttp.RequestConfig{}
}
