package web

import (
	"fmt"
	"time"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// dummyHash is checked against when an email is unknown, so that a wrong
// email costs as much time as a wrong password.
var dummyHash, _ = app.HashPassword("not a real password", app.DefaultPasswordParams)

// loginPage renders the tenant's login page with a status and messages.
func (s *Server) loginPage(c *fiber.Ctx, status int, email string, errs, notices []string) error {
	return s.loginRefused(c, status, email, "", errs, notices...)
}

// loginRefused renders the login page with errs about the fields named by
// invalid (loginInvalidEmail, loginInvalidCredentials or ""): they are marked
// invalid, described by the messages, and the first is focused.
func (s *Server) loginRefused(c *fiber.Ctx, status int, email, invalid string, errs []string, notices ...string) error {
	return s.renderPage(c.Status(status), "todo/login", "layouts/todo", fiber.Map{
		"Title":   "Sign in to " + tenantOf(c).Name,
		"Tenant":  tenantOf(c),
		"Email":   email,
		"Invalid": invalid,
		"Errors":  errs,
		"Notices": notices,
		"SiteURL": s.siteURL(c),
	})
}

// The fields a refused sign-in marks invalid (views/todo/login.html).
const (
	loginInvalidEmail       = "email"       // the email is malformed
	loginInvalidCredentials = "credentials" // the email and password do not match
)

// handleLoginPage handles "GET /login" on a tenant host.
func (s *Server) handleLoginPage(c *fiber.Ctx) error {
	if _, ok := s.sessionUser(c, tenantOf(c).ID); ok {
		return c.Redirect("/", fiber.StatusSeeOther)
	}
	f := s.takeFlashes(c)
	return s.loginPage(c, fiber.StatusOK, "", f.Errors, f.Notices)
}

// handleLogin handles "POST /login": it checks the password against the
// account in the tenant's own database, through the login limiter.
func (s *Server) handleLogin(c *fiber.Ctx) error {
	t := tenantOf(c)
	typed := c.FormValue("email")
	email, err := app.NormalizeEmail(typed)
	if err != nil {
		return s.loginRefused(c, fiber.StatusUnprocessableEntity, typed, loginInvalidEmail, []string{app.ErrorMessage(err)})
	}
	var u *app.User
	ok, err := s.checkLogin(c, t.ID+"/"+email, c.FormValue("password"), func() (string, error) {
		var err error
		if u, err = listOf(c).UserByEmail(c.UserContext(), email); err != nil {
			if app.ErrorCode(err) == app.ENOTFOUND {
				return "", nil
			}
			return "", err
		}
		return u.PasswordHash, nil
	})
	if code := app.ErrorCode(err); code == app.ERATELIMITED || code == app.EUNAUTHORIZED {
		return s.loginPage(c, statusOf[code], email, []string{app.ErrorMessage(err)}, nil)
	} else if err != nil {
		return err
	}
	if !ok {
		return s.loginRefused(c, fiber.StatusUnauthorized, email, loginInvalidCredentials, []string{"Wrong email or password."})
	}
	if err := s.signIn(c, t.ID, u.ID); err != nil {
		return err
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}

// handleLogout handles "POST /logout": the session ends server-side.
func (s *Server) handleLogout(c *fiber.Ctx) error {
	if err := signOut(c, s.sessions); err != nil {
		return err
	}
	if err := s.addFlash(c, flashNotice, "You have been signed out."); err != nil {
		return err
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// handleHandoff handles "GET /auth/handoff?token=": the single-use token made
// at sign-up on the bare domain becomes a session on this host.
func (s *Server) handleHandoff(c *fiber.Ctx) error {
	t := tenantOf(c)
	h, err := s.svc.Handoffs.ConsumeHandoff(c.UserContext(), c.Query("token"))
	if err == nil && h.TenantID != t.ID {
		err = app.Errorf(app.EUNAUTHORIZED, "This sign-in link is not for this list.")
	}
	if err != nil {
		if app.ErrorCode(err) != app.EUNAUTHORIZED {
			return err
		}
		msg := app.ErrorMessage(err) + " Sign in with your email and password."
		return s.loginPage(c, fiber.StatusUnauthorized, "", []string{msg}, nil)
	}
	if err := s.signIn(c, t.ID, h.UserID); err != nil {
		return err
	}
	return c.Redirect("/", fiber.StatusSeeOther)
}

// humanDuration rounds a wait up to whole minutes for messages.
func humanDuration(d time.Duration) string {
	m := int((d + time.Minute - 1) / time.Minute)
	if m <= 1 {
		return "a minute"
	}
	return fmt.Sprintf("%d minutes", m)
}
