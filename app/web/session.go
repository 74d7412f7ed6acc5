package web

import (
	"context"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gofiber/fiber/v2"
)

// Session keys. A session belongs to exactly one tenant.
const (
	sessionCookie   = "todos_session"
	sessionTenantID = "tenant_id"
	sessionUserID   = "user_id"
)

// newSessionManager configures scs. Cookies are written by loadSession, not by
// scs, because scs's own middleware is net/http.
func newSessionManager(store scs.Store, lifetime, idle time.Duration) *scs.SessionManager {
	sm := scs.New()
	sm.Store = store
	sm.Lifetime = lifetime
	sm.IdleTimeout = idle
	sm.Cookie.Name = sessionCookie
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = 2 // http.SameSiteLaxMode
	return sm
}

// loadSessionFor returns the scs middleware for fiber: it loads the session
// named by the cookie into the request context, runs the handler, then
// commits the session and writes (or expires) the cookie. A session that owns
// says belongs elsewhere (its cookie copied from another host) is set aside
// for an empty one, neither used nor changed.
func (s *Server) loadSessionFor(sm *scs.SessionManager, owns func(c *fiber.Ctx, ctx context.Context) bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		base := c.UserContext()
		ctx, err := sm.Load(base, strings.Clone(c.Cookies(sessionCookie)))
		if err != nil || !owns(c, ctx) {
			if err != nil {
				s.logger.Warn("session load", "error", err)
			}
			if ctx, err = sm.Load(base, ""); err != nil {
				return err
			}
		}
		c.SetUserContext(ctx)
		herr := c.Next()
		if err := saveSession(c, sm, c.UserContext()); err != nil {
			return err
		}
		return herr
	}
}

// ownedByTenant reports whether a session may be used on the current
// tenant's host: it is empty, or it is a session of this tenant.
func (s *Server) ownedByTenant(c *fiber.Ctx, ctx context.Context) bool {
	if s.sessions.Exists(ctx, sessionAdminID) {
		return false
	}
	return !s.sessions.Exists(ctx, sessionTenantID) || s.sessions.GetString(ctx, sessionTenantID) == tenantOf(c).ID
}

// saveSession commits a modified session and sets its cookie, or expires the
// cookie of a destroyed one.
func saveSession(c *fiber.Ctx, sm *scs.SessionManager, ctx context.Context) error {
	switch sm.Status(ctx) {
	case scs.Modified:
		token, expiry, err := sm.Commit(ctx)
		if err != nil {
			return err
		}
		c.Cookie(&fiber.Cookie{
			Name:     sessionCookie,
			Value:    token,
			Path:     "/",
			Expires:  expiry,
			HTTPOnly: true,
			Secure:   c.Protocol() == "https",
			SameSite: fiber.CookieSameSiteLaxMode,
		})
	case scs.Destroyed:
		c.Cookie(&fiber.Cookie{
			Name:     sessionCookie,
			Value:    "",
			Path:     "/",
			Expires:  time.Unix(1, 0),
			MaxAge:   -1,
			HTTPOnly: true,
			Secure:   c.Protocol() == "https",
			SameSite: fiber.CookieSameSiteLaxMode,
		})
	}
	return nil
}

// signIn starts a fresh session (new token, against fixation) for a user of
// the current tenant.
func (s *Server) signIn(c *fiber.Ctx, tenantID string, userID int64) error {
	ctx := c.UserContext()
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionTenantID, tenantID)
	s.sessions.Put(ctx, sessionUserID, userID)
	return nil
}

// signOut destroys the session of sm server-side.
func signOut(c *fiber.Ctx, sm *scs.SessionManager) error {
	return sm.Destroy(c.UserContext())
}

// sessionUser returns the user id of the session if, and only if, the session
// belongs to tenantID. A session of another tenant counts as none.
func (s *Server) sessionUser(c *fiber.Ctx, tenantID string) (int64, bool) {
	ctx := c.UserContext()
	if s.sessions.GetString(ctx, sessionTenantID) != tenantID {
		return 0, false
	}
	id, ok := s.sessions.Get(ctx, sessionUserID).(int64)
	return id, ok && id > 0
}
