package web

import (
	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// adminLoginPage renders the admin login page. When no admin exists yet it
// says how to create one.
func (s *Server) adminLoginPage(c *fiber.Ctx, status int, email string, errs, notices []string) error {
	n, err := s.svc.Admins.CountAdmins(c.UserContext())
	if err != nil {
		return err
	}
	return s.renderPage(c.Status(status), "admin/login", "layouts/admin", fiber.Map{
		"Title":    "Admin sign in",
		"Email":    email,
		"NoAdmins": n == 0,
		"Errors":   errs,
		"Notices":  notices,
	})
}

// handleAdminLoginPage handles "GET /login" on the admin host.
func (s *Server) handleAdminLoginPage(c *fiber.Ctx) error {
	a, err := s.sessionAdmin(c)
	if err != nil {
		return err
	}
	if a != nil {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	f := s.takeFlashes(c)
	return s.adminLoginPage(c, fiber.StatusOK, "", f.Errors, f.Notices)
}

// handleAdminLogin handles "POST /login" on the admin host: the password is
// checked against the admin account in the control plane, through the login
// limiter like tenant sign-ins.
func (s *Server) handleAdminLogin(c *fiber.Ctx) error {
	typed := c.FormValue("email")
	email, err := app.NormalizeEmail(typed)
	if err != nil {
		return s.adminLoginPage(c, fiber.StatusUnprocessableEntity, typed, []string{app.ErrorMessage(err)}, nil)
	}
	a, ok, err := s.checkAdminPassword(c, email, c.FormValue("password"))
	if err != nil {
		if code := app.ErrorCode(err); code == app.ERATELIMITED || code == app.EUNAUTHORIZED {
			if code == app.EUNAUTHORIZED {
				s.audit(c, email, "sign-in", "", "", err)
			}
			return s.adminLoginPage(c, statusOf[code], email, []string{app.ErrorMessage(err)}, nil)
		}
		return err
	}
	if !ok {
		s.audit(c, email, "sign-in", "", "", errWrongAdminPassword)
		return s.adminLoginPage(c, fiber.StatusUnauthorized, email, []string{app.ErrorMessage(errWrongAdminPassword)}, nil)
	}
	if err := s.signInAdmin(c, a); err != nil {
		return err
	}
	s.audit(c, a.Email, "sign-in", "", "", nil)
	return c.Redirect("/", fiber.StatusSeeOther)
}

// errWrongAdminPassword is the one answer to an unknown email or a wrong
// password.
var errWrongAdminPassword = app.Errorf(app.EUNAUTHORIZED, "Wrong email or password.")

// checkAdminPassword checks an admin's credentials through the login
// limiter. It returns ERATELIMITED while the client is refused,
// app.ErrPasswordNeedsReset for a stored hash TODOs does not accept, and
// ok=false for a wrong email or password (which counts as a failure). An
// unknown email costs as much time as a wrong password.
func (s *Server) checkAdminPassword(c *fiber.Ctx, email, password string) (*app.Admin, bool, error) {
	var a *app.Admin
	ok, err := s.checkLogin(c, "admin/"+email, password, func() (string, error) {
		var err error
		if a, err = s.svc.Admins.AdminByEmail(c.UserContext(), email); err != nil {
			if app.ErrorCode(err) == app.ENOTFOUND {
				return "", nil
			}
			return "", err
		}
		return a.PasswordHash, nil
	})
	if err != nil || !ok {
		return nil, false, err
	}
	return a, true, nil
}

// handleAdminLogout handles "POST /logout" on the admin host.
func (s *Server) handleAdminLogout(c *fiber.Ctx) error {
	email := adminOf(c).Email
	if err := s.signOutAdmin(c); err != nil {
		return err
	}
	s.audit(c, email, "sign-out", "", "", nil)
	if err := s.addFlash(c, flashNotice, "You have been signed out."); err != nil {
		return err
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}
