// Package web serves TODOs over HTTP: the landing site on the bare domain,
// each tenant's TODO app on {tenant}.{domain} and the admin host. It is the
// only package that imports fiber.
package web

import (
	"context"
	"io/fs"
	"log/slog"
	"net"
	"net/netip"
	"os"
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
	// ClientIPHeader names a header in which the trusted proxy puts the
	// client's address (e.g. "Fly-Client-IP"). It is believed only from a
	// trusted proxy; when set, X-Forwarded-For is not used for client
	// addresses. Empty: the rightmost untrusted X-Forwarded-For hop.
	ClientIPHeader string
	// Limits are the sign-in and sign-up limits. Unset sign-in limits take
	// their defaults; unset sign-up limits are off.
	Limits Limits
	// Keys signs cookies and CSRF tokens.
	Keys Keys
	// SessionLifetime is the longest a tenant session lasts, however much
	// it is used (default 30 days).
	SessionLifetime time.Duration
	// SessionIdleTimeout ends a tenant session unused for this long
	// (default 14 days).
	SessionIdleTimeout time.Duration
	// AdminSessionLifetime is the longest an admin session lasts (default
	// 12 hours); it also ends after adminIdleTimeout without use.
	AdminSessionLifetime time.Duration
	// SessionRenewEvery is how often at most a session in use has its idle
	// deadline moved, which writes it (default 5 minutes). Tenant sessions
	// are written to the tenant's own database, admin sessions to the
	// control plane.
	SessionRenewEvery time.Duration
	// HandoffTTL is how long a sign-up handoff token is valid.
	HandoffTTL time.Duration
	// TrashRetention is how long a deleted tenant stays in the trash before
	// it is purged; the admin app shows it (default 7 days).
	TrashRetention time.Duration
	// ImportMaxBytes is the largest database the admin app accepts for
	// import (default 50 MiB). Only an import by a signed-in admin may send
	// a body this large (plus 1 MiB for the form); every other request keeps
	// the 1 MiB limit.
	ImportMaxBytes int64
	// TempDir holds uploads while they are received and exports while they
	// are sent (serve uses DATA/tmp, prepared by PrepareTempDir); empty
	// means os.TempDir().
	TempDir string
	// LiveInterval is how often the admin app's live view polls for tenant
	// changes (default 1s).
	LiveInterval time.Duration
	// SMTPURL (smtp://user:password@host:587 or smtp://host:25) is where
	// forgot-password mails are sent from MailFrom. Empty: no mail; the
	// forgot page says to ask the operator, who issues reset links in the
	// admin app.
	SMTPURL, MailFrom string
	// Region is the region this instance runs in when requests are routed
	// by region (see region.go): a request for a tenant of another region
	// is answered with fly-replay. Empty: no routing, every region served.
	Region string
}

// Services are the domain services the handlers use.
type Services struct {
	Tenants  app.TenantService
	Lists    app.ListOpener
	Handoffs app.HandoffService
	// AdminSessionStore keeps admin sessions (in the control plane).
	// Tenant sessions need no store here: each lives in its tenant's own
	// database, reached through the request's TodoList.
	AdminSessionStore scs.CtxStore
	// PoolCounters reports the tenant pool's counters for /healthz, the
	// admin health panel and /metrics; optional.
	PoolCounters func() PoolCounters
	// Ping reports whether the control-plane store answers.
	Ping func(ctx context.Context) error
	// StorageCheck reports whether the data directory can be written (nil,
	// or an error with code app.EFULL when it is full) and its free bytes
	// (-1 when unknown), for /healthz and /metrics; optional.
	StorageCheck func(ctx context.Context) (freeBytes int64, err error)
	// ControlSync reports the syncs of a control plane kept as an embedded
	// replica of a shared primary, for /metrics; optional (nil, or
	// Replica false: the control plane is local).
	ControlSync func() ControlSyncCounters

	// The admin app's services. Without Admins the admin host answers
	// "not available"; with it, all are needed except Activity (without
	// it, no live updates and no activity chart).
	Admins         app.AdminService
	TenantAdmin    app.TenantAdmin
	Audit          app.AuditLog
	Console        app.Console
	ConsoleHistory app.ConsoleHistory
	Activity       app.ActivityStats
}

// adminIdleTimeout ends an admin session unused for this long.
const adminIdleTimeout = 2 * time.Hour

// Server is the HTTP server of every host.
type Server struct {
	cfg      Config
	svc      Services
	logger   *slog.Logger
	views    *html.Engine
	sessions *scs.SessionManager // tenant sessions, in each tenant's database
	// adminSessions manages admin sessions: same cookie name (host-only),
	// kept in the control plane, a shorter life.
	adminSessions *scs.SessionManager
	flashes       *sessions.CookieStore
	limiter       *loginLimiter
	signups       *signupLimiter
	resetLimits   *resetLimiter  // forgot-password requests
	mail          *mailer        // nil: no SMTP configured
	passwordSlots chan struct{}  // bounds concurrent password checks
	uploads       uploadSlots    // bounds concurrent uploads
	bodyLimit     int            // the normal request body limit, in bytes
	trusted       []netip.Prefix // proxies whose X-Forwarded-For is believed
	static        fs.FS
	csp           string

	root *fiber.App
	// The host apps' handlers, built once: fiber's Handler() rebuilds the
	// route tree on every call.
	siteHandler   fasthttp.RequestHandler
	tenantHandler fasthttp.RequestHandler
	adminHandler  fasthttp.RequestHandler

	metrics     *httpMetrics
	events      *tenantEvents
	consoleRuns consoleRuns // console queries that Cancel can stop

	ready atomic.Bool
}

