package web

import (
	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// checkOwnPassword checks the signed-in user's password as sign-in does,
// through the login limiter (the same account key, so failures here and at
// sign-in add up). It returns the message to show beside the password
// field ("" when it is right) and the status of that answer; other errors
// are returned.
func (s *Server) checkOwnPassword(c *fiber.Ctx, password string) (msg string, status int, err error) {
	u := userOf(c)
	ok, err := s.checkLogin(c, tenantOf(c).ID+"/"+u.Email, password, func() (string, error) {
		return u.PasswordHash, nil
	})
	if code := app.ErrorCode(err); code == app.ERATELIMITED || code == app.EUNAUTHORIZED {
		return app.ErrorMessage(err), statusOf[code], nil
	} else if err != nil {
		return "", 0, err
	}
	if !ok {
		if password == "" {
			return "Please enter your current password.", fiber.StatusUnprocessableEntity, nil
		}
		return "That is not your current password.", fiber.StatusUnprocessableEntity, nil
	}
	return "", 0, nil
}

// handleAccountPassword handles "POST /account/password": with the current
// password, the new one replaces it and every other session of the user
// ends; this one goes on. A wrong current password changes nothing.
func (s *Server) handleAccountPassword(c *fiber.Ctx) error {
	next := c.FormValue("new_password")
	msg, status, err := s.checkOwnPassword(c, c.FormValue("current_password"))
	if err != nil {
		return err
	}
	if msg != "" {
		s.auditOwner(c, "owner-password", "", app.Errorf(app.EUNAUTHORIZED, "%s", msg))
		return s.renderAccount(c, status, accountView{CurrentPasswordError: msg})
	}
	if err := app.ValidatePassword(next); err != nil {
		return s.renderAccount(c, fiber.StatusUnprocessableEntity, accountView{NewPasswordError: app.ErrorMessage(err)})
	}
	var hash string
	s.withPasswordSlot(func() { hash, err = app.HashPassword(next, app.DefaultPasswordParams) })
	if err == nil {
		err = listOf(c).SetPasswordHash(c.UserContext(), userOf(c).ID, hash)
	}
	if err == nil {
		err = s.endOtherSessions(c)
	}
	s.auditOwner(c, "owner-password", "", err)
	if err != nil {
		return s.accountFailed(c, err)
	}
	return s.accountDone(c, "Your password was changed. Every other session has been signed out.")
}
