package web

import (
	"context"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// sessionAdminID is the session key of an admin session. Admin sessions use
// the same cookie name as tenant sessions, but their cookie is host-only on
// the admin host, they are kept in the control plane and they never carry a
// tenant_id: tenant hosts require tenant_id, the admin host refuses it.
const sessionAdminID = "admin_id"

// ownedByAdmin reports whether a session may be used on the admin host: it
// carries nothing of a tenant's.
func (s *Server) ownedByAdmin(_ *fiber.Ctx, ctx context.Context) bool {
	return !s.adminSessions.Exists(ctx, sessionTenantID) && !s.adminSessions.Exists(ctx, sessionUserID)
}

// signInAdmin starts an admin session with a new token, against fixation.
func (s *Server) signInAdmin(c *fiber.Ctx, adminID int64) error {
	ctx := c.UserContext()
	if err := startSession(s.adminSessions, ctx); err != nil {
		return err
	}
	s.adminSessions.Put(ctx, sessionAdminID, adminID)
	return nil
}

// sessionAdmin returns the admin of the session, or nil when the session is
// not an admin's: no admin_id, a tenant_id, or an admin that no longer
// exists.
func (s *Server) sessionAdmin(c *fiber.Ctx) (*app.Admin, error) {
	ctx := c.UserContext()
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
	}
	return a, err
}
