package web

import (
	"context"
	"strings"
	"time"

	"github.com/valyala/fasthttp"
)

// The long limits of the admin host's long routes (see requestLimits).
const (
	importReadTimeout  = 10 * time.Minute
	exportWriteTimeout = 10 * time.Minute
	// importEnvelope is room for an import's fields and multipart framing
	// on top of the file itself.
	importEnvelope = 1 << 20
	// grantCheckTimeout bounds the session lookup the hook makes.
	grantCheckTimeout = 5 * time.Second
)

// longRoute names the admin routes that may get longer limits than the
// rest, for a signed-in admin.
type longRoute int

const (
	routeOrdinary longRoute = iota
	routeImport             // POST /tenants/import: a large body, read for minutes
	routeExport             // POST /tenants/NAME/export: a download of minutes
	routeEvents             // GET /events: a stream open for half an hour
)

// longRouteOf returns which long route a request is for, given the host it
// is addressed to. It matches the path as sent: a path written another way
// gets the ordinary limits, which is the safe side.
func longRouteOf(h *fasthttp.RequestHeader, host, domain string) longRoute {
	if kind, _ := classifyHost(host, domain); kind != hostAdmin {
		return routeOrdinary
	}
	path, _, _ := strings.Cut(string(h.RequestURI()), "?")
	switch {
	case h.IsPost() && path == "/tenants/import":
		return routeImport
	case h.IsPost() && isExportPath(path):
		return routeExport
	case h.IsGet() && path == "/events":
		return routeEvents
	}
	return routeOrdinary
}

// isExportPath reports whether path is "/tenants/NAME/export".
func isExportPath(path string) bool {
	name, ok := strings.CutPrefix(path, "/tenants/")
	if !ok {
		return false
	}
	name, ok = strings.CutSuffix(name, "/export")
	return ok && name != "" && !strings.Contains(name, "/")
}

// importBodyLimit is the largest body an import request may send: the
// largest file plus its envelope.
func (s *Server) importBodyLimit() int { return int(s.cfg.ImportMaxBytes) + importEnvelope }

// liveAdminSession reports whether the session cookie of a request header
// names a session the admin app would accept now: stored, unexpired, past
// neither its idle nor its absolute end, of an admin who still exists. It
// reads the control plane and changes nothing; any error counts as no.
func (s *Server) liveAdminSession(h *fasthttp.RequestHeader) bool {
	if s.svc.Admins == nil {
		return false
	}
	token := string(h.Cookie(sessionCookie))
	if token == "" {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), grantCheckTimeout)
	defer cancel()
	sctx, err := s.adminSessions.Load(ctx, token)
	if err != nil || !s.adminSessions.Deadline(sctx).After(time.Now()) {
		return false
	}
	a, err := s.adminOfSession(sctx)
	if err != nil {
		s.logger.Warn("checking the admin session of a long request", "error", err)
	}
	return err == nil && a != nil
}
