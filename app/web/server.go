// Package web serves TODOs over HTTP: the landing site on the bare domain,
// each tenant's TODO app on {tenant}.{domain} and the admin host. It is the
// only package that imports fiber.
package web

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"sync/atomic"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"
	"github.com/gorilla/sessions"
	"github.com/valyala/fasthttp"

	"todos/app"
)

// Config is what the web layer needs to know about its deployment.
type Config struct {
	// Domain is the bare domain, e.g. "localhost" or "todos.example.com".
	Domain string
	// TrustedProxies lists proxy addresses whose X-Forwarded-* headers are
	// believed. Empty means none: X-Forwarded-Host is ignored.
	TrustedProxies []string
	// Keys signs cookies and CSRF tokens.
	Keys Keys
	// SessionLifetime is how long a tenant session lasts without use.
	SessionLifetime time.Duration
	// HandoffTTL is how long a sign-up handoff token is valid.
	HandoffTTL time.Duration
}

// Services are the domain services the handlers use.
type Services struct {
	Tenants  app.TenantService
	Lists    app.ListOpener
	Handoffs app.HandoffService
	// SessionStore keeps scs sessions (in the control-plane database).
	SessionStore scs.Store
	// PoolStats reports tenant pool counters; optional.
	PoolStats func() any
	// Ping reports whether the control-plane store answers.
	Ping func(ctx context.Context) error
}

// Server is the HTTP server of every host.
type Server struct {
	cfg      Config
	svc      Services
	logger   *slog.Logger
	views    *html.Engine
	sessions *scs.SessionManager
	flashes  *sessions.CookieStore
	limiter  *loginLimiter
	static   fs.FS
	csp      string

	root *fiber.App
	// The host apps' handlers, built once: fiber's Handler() rebuilds the
	// route tree on every call.
	siteHandler   fasthttp.RequestHandler
	tenantHandler fasthttp.RequestHandler
	adminHandler  fasthttp.RequestHandler

	ready atomic.Bool
}

// NewServer builds the server. views holds the templates (views/ contents)
// and static the assets (static/ contents).
func NewServer(cfg Config, svc Services, views, static fs.FS, logger *slog.Logger) *Server {
	if cfg.SessionLifetime == 0 {
		cfg.SessionLifetime = 14 * 24 * time.Hour
	}
	if cfg.HandoffTTL == 0 {
		cfg.HandoffTTL = time.Minute
	}
	s := &Server{cfg: cfg, svc: svc, logger: logger, static: static, csp: contentSecurityPolicy(cfg.Domain)}
	s.views = newViews(views)
	s.sessions = newSessionManager(svc.SessionStore, cfg.SessionLifetime)
	s.flashes = newFlashStore(cfg.Keys)
	s.limiter = newLoginLimiter(5, 50, 15*time.Minute)
	s.siteHandler = s.newHostApp(s.siteRoutes).Handler()
	s.tenantHandler = s.newHostApp(s.tenantRoutes).Handler()
	s.adminHandler = s.newHostApp(s.adminRoutes).Handler()
	s.root = s.newRootApp()
	return s
}

// App returns the root fiber app, which dispatches each request by host.
// Tests drive it with App().Test.
func (s *Server) App() *fiber.App { return s.root }

// SetReady marks the server ready (or not) for /healthz.
func (s *Server) SetReady(ok bool) { s.ready.Store(ok) }

// Serve accepts connections on ln until Shutdown is called.
func (s *Server) Serve(ln net.Listener) error {
	s.SetReady(true)
	return s.root.Listener(ln)
}

// Shutdown stops accepting connections and waits for in-flight requests,
// up to the context's deadline.
func (s *Server) Shutdown(ctx context.Context) error {
	s.SetReady(false)
	return s.root.ShutdownWithContext(ctx)
}
