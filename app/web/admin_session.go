package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// Session keys of an admin session. Admin sessions use the same cookie name
// as tenant sessions, but their cookie is host-only on the admin host, they
// are kept in the control plane and they never carry a tenant_id: tenant
// hosts require tenant_id, the admin host refuses it.
const (
	sessionAdminID = "admin_id"
	// sessionAdminSince is the admin's creation time (unix milliseconds):
	// with the id it names one account, so that an admin created later
	// with a removed admin's id (SQLite reuses the highest one) does not
	// inherit that admin's sessions.
	sessionAdminSince = "admin_since"
)

// ownedByAdmin reports whether a session may be used on the admin host: it
// carries nothing of a tenant's.
func (s *Server) ownedByAdmin(_ *fiber.Ctx, ctx context.Context) bool {
	return !s.adminSessions.Exists(ctx, sessionTenantID) && !s.adminSessions.Exists(ctx, sessionUserID)
}

// signInAdmin starts an admin session for a with a new token, against
// fixation.
func (s *Server) signInAdmin(c *fiber.Ctx, a *app.Admin) error {
	ctx := c.UserContext()
	if err := startSession(s.adminSessions, ctx); err != nil {
		return err
	}
	s.adminSessions.Put(ctx, sessionAdminID, a.ID)
	s.adminSessions.Put(ctx, sessionAdminSince, a.CreatedAt.UnixMilli())
	return nil
}

// signOutAdmin destroys the request's admin session and ends the event
// streams it has open in this process at once (streams in other processes
// notice within adminStreamRecheck).
func (s *Server) signOutAdmin(c *fiber.Ctx) error {
	ctx := c.UserContext()
	token := s.adminSessions.Token(ctx)
	if err := s.adminSessions.Destroy(ctx); err != nil {
		return err
	}
	if token != "" {
		s.events.EndSession(storeKey(token))
	}
	return nil
}

// sessionAdmin returns the admin of the request's session, or nil when the
// session is not an admin's (see adminOfSession).
func (s *Server) sessionAdmin(c *fiber.Ctx) (*app.Admin, error) {
	return s.adminOfSession(c.UserContext())
}

// adminOfSession returns the admin of the session loaded into ctx, or nil
// when it is not an admin's: no admin_id, a tenant_id, an admin that no
// longer exists, or another admin with the same id.
func (s *Server) adminOfSession(ctx context.Context) (*app.Admin, error) {
	if s.adminSessions.Exists(ctx, sessionTenantID) || s.adminSessions.Exists(ctx, sessionUserID) {
		return nil, nil
	}
	id, ok := s.adminSessions.Get(ctx, sessionAdminID).(int64)
	if !ok || id <= 0 {
		return nil, nil
	}
	a, err := s.svc.Admins.AdminByID(ctx, id)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	if since, ok := s.adminSessions.Get(ctx, sessionAdminSince).(int64); !ok || since != a.CreatedAt.UnixMilli() {
		return nil, nil
	}
	return a, nil
}

// adminSessionValid reports whether the admin session of token still
// belongs to admin adminID: it is stored and unexpired, and its admin
// exists. It reads the control plane (its read pool) and changes nothing;
// any error counts as not valid.
func (s *Server) adminSessionValid(token string, adminID int64) bool {
	// A fresh context: Load keeps a session already in the context.
	ctx, err := s.adminSessions.Load(context.Background(), token)
	if err != nil {
		return false
	}
	a, err := s.adminOfSession(ctx)
	return err == nil && a != nil && a.ID == adminID
}
