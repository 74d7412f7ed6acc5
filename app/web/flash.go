package web

import (
	"net/http"

	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/sessions"
)

// Flash messages survive one redirect in a short-lived, signed and encrypted
// cookie managed by gorilla/sessions.
const flashCookie = "todos_flash"

// Flash kinds.
const (
	flashError  = "error"
	flashNotice = "notice"
)

// newFlashStore returns the cookie store of flash messages.
func newFlashStore(k Keys) *sessions.CookieStore {
	st := sessions.NewCookieStore(k.FlashAuth, k.FlashCrypt)
	st.Options = &sessions.Options{Path: "/", MaxAge: 60, HttpOnly: true, SameSite: http.SameSiteLaxMode}
	return st
}

// headerWriter is the http.ResponseWriter that gorilla/sessions writes its
// Set-Cookie headers into; they are then copied to the fiber response.
type headerWriter struct{ h http.Header }

func (w *headerWriter) Header() http.Header         { return w.h }
func (w *headerWriter) Write(b []byte) (int, error) { return len(b), nil }
func (w *headerWriter) WriteHeader(int)             {}

// flashSession bridges fiber to gorilla/sessions: it builds the minimal
// *http.Request (cookies only) the store reads.
func (s *Server) flashSession(c *fiber.Ctx) (*sessions.Session, *http.Request) {
	r := &http.Request{Header: http.Header{}}
	if v := c.Get(fiber.HeaderCookie); v != "" {
		r.Header.Set("Cookie", v)
	}
	sess, err := s.flashes.Get(r, flashCookie)
	if err != nil {
		// A cookie we cannot read (old key, tampering) is ignored.
		sess, _ = s.flashes.New(r, flashCookie)
	}
	sess.Options.Secure = c.Protocol() == "https"
	return sess, r
}

// saveFlash writes the flash session's cookie to the response.
func (s *Server) saveFlash(c *fiber.Ctx, sess *sessions.Session, r *http.Request) error {
	w := &headerWriter{h: http.Header{}}
	if err := sess.Save(r, w); err != nil {
		return err
	}
	for _, v := range w.h.Values("Set-Cookie") {
		c.Response().Header.Add(fiber.HeaderSetCookie, v)
	}
	return nil
}

// addFlash queues a message for the next page.
func (s *Server) addFlash(c *fiber.Ctx, kind, message string) error {
	sess, r := s.flashSession(c)
	sess.AddFlash(message, kind)
	return s.saveFlash(c, sess, r)
}

// takeFlashes returns and clears the queued messages of a kind.
func (s *Server) takeFlashes(c *fiber.Ctx, kind string) []string {
	if c.Cookies(flashCookie) == "" {
		return nil
	}
	sess, r := s.flashSession(c)
	var out []string
	for _, f := range sess.Flashes(kind) {
		if m, ok := f.(string); ok {
			out = append(out, m)
		}
	}
	if len(out) > 0 {
		if err := s.saveFlash(c, sess, r); err != nil {
			s.logger.Warn("flash save", "error", err)
		}
	}
	return out
}
