package web

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"errors"
	"log/slog"
	"strings"
	"time"

	"github.com/alexedwards/scs/v2"
	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// Session keys. A session belongs to exactly one tenant, or is an admin's.
const (
	sessionCookie   = "todos_session"
	sessionTenantID = "tenant_id"
	sessionUserID   = "user_id"
	// sessionRenewed is when the session's idle deadline was last moved
	// (unix milliseconds).
	sessionRenewed = "renewed"
)

// Session lifetime policy. A session ends at the first of:
//   - its idle timeout after it was last renewed (the idle deadline is kept
//     as the record's expiry in the store, so an idle session is simply not
//     found), and
//   - its absolute lifetime after sign-in, however much it is used.
//
// Use slides the idle deadline, but at most once per renew interval: most
// requests read their session and write nothing.
type sessionPolicy struct {
	Lifetime    time.Duration // absolute
	IdleTimeout time.Duration
}

// newSessionManager configures scs for policy p with sessions kept in store,
// or in memory while store is full (spillStore). scs's own idle timeout
// stays off: it would rewrite the session on every request. Tokens reach
// the store hashed (SHA-256), so no store holds a live token. Cookies are
// written by loadSessionFor, not by scs, because scs's own middleware is
// net/http.
func newSessionManager(store scs.CtxStore, p sessionPolicy, logger *slog.Logger) *scs.SessionManager {
	sm := scs.New()
	sm.Store = idleStore{inner: newSpillStore(store, p.Lifetime, logger), idle: p.IdleTimeout}
	sm.Lifetime = p.Lifetime
	sm.HashTokenInStore = true
	sm.Codec = sessionCodec{}
	sm.Cookie.Name = sessionCookie
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = 2 // http.SameSiteLaxMode
	return sm
}

// storeKey is what scs hands the stores for a session token (with
// HashTokenInStore): its SHA-256, base64url-encoded.
func storeKey(token string) string {
	sum := sha256.Sum256([]byte(token))
	return base64.RawURLEncoding.EncodeToString(sum[:])
}

// idleStore stores each session with an expiry no later than the idle
// timeout from now: a session not renewed within it is gone.
type idleStore struct {
	inner scs.CtxStore
	idle  time.Duration
}

// FindCtx returns the session's data if it is neither idle nor expired.
func (s idleStore) FindCtx(ctx context.Context, key string) ([]byte, bool, error) {
	return s.inner.FindCtx(ctx, key)
}

// CommitCtx stores the session until the earlier of expiry and the idle
// deadline.
func (s idleStore) CommitCtx(ctx context.Context, key string, b []byte, expiry time.Time) error {
	if idle := time.Now().Add(s.idle); s.idle > 0 && idle.Before(expiry) {
		expiry = idle
	}
	return s.inner.CommitCtx(ctx, key, b, expiry)
}

// DeleteCtx removes the session.
func (s idleStore) DeleteCtx(ctx context.Context, key string) error {
	return s.inner.DeleteCtx(ctx, key)
}

// Find is FindCtx without a context (scs calls the Ctx methods).
func (s idleStore) Find(key string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), key)
}

// Commit is CommitCtx without a context.
func (s idleStore) Commit(key string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), key, b, expiry)
}

// Delete is DeleteCtx without a context.
func (s idleStore) Delete(key string) error { return s.DeleteCtx(context.Background(), key) }

// tenantSessionStore is the scs store of tenant sessions: each request's
// sessions are read from and written to the database of the tenant it is
// for, which openList puts in the request's context. Without one there is no
// session to find, and none may be stored.
type tenantSessionStore struct{}

// errNoTenantSessions is the error of a session write outside a tenant's
// request.
var errNoTenantSessions = errors.New("web: no tenant database for this session")

// FindCtx reads the session from the request's tenant database.
func (tenantSessionStore) FindCtx(ctx context.Context, key string) ([]byte, bool, error) {
	r := app.SessionRecordsFromContext(ctx)
	if r == nil {
		return nil, false, nil
	}
	return r.FindSession(ctx, key)
}

// CommitCtx writes the session to the request's tenant database.
func (tenantSessionStore) CommitCtx(ctx context.Context, key string, b []byte, expiry time.Time) error {
	r := app.SessionRecordsFromContext(ctx)
	if r == nil {
		return errNoTenantSessions
	}
	return r.CommitSession(ctx, key, b, expiry)
}

