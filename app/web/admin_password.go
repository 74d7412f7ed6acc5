package web

import (
	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// adminPasswordPage renders the change-password page of the signed-in
// admin, with a message beside the field it is about.
func (s *Server) adminPasswordPage(c *fiber.Ctx, status int, currentErr, newErr string) error {
	return s.renderAdmin(c.Status(status), "admin/password", "", fiber.Map{
		"Title":                "Your password",
		"Nav":                  "password",
		"CurrentPasswordError": currentErr,
		"NewPasswordError":     newErr,
	})
}

// handleAdminPasswordPage handles "GET /password" on the admin host.
func (s *Server) handleAdminPasswordPage(c *fiber.Ctx) error {
	return s.adminPasswordPage(c, fiber.StatusOK, "", "")
}

// handleAdminPassword handles "POST /password" on the admin host: with the
// current password (checked through the login limiter, as at sign-in) the
// new one replaces it and every other session of the admin ends; this one
// goes on. A wrong current password changes nothing.
func (s *Server) handleAdminPassword(c *fiber.Ctx) error {
	me := adminOf(c)
	current, next := c.FormValue("current_password"), c.FormValue("new_password")
	_, ok, err := s.checkAdminPassword(c, me.Email, current)
	if code := app.ErrorCode(err); code == app.ERATELIMITED || code == app.EUNAUTHORIZED {
		s.auditAdmin(c, "admin-password", "", "", err)
		return s.adminPasswordPage(c, statusOf[code], app.ErrorMessage(err), "")
	} else if err != nil {
		return err
	}
	if !ok {
		msg := "That is not your current password."
		s.auditAdmin(c, "admin-password", "", "", app.Errorf(app.EUNAUTHORIZED, "%s", msg))
		return s.adminPasswordPage(c, fiber.StatusUnprocessableEntity, msg, "")
	}
	if err := app.ValidatePassword(next); err != nil {
		return s.adminPasswordPage(c, fiber.StatusUnprocessableEntity, "", app.ErrorMessage(err))
	}
	s.withPasswordSlot(func() { err = s.adminAccounts().SetAdminPassword(c.UserContext(), me.ID, next) })
	if err == nil {
		err = s.endAdminSessions(c.UserContext(), me, storeKey(s.adminSessions.Token(c.UserContext())))
	}
	s.auditAdmin(c, "admin-password", "", "", err)
	if err != nil {
		return s.adminDone(c, "/password", err, "")
	}
	return s.adminDone(c, "/password", nil, "Your password was changed. Every other session of yours has been signed out.")
}
