package web

import (
	"strings"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// inviteLimitAccount is the login limiter's account for invitation tokens:
// every client's failed tokens count against it, like failed passwords.
const inviteLimitAccount = "admin-invite"

// adminInvitePage renders the set-password page of an invitation, or the
// one message that says the link does not work (inv nil).
func (s *Server) adminInvitePage(c *fiber.Ctx, status int, inv *app.AdminInvite, token string, errs []string) error {
	return s.renderPage(c.Status(status), "admin/invite", "layouts/admin", fiber.Map{
		"Title":  "Become an admin",
		"Invite": inv,
		"Token":  token,
		"Errors": errs,
	})
}

// inviteOf checks the token of the request through the login limiter
// before anything else is done: an unknown, used or expired token counts
// as a failure, a valid one does not.
func (s *Server) inviteOf(c *fiber.Ctx) (*app.AdminInvite, string, error) {
	token := strings.Clone(c.Params("token"))
	client := s.clientKey(c)
	d := s.limiter.Attempt(inviteLimitAccount, client)
	if !d.Allowed {
		return nil, token, errTooManyAttempts(humanDuration(d.Wait))
	}
	s.limiter.Wait(c.Context(), d)
	inv, err := s.adminAccounts().AdminInvite(c.UserContext(), token)
	if err != nil {
		return nil, token, err
	}
	s.limiter.Succeed(inviteLimitAccount, client, d)
	return inv, token, nil
}

// inviteRefused answers a token that does not work (or a client that has
// tried too many) with one clear message; other errors are returned.
func (s *Server) inviteRefused(c *fiber.Ctx, token string, err error) error {
	code := app.ErrorCode(err)
	if code != app.ENOTFOUND && code != app.ERATELIMITED {
		return err
	}
	return s.adminInvitePage(c, statusOf[code], nil, token, []string{app.ErrorMessage(err)})
}

// handleAdminInvitePage handles "GET /invite/:token": a form to choose a
// password when the invitation works.
func (s *Server) handleAdminInvitePage(c *fiber.Ctx) error {
	inv, token, err := s.inviteOf(c)
	if err != nil {
		return s.inviteRefused(c, token, err)
	}
	return s.adminInvitePage(c, fiber.StatusOK, inv, token, nil)
}

// handleAdminInviteAccept handles "POST /invite/:token": the token is
// checked before the password is looked at; then the admin is created,
// the invitation consumed and the new admin signed in.
func (s *Server) handleAdminInviteAccept(c *fiber.Ctx) error {
	inv, token, err := s.inviteOf(c)
	if err != nil {
		return s.inviteRefused(c, token, err)
	}
	password := c.FormValue("password")
	if err := app.ValidatePassword(password); err != nil {
		return s.adminInvitePage(c, fiber.StatusUnprocessableEntity, inv, token, []string{app.ErrorMessage(err)})
	}
	var a *app.Admin
	s.withPasswordSlot(func() { a, err = s.adminAccounts().AcceptAdminInvite(c.UserContext(), token, password) })
	s.audit(c, inv.Email, "admin-invite-accept", "", "invited by "+inv.CreatedBy, err)
	if err != nil {
		if app.ErrorCode(err) == app.ECONFLICT || app.ErrorCode(err) == app.EINVALID {
			return s.adminInvitePage(c, statusOf[app.ErrorCode(err)], inv, token, []string{app.ErrorMessage(err)})
		}
		return s.inviteRefused(c, token, err)
	}
	if err := s.signInAdmin(c, a); err != nil {
		return err
	}
	return s.adminDone(c, "/", nil, "Welcome, "+a.Email+": you are now an admin.")
}