// DeleteCtx removes the session from the request's tenant database.
func (tenantSessionStore) DeleteCtx(ctx context.Context, key string) error {
	r := app.SessionRecordsFromContext(ctx)
	if r == nil {
		return errNoTenantSessions
	}
	return r.DeleteSession(ctx, key)
}

// Find is FindCtx without a request: no tenant, no session.
func (s tenantSessionStore) Find(key string) ([]byte, bool, error) {
	return s.FindCtx(context.Background(), key)
}

// Commit is CommitCtx without a request: refused.
func (s tenantSessionStore) Commit(key string, b []byte, expiry time.Time) error {
	return s.CommitCtx(context.Background(), key, b, expiry)
}

// Delete is DeleteCtx without a request: refused.
func (s tenantSessionStore) Delete(key string) error { return s.DeleteCtx(context.Background(), key) }

// loadSessionFor returns the scs middleware for fiber: it loads the session
// named by the cookie into the request context, slides its idle deadline if
// it is due (at most once per renew interval), runs the handler, then
// commits the session and writes (or expires) the cookie if it changed. A
// session that owns says belongs elsewhere (its cookie copied from another
// host) is set aside for an empty one, neither used nor changed.
//
// A failed commit of a session that kept its token is logged and counted,
// not returned: only its idle deadline moved (handlers change a session's
// data only when they begin one, with a new token), the request's own work
// is done and may be a committed write, so it must not be answered as an
// error; the deadline moves on a later request. A failed commit of a
// session the handler began (a sign-in) is the request's error.
func (s *Server) loadSessionFor(sm *scs.SessionManager, renewEvery time.Duration,
	owns func(c *fiber.Ctx, ctx context.Context) bool) fiber.Handler {
	return func(c *fiber.Ctx) error {
		base := c.UserContext()
		token := strings.Clone(c.Cookies(sessionCookie))
		ctx, err := sm.Load(base, token)
		if err != nil || !owns(c, ctx) {
			if err != nil {
				s.logger.Warn("session load", "error", err)
			}
			if ctx, err = sm.Load(base, ""); err != nil {
				return err
			}
		} else if sm.Exists(ctx, sessionRenewed) {
			// A stored session: its renewal must not bring it back if it
			// is deleted meanwhile (signed out in another tab).
			ctx = app.NewContextWithLoadedSession(ctx, storeKey(token))
		}
		renewIfDue(sm, ctx, renewEvery, time.Now())
		loaded := sm.Token(ctx)
		c.SetUserContext(ctx)
		herr := c.Next()
		ctx = c.UserContext()
		if err := saveSession(c, sm, ctx); err != nil {
			if loaded != "" && sm.Token(ctx) == loaded {
				s.metrics.sessionSaveFailures.Add(1)
				s.logger.Warn("session renewal not saved; the request is answered all the same",
					"host", string(c.Request().Host()), "path", logPath(c), "error", err)
				return herr
			}
			// The handler's answer (a redirect after sign-in) is replaced
			// by the error's.
			c.Response().Header.Del(fiber.HeaderLocation)
			c.Response().Header.Del("HX-Redirect")
			return err
		}
		return herr
	}
}

// renewIfDue moves a signed-in session's idle deadline forward when it was
// last moved renewEvery or longer ago. Putting the time marks the session
// modified, so it is committed (with a new idle expiry) after the request.
func renewIfDue(sm *scs.SessionManager, ctx context.Context, renewEvery time.Duration, now time.Time) {
	if !sm.Exists(ctx, sessionRenewed) {
		return // an empty session: nothing to keep alive
	}
	if last := time.UnixMilli(sm.GetInt64(ctx, sessionRenewed)); now.Sub(last) >= renewEvery {
		sm.Put(ctx, sessionRenewed, now.UnixMilli())
	}
}

// startSession gives the request's session a new token (against fixation),
// drops what it held and marks it renewed now.
func startSession(sm *scs.SessionManager, ctx context.Context) error {
	if err := sm.Clear(ctx); err != nil {
		return err
	}
	if err := sm.RenewToken(ctx); err != nil {
		return err
	}
	sm.Put(ctx, sessionRenewed, time.Now().UnixMilli())
	return nil
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
	if err := startSession(s.sessions, ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, sessionTenantID, tenantID)
	s.sessions.Put(ctx, sessionUserID, userID)
	s.describeSession(c)
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
