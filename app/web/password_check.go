package web

import (
	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// passwordChecks bounds the argon2id checks running at once (19 MiB each),
// so a flood of sign-in attempts cannot exhaust memory.
const passwordChecks = 4

// errTooManyAttempts is the answer while an account or client is locked out.
func errTooManyAttempts(wait string) error {
	return app.Errorf(app.ERATELIMITED, "Too many failed sign-in attempts. Try again in %s.", wait)
}

// checkLogin checks password for account through the login limiter: the
// attempt is counted before anything else, hash returns the account's
// password hash ("" for an unknown account, which costs as much time as a
// wrong password), and a success takes the attempt back. It returns
// ERATELIMITED while the account or the client is locked out, and false for
// a wrong account or password.
func (s *Server) checkLogin(c *fiber.Ctx, account, password string, hash func() (string, error)) (bool, error) {
	client := s.clientIP(c)
	if ok, wait := s.limiter.Attempt(account, client); !ok {
		return false, errTooManyAttempts(humanDuration(wait))
	}
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
	s.passwordSlots <- struct{}{}
	ok := app.CheckPassword(h, password)
	<-s.passwordSlots
	if !ok || !known {
		return false, nil
	}
	s.limiter.Succeed(account, client)
	return true, nil
}
