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
	return s.adminLoginPage(c, fiber.StatusOK, "", s.takeFlashes(c, flashError), s.takeFlashes(c, flashNotice))
}

// handleAdminLogin handles "POST /login" on the admin host: the password is
// checked against the admin account in the control plane, with failures
// rate-limited per account and per client like tenant sign-ins.
func (s *Server) handleAdminLogin(c *fiber.Ctx) error {
	typed := c.FormValue("email")
	email, err := app.NormalizeEmail(typed)
	if err != nil {
		return s.adminLoginPage(c, fiber.StatusUnprocessableEntity, typed, []string{app.ErrorMessage(err)}, nil)
	}
	a, ok, err := s.checkAdminPassword(c, email, c.FormValue("password"))
	if err != nil {
		if app.ErrorCode(err) == app.ERATELIMITED {
			return s.adminLoginPage(c, fiber.StatusTooManyRequests, email, []string{app.ErrorMessage(err)}, nil)
		}
		return err
	}
	if !ok {
		s.audit(c, email, "sign-in", "", "", errWrongAdminPassword)
		return s.adminLoginPage(c, fiber.StatusUnauthorized, email, []string{app.ErrorMessage(errWrongAdminPassword)}, nil)
	}
	if err := s.signInAdmin(c, a.ID); err != nil {
		return err
	}
	s.audit(c, a.Email, "sign-in", "", "", nil)
	return c.Redirect("/", fiber.StatusSeeOther)
}

// errWrongAdminPassword is the one answer to an unknown email or a wrong
// password.
var errWrongAdminPassword = app.Errorf(app.EUNAUTHORIZED, "Wrong email or password.")

// checkAdminPassword checks an admin's credentials through the login
// limiter. It returns ERATELIMITED while the account or client is locked
// out, and ok=false for a wrong email or password (which counts as a
// failure). An unknown email costs as much time as a wrong password.
func (s *Server) checkAdminPassword(c *fiber.Ctx, email, password string) (*app.Admin, bool, error) {
	account, client := "admin/"+email, c.IP()
	if ok, wait := s.limiter.Allowed(account, client); !ok {
		return nil, false, app.Errorf(app.ERATELIMITED, "Too many failed sign-in attempts. Try again in %s.", humanDuration(wait))
	}
	a, err := s.svc.Admins.AdminByEmail(c.UserContext(), email)
	if err != nil && app.ErrorCode(err) != app.ENOTFOUND {
		return nil, false, err
	}
	if a == nil || len(password) > 4*app.PasswordMaxLength || !app.CheckPassword(a.PasswordHash, password) {
		if a == nil {
			app.CheckPassword(dummyHash, password)
		}
		s.limiter.Fail(account, client)
		return nil, false, nil
	}
	s.limiter.Succeed(account)
	return a, true, nil
}

// handleAdminLogout handles "POST /logout" on the admin host.
func (s *Server) handleAdminLogout(c *fiber.Ctx) error {
	email := adminOf(c).Email
	if err := signOut(c, s.adminSessions); err != nil {
		return err
	}
	s.audit(c, email, "sign-out", "", "", nil)
	if err := s.addFlash(c, flashNotice, "You have been signed out."); err != nil {
		return err
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}
