package web

import (
	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// passwordChecks bounds the argon2id computations running at once (19 MiB
// each): sign-in checks and the hashing of new passwords (sign-up, lists
// created by an admin), so a flood of either cannot exhaust memory.
const passwordChecks = 4

// errTooManyAttempts is the answer while a client is refused.
func errTooManyAttempts(wait string) error {
	return app.Errorf(app.ERATELIMITED, "Too many failed sign-in attempts. Try again in %s.", wait)
}

// withPasswordSlot runs f, which computes a password hash, within one of
// the passwordChecks slots. The slot is released however f ends, a panic
// included.
func (s *Server) withPasswordSlot(f func()) {
	s.passwordSlots <- struct{}{}
	defer func() { <-s.passwordSlots }()
	f()
}

// checkLogin checks password for account through the login limiter: the
// attempt is counted before anything else and waits out the account's
// slow-down, hash returns the account's password hash ("" for an unknown
// account, which costs as much time as a wrong password), and a success
// takes the attempt back. It returns ERATELIMITED while the client is
// refused, app.ErrPasswordNeedsReset for a stored hash TODOs does not
// accept, and false for a wrong account or password.
func (s *Server) checkLogin(c *fiber.Ctx, account, password string, hash func() (string, error)) (bool, error) {
	client := s.clientKey(c)
	d := s.limiter.Attempt(account, client)
	if !d.Allowed {
		return false, errTooManyAttempts(humanDuration(d.Wait))
	}
	s.limiter.Wait(c.Context(), d)
	h, err := hash()
	if err != nil {
		return false, err
	}
	if len(password) > 4*app.PasswordMaxLength {
		return false, nil
	}
	known := h != ""
	if !known {
		h = dummyHash
	}
	var ok bool
	s.withPasswordSlot(func() { ok, err = app.VerifyPassword(h, password) })
	if err != nil {
		s.logger.Warn("stored password hash not accepted: the password must be reset", "account", account)
		return false, err
	}
	if !ok || !known {
		return false, nil
	}
	s.limiter.Succeed(account, client, d)
	return true, nil
}
