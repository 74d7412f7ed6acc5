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
		"path", logPath(c),
		"tenant", tenant,
		"status", c.Response().StatusCode(),
		"duration_ms", float64(elapsed.Microseconds())/1000,
		"ip", s.clientIP(c),
	)
	return nil
}

// requestLimits is the fasthttp hook that sets the limits of a request once
// its header is read, before its body. Every request keeps fiberConfig's
// limits except three on the admin host, and only when the header's session
// cookie names a live admin session (liveAdminSession): imports may send
// bodies up to Config.ImportMaxBytes (plus room for the multipart envelope)
// and take minutes to upload, exports minutes to download, and the event
// stream stays open for up to eventStreamMaxAge. Everyone else, signed in
// or not, never makes the server hold more than the normal body limit.
//
// The hook also tells boundRequestBody what it decided, in the
// bodyModeHeader it sets (after removing any a client sent): a declared
// body over the request's limit, and a body with a Content-Encoding
// (isEncoded), are refused before a byte of them is read, and a granted
// import keeps its body as a stream.
func (s *Server) requestLimits(h *fasthttp.RequestHeader) fasthttp.RequestConfig {
	h.Del(bodyModeHeader)
	var cfg fasthttp.RequestConfig
	route := longRouteOf(h, s.headerHost(h), s.cfg.Domain)
	if route != routeOrdinary && s.liveAdminSession(h) {
		switch route {
		case routeImport:
			cfg = fasthttp.RequestConfig{MaxRequestBodySize: s.importBodyLimit(), ReadTimeout: importReadTimeout}
		case routeExport:
			cfg = fasthttp.RequestConfig{WriteTimeout: exportWriteTimeout}
		case routeEvents:
			cfg = fasthttp.RequestConfig{WriteTimeout: eventStreamMaxAge + time.Minute}
		}
	}
	limit := s.bodyLimit
	if cfg.MaxRequestBodySize > 0 {
		limit = cfg.MaxRequestBodySize
	}
	switch {
	case h.ContentLength() > limit:
		refuseUnread(h, bodyTooLarge)
		return fasthttp.RequestConfig{}
	case hasBody(h) && isEncoded(h):
		refuseUnread(h, bodyEncoded)
		return fasthttp.RequestConfig{}
	case route == routeImport && cfg.MaxRequestBodySize > 0:
		h.Set(bodyModeHeader, bodyStreamed)
	}
	return cfg
}

// headerHost is the host a request header is addressed to.
// X-Forwarded-Host counts when any proxy is trusted: the hook does not
// know the peer. boundRequestBody checks the peer before it lets a body
// through as a stream.
func (s *Server) headerHost(h *fasthttp.RequestHeader) string {
	if len(s.cfg.TrustedProxies) > 0 {
		if fh := h.Peek(fiber.HeaderXForwardedHost); len(fh) > 0 {
			return strings.TrimSpace(strings.Split(string(fh), ",")[0])
		}
	}
	return string(h.Host())
}
