package web

import (
	"net/http"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/fiber/v2/middleware/filesystem"
	"github.com/gofiber/fiber/v2/middleware/recover"
)

// Locals keys shared by the root app and the host apps (fiber locals live on
// the fasthttp request, so every app of one request sees them).
const (
	localTenantName = "tenant_name"
	localTenant     = "tenant"
	localList       = "list"
	localUser       = "user"
	localCSRF       = "csrf"
)

// errNothingHere answers requests for paths and hosts that do not exist.
var errNothingHere = fiber.NewError(fiber.StatusNotFound, "There is nothing at this address.")

// newRootApp builds the app that every request enters: logging, security
// headers, health, static assets, then dispatch to the app of its host.
func (s *Server) newRootApp() *fiber.App {
	a := fiber.New(s.fiberConfig())
	a.Use(s.logRequests)
	a.Use(recover.New())
	a.Use(s.securityHeaders)
	a.Get("/healthz", s.handleHealth)
	a.Get("/healthz/writes", s.handleHealthWrites)
	a.Use("/static", filesystem.New(filesystem.Config{
		Root:   http.FS(s.static),
		MaxAge: 3600,
	}))
	a.Use(s.dispatchByHost)
	return a
}

// fiberConfig is shared by every app so that proxies and limits agree.
func (s *Server) fiberConfig() fiber.Config {
	cfg := fiber.Config{
		DisableStartupMessage: true,
		ReadTimeout:           30 * time.Second,
		WriteTimeout:          30 * time.Second,
		IdleTimeout:           120 * time.Second,
		BodyLimit:             1 << 20,
		Views:                 s.views,
		ErrorHandler:          s.handleError,
	}
	// Always on: with no trusted proxies, X-Forwarded-Proto and -Host are
	// believed from nobody. Client addresses come from clientIP.
	cfg.EnableTrustedProxyCheck = true
	cfg.TrustedProxies = s.cfg.TrustedProxies
	return cfg
}

// newHostApp builds the app of one kind of host with its routes.
func (s *Server) newHostApp(routes func(fiber.Router)) *fiber.App {
	a := fiber.New(s.fiberConfig())
	routes(a)
	a.Use(func(c *fiber.Ctx) error { return errNothingHere })
	return a
}

// requestHost returns the host the client asked for: its Host header as
// sent (fasthttp's Request.Host parses it as a URL authority, which turns
// "localhost:80@evil.com" into "evil.com"), or the request target's host
// when there is no header. X-Forwarded-Host is believed only from a
// trusted proxy. classifyHost refuses what is not a host and port.
func (s *Server) requestHost(c *fiber.Ctx) string {
	if len(s.cfg.TrustedProxies) > 0 && c.IsProxyTrusted() {
		if fh := c.Get(fiber.HeaderXForwardedHost); fh != "" {
			return strings.TrimSpace(strings.Split(fh, ",")[0])
		}
	}
	if h := c.Request().Header.Host(); len(h) > 0 {
		return string(h)
	}
	return string(c.Request().Host())
}

// dispatchByHost hands the request to the app of its host.
func (s *Server) dispatchByHost(c *fiber.Ctx) error {
	kind, name := classifyHost(s.requestHost(c), s.cfg.Domain)
	switch kind {
	case hostSite:
		s.siteHandler(c.Context())
	case hostTenant:
		c.Locals(localTenantName, strings.Clone(name))
		s.tenantHandler(c.Context())
	case hostAdmin:
		s.adminHandler(c.Context())
	case hostInvalid:
		return errBadHost
	default:
		return errNothingHere
	}
	return nil
}
