package web

import (
	"crypto/rand"
	"encoding/base64"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// resetRoutes lists the password reset routes of a tenant's host, open to
// visitors who are not signed in.
func (s *Server) resetRoutes(r fiber.Router) {
	r.Get("/forgot", s.handleForgotPage)
	r.Post("/forgot", s.handleForgot)
	r.Get("/reset/:token", s.handleResetPage)
	r.Post("/reset/:token", s.handleReset)
}

// forgotSent is the one answer to a forgot-password request: it says
// nothing about whether the account exists.
const forgotSent = "If an account exists for that address, we sent a link to reset its password. It works once, within an hour."

// newResetToken returns a new reset token (32 random bytes, base64url) and
// the key its link is stored under (its SHA-256, as session keys are).
func newResetToken() (token, key string) {
	b := make([]byte, 32)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	token = base64.RawURLEncoding.EncodeToString(b)
	return token, storeKey(token)
}

// issueResetLink stores a new reset link for user id of the request's list
// and returns its full URL on the tenant's host.
func (s *Server) issueResetLink(c *fiber.Ctx, list app.PasswordResets, tenantName string, userID int64) (string, error) {
	token, key := newResetToken()
	if err := list.CreatePasswordReset(c.UserContext(), key, userID, time.Now().Add(app.PasswordResetTTL)); err != nil {
		return "", err
	}
	return s.tenantURL(c, tenantName) + "/reset/" + token, nil
}

// forgotPage renders the forgot-password page: a form when mail can be
// sent, otherwise whom to ask.
func (s *Server) forgotPage(c *fiber.Ctx, status int, email string, errs, notices []string) error {
	return s.renderPage(c.Status(status), "todo/forgot", "layouts/todo", fiber.Map{
		"Title":   "Forgot your password? · " + tenantOf(c).Name,
		"Tenant":  tenantOf(c),
		"Email":   email,
		"CanMail": s.mail != nil,
		"Errors":  errs,
		"Notices": notices,
	})
}

// handleForgotPage handles "GET /forgot" on a tenant host.
func (s *Server) handleForgotPage(c *fiber.Ctx) error {
	return s.forgotPage(c, fiber.StatusOK, "", nil, nil)
}

// handleForgot handles "POST /forgot": with SMTP configured, a reset link
// goes to the address if it has an account; the answer is the same either
// way. Requests are limited per client and per address.
func (s *Server) handleForgot(c *fiber.Ctx) error {
	if s.mail == nil {
		return s.forgotPage(c, fiber.StatusOK, "", nil, nil)
	}
	typed := c.FormValue("email")
	email, err := app.NormalizeEmail(typed)
	if err != nil {
		return s.forgotPage(c, fiber.StatusUnprocessableEntity, typed, []string{app.ErrorMessage(err)}, nil)
	}
	t := tenantOf(c)
	wait, accountOK := s.resetLimits.Take(s.clientKey(c), t.ID+"/"+email)
	if wait > 0 {
		msg := "Too many requests from your address, try again in " + humanDuration(wait) + "."
		return s.forgotPage(c, fiber.StatusTooManyRequests, email, []string{msg}, nil)
	}
	if accountOK {
		if err := s.mailResetLink(c, email); err != nil {
			return err
		}
	}
	return s.forgotPage(c, fiber.StatusOK, "", nil, []string{forgotSent})
}

// mailResetLink sends a reset link to email if it has an account on the
// request's list.
func (s *Server) mailResetLink(c *fiber.Ctx, email string) error {
	u, err := listOf(c).UserByEmail(c.UserContext(), email)
	if app.ErrorCode(err) == app.ENOTFOUND {
		return nil
	} else if err != nil {
		return err
	}
	link, err := s.issueResetLink(c, listOf(c), tenantOf(c).Name, u.ID)
	if err != nil {
		return err
	}
	s.mail.sendResetLink(u.Email, tenantOf(c).Name, link, s.logger.Warn)
	return nil
}

// resetPage renders the page of a reset link: the new-password form, or
// only the message when the link is not valid.
func (s *Server) resetPage(c *fiber.Ctx, status int, valid bool, errs []string) error {
	return s.renderPage(c.Status(status), "todo/reset", "layouts/todo", fiber.Map{
		"Title":  "Choose a new password · " + tenantOf(c).Name,
		"Tenant": tenantOf(c),
		"Valid":  valid,
		"Token":  strings.Clone(c.Params("token")),
		"Errors": errs,
	})
}

// handleResetPage handles "GET /reset/:token": a form for the new
// password while the link is valid.
func (s *Server) handleResetPage(c *fiber.Ctx) error {
	_, err := listOf(c).PasswordResetUser(c.UserContext(), storeKey(c.Params("token")), time.Now())
	if app.ErrorCode(err) == app.EUNAUTHORIZED {
		return s.resetPage(c, fiber.StatusNotFound, false, []string{app.ErrorMessage(err)})
	} else if err != nil {
		return err
	}
	return s.resetPage(c, fiber.StatusOK, true, nil)
}

// handleReset handles "POST /reset/:token": the new password replaces the
// old, the link and the user's other links stop working, and every session
// of the user ends. A link that is not valid changes nothing.
func (s *Server) handleReset(c *fiber.Ctx) error {
	next := c.FormValue("new_password")
	key := storeKey(c.Params("token"))
	if err := app.ValidatePassword(next); err != nil {
		_, lerr := listOf(c).PasswordResetUser(c.UserContext(), key, time.Now())
		if app.ErrorCode(lerr) == app.EUNAUTHORIZED {
			return s.resetPage(c, fiber.StatusNotFound, false, []string{app.ErrorMessage(lerr)})
		} else if lerr != nil {
			return lerr
		}
		return s.resetPage(c, fiber.StatusUnprocessableEntity, true, []string{app.ErrorMessage(err)})
	}
	var hash string
	var err error
	s.withPasswordSlot(func() { hash, err = app.HashPassword(next, app.DefaultPasswordParams) })
	if err != nil {
		return err
	}
	userID, err := listOf(c).UsePasswordReset(c.UserContext(), key, hash, time.Now())
	if app.ErrorCode(err) == app.EUNAUTHORIZED {
		return s.resetPage(c, fiber.StatusNotFound, false, []string{app.ErrorMessage(err)})
	} else if err != nil {
		return err
	}
	if err := s.endSessionsOf(c, userID); err != nil {
		return err
	}
	if err := s.addFlash(c, flashNotice, "Your password was changed and every session was signed out. Sign in with the new password."); err != nil {
		return err
	}
	return c.Redirect("/login", fiber.StatusSeeOther)
}

// endSessionsOf ends every session of user id of the request's tenant,
// the request's own included.
func (s *Server) endSessionsOf(c *fiber.Ctx, userID int64) error {
	stored, err := listOf(c).StoredSessions(c.UserContext())
	if err != nil {
		return err
	}
	var keys []string
	for _, st := range stored {
		_, values, err := (sessionCodec{}).Decode(st.Data)
		if err == nil && values[sessionTenantID] == tenantOf(c).ID && values[sessionUserID] == userID {
			keys = append(keys, st.Key)
		}
	}
	return listOf(c).DeleteSessions(c.UserContext(), keys)
}

// secretPaths are the paths whose last part is a credential: a password
// reset link's token (an hour) and an admin invitation's (a day).
var secretPaths = []string{"/reset/", "/invite/"}

// logPath is the request's path as logs show it: the token of a path in
// secretPaths is never logged.
func logPath(c *fiber.Ctx) string {
	p := c.Path()
	for _, prefix := range secretPaths {
		if strings.HasPrefix(p, prefix) {
			return prefix + "[token]"
		}
	}
	return p
}
