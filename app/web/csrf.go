package web

import (
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// CSRF protection: every browser gets a random, host-only cookie; pages carry
// an HMAC of it as their token (<meta name="csrf-token">, the "_csrf" form
// field, the "X-CSRF-Token" header for htmx). An unsafe request passes only
// with a token that matches its cookie, and, when the browser says where it
// comes from, only from the same origin.
const (
	csrfCookie = "todos_csrf"
	csrfField  = "_csrf"
	csrfHeader = "X-CSRF-Token"
)

// errCSRF is the answer to a request that fails the check.
var errCSRF = fiber.NewError(fiber.StatusForbidden,
	"This form has expired or did not come from this site. Reload the page and try again.")

// csrfToken computes the token that matches a cookie value on the
// request's host. The host is part of it: a cookie and token pair taken on
// one host and planted in a browser for another (a cookie set for the
// parent domain) does not pass there.
func (s *Server) csrfToken(c *fiber.Ctx, cookie string) string {
	m := hmac.New(sha256.New, s.cfg.Keys.CSRF)
	m.Write([]byte(strings.ToLower(s.requestHost(c))))
	m.Write([]byte{0})
	m.Write([]byte(cookie))
	return base64.RawURLEncoding.EncodeToString(m.Sum(nil))
}

// csrf is the middleware that issues the cookie and checks unsafe requests.
func (s *Server) csrf(c *fiber.Ctx) error {
	cookie := c.Cookies(csrfCookie)
	if len(cookie) < 32 {
		cookie = ""
	}
	if !isSafeMethod(c.Method()) {
		if cookie == "" || !s.sameOrigin(c) {
			return errCSRF
		}
		sent := c.Get(csrfHeader)
		if sent == "" {
			sent = c.FormValue(csrfField)
		}
		if !hmac.Equal([]byte(sent), []byte(s.csrfToken(c, cookie))) {
			return errCSRF
		}
	}
	if cookie == "" {
		b := make([]byte, 32)
		if _, err := rand.Read(b); err != nil {
			return err
		}
		cookie = base64.RawURLEncoding.EncodeToString(b)
		c.Cookie(&fiber.Cookie{
			Name:     csrfCookie,
			Value:    cookie,
			Path:     "/",
			HTTPOnly: true,
			Secure:   c.Protocol() == "https",
			SameSite: fiber.CookieSameSiteLaxMode,
		})
	}
	c.Locals(localCSRF, s.csrfToken(c, cookie))
	return c.Next()
}

// sameOrigin reports whether an unsafe request comes from the host it is sent
// to, judged by Origin (or Referer). Requests that carry neither pass: the
// token check still applies to them.
func (s *Server) sameOrigin(c *fiber.Ctx) bool {
	origin := c.Get(fiber.HeaderOrigin)
	if origin == "" || origin == "null" {
		origin = c.Get(fiber.HeaderReferer)
		if origin == "" {
			return origin == ""
		}
	}
	u, err := url.Parse(origin)
	if err != nil {
		return false
	}
	return strings.EqualFold(u.Host, s.requestHost(c))
}

// isSafeMethod reports whether a method never changes state.
func isSafeMethod(m string) bool {
	return m == fiber.MethodGet || m == fiber.MethodHead || m == fiber.MethodOptions
}
