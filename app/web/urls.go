package web

import (
	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// Absolute URLs (redirects to another host, links between hosts) are built
// here, from validated parts only: the scheme "http" or "https", the
// configured domain, a valid tenant name and the request's port when it is
// a decimal number in 1..65535. Nothing else of the Host or
// X-Forwarded-* headers reaches a URL.

// publicScheme returns the scheme the client used: "https" when the
// connection is TLS or a trusted proxy says so, else "http". Any other
// value a proxy sends counts as "http".
func publicScheme(c *fiber.Ctx) string {
	if c.Protocol() == "https" {
		return "https"
	}
	return "http"
}

// publicPort returns ":port" when the request's host (Host, or
// X-Forwarded-Host from a trusted proxy) names a valid port, else "".
func (s *Server) publicPort(c *fiber.Ctx) string {
	if _, port, ok := splitHost(s.requestHost(c)); ok && port != "" {
		return ":" + port
	}
	return ""
}

// siteURL returns the URL of the landing site, on the scheme and port the
// request came in on.
func (s *Server) siteURL(c *fiber.Ctx) string {
	return publicScheme(c) + "://" + s.cfg.Domain + s.publicPort(c) + "/"
}

// tenantURL returns the URL of tenant name's host, on the scheme and port
// the request came in on. A name that is not a host label (never one the
// store holds) gives the landing site's URL without its "/". Names refused
// for new tenants but still plain labels (a tenant "xn--…" created before
// the rule) keep their URL: its host answers "no list here".
func (s *Server) tenantURL(c *fiber.Ctx, name string) string {
	host := s.cfg.Domain
	if app.IsHostLabel(name) {
		host = name + "." + host
	}
	return publicScheme(c) + "://" + host + s.publicPort(c)
}