// PoolCounters are the tenant pool's counters: open databases, capacity,
// acquires that found (Hits) or had to open (Misses) a database, and
// databases closed to stay within capacity.
type PoolCounters struct {
	Open, Capacity, Hits, Misses, Evictions int64
}

// ControlSyncCounters are a replica control plane's sync counters.
type ControlSyncCounters struct {
	Replica         bool      // the control plane is an embedded replica
	Syncs, Failures int64     // successful and failed syncs since start
	LastSync        time.Time // the last successful sync (zero: none)
}

// NewServer builds the server. views holds the templates (views/ contents)
// and static the assets (static/ contents).
func NewServer(cfg Config, svc Services, views, static fs.FS, logger *slog.Logger) *Server {
	if cfg.SessionLifetime == 0 {
		cfg.SessionLifetime = 30 * 24 * time.Hour
	}
	if cfg.SessionIdleTimeout == 0 {
		cfg.SessionIdleTimeout = 14 * 24 * time.Hour
	}
	if cfg.SessionRenewEvery == 0 {
		cfg.SessionRenewEvery = 5 * time.Minute
	}
	if cfg.AdminSessionLifetime == 0 {
		cfg.AdminSessionLifetime = 12 * time.Hour
	}
	if cfg.HandoffTTL == 0 {
		cfg.HandoffTTL = time.Minute
	}
	if cfg.TrashRetention == 0 {
		cfg.TrashRetention = 7 * 24 * time.Hour
	}
	if cfg.ImportMaxBytes == 0 {
		cfg.ImportMaxBytes = 50 << 20
	}
	if cfg.LiveInterval == 0 {
		cfg.LiveInterval = time.Second
	}
	if cfg.TempDir == "" {
		cfg.TempDir = os.TempDir()
	}
	s := &Server{cfg: cfg, svc: svc, logger: logger, static: static, csp: contentSecurityPolicy(cfg.Domain)}
	s.metrics = newHTTPMetrics()
	s.events = newTenantEvents(svc.Activity, cfg.LiveInterval, logger)
	s.views = newViews(views)
	s.sessions = newSessionManager(tenantSessionStore{}, sessionPolicy{
		Lifetime: cfg.SessionLifetime, IdleTimeout: cfg.SessionIdleTimeout}, logger)
	s.adminSessions = newSessionManager(svc.AdminSessionStore, sessionPolicy{
		Lifetime: cfg.AdminSessionLifetime, IdleTimeout: adminIdleTimeout}, logger)
	s.flashes = newFlashStore(cfg.Keys)
	s.limiter = newLoginLimiter(cfg.Limits)
	s.signups = newSignupLimiter(cfg.Limits.SignupPerHour, cfg.Limits.SignupGlobalPerHour)
	s.resetLimits = newResetLimiter()
	if m, err := newMailer(cfg.SMTPURL, cfg.MailFrom); err != nil {
		logger.Error("password reset mail is off", "error", err)
	} else {
		s.mail = m
	}
	s.passwordSlots = make(chan struct{}, passwordChecks)
	s.trusted = parsePrefixes(cfg.TrustedProxies)
	s.siteHandler = s.newHostApp(s.siteRoutes).Handler()
	s.tenantHandler = s.newHostApp(s.tenantRoutes).Handler()
	s.adminHandler = s.newHostApp(s.adminRoutes).Handler()
	s.root = s.newRootApp()
	// Per-request limits: a signed-in admin's import, export and event
	// stream get long ones, every other request keeps fiberConfig's limits.
	s.uploads = newUploadSlots(maxConcurrentUploads)
	s.limitRequests(s.root.Server())
	return s
}

// App returns the root fiber app, which dispatches each request by host.
// Tests drive it with App().Test.
func (s *Server) App() *fiber.App { return s.root }

// SetReady marks the server ready (or not) for /healthz.
func (s *Server) SetReady(ok bool) { s.ready.Store(ok) }

// Serve accepts connections on ln until Shutdown is called.
// It also starts the admin app's live-update broadcaster.
func (s *Server) Serve(ln net.Listener) error {
	s.SetReady(true)
	s.events.Start()
	return s.root.Listener(ln)
}

// Shutdown stops accepting connections and waits for in-flight requests,
// up to the context's deadline. Open event streams are ended first, so that
// they do not hold the shutdown until its deadline.
func (s *Server) Shutdown(ctx context.Context) error {
	s.SetReady(false)
	s.events.Stop()
	return s.root.ShutdownWithContext(ctx)
}
