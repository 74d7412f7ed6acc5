package web

import (
	"net/http"
	"net/url"
	"strings"

	"github.com/gofiber/fiber/v2"
	"github.com/gorilla/sessions"

	"todos/app"
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

// flashes are what one page hands the next through the flash cookie:
// messages, and the values of a refused form so that nothing typed is lost.
type flashes struct {
	Errors  []string
	Notices []string
	Forms   map[string]url.Values // by form name
	Undo    app.Deletion          // the undo notice of a delete (todo_undo.go)
}

// formFlashPrefix marks the flash kind of a kept form.
const formFlashPrefix = "form:"

// addFlash queues a message for the next page.
func (s *Server) addFlash(c *fiber.Ctx, kind, message string) error {
	return s.queueFlashes(c, map[string]string{kind: message})
}

// keepForm queues a refused form's values, under its name, for the next
// page along with message (an error).
// Values too long for a cookie are not kept: the form comes back with
// those fields empty rather than the answer failing.
func (s *Server) keepForm(c *fiber.Ctx, form string, values url.Values, message string) error {
	return s.queueFlashes(c, map[string]string{flashError: app.Clip(message, 600),
		formFlashPrefix + form: keptForm(values).Encode()})
}

// keptValueMax and keptFormMax bound what a refused form keeps in the flash
// cookie, which must stay under the browser's 4 KiB per cookie once signed
// and encrypted.
const (
	keptValueMax = 256
	keptFormMax  = 1024
)

// keptForm returns the values of a refused form worth keeping: each at most
// keptValueMax bytes, all together at most keptFormMax once encoded.
func keptForm(values url.Values) url.Values {
	kept := url.Values{}
	size := 0
	for k, vs := range values {
		for _, v := range vs {
			n := len(url.QueryEscape(k)) + len(url.QueryEscape(v)) + 2
			if len(v) > keptValueMax || len(k) > keptValueMax || size+n > keptFormMax {
				continue
			}
			kept.Add(k, v)
			size += n
		}
	}
	return kept
}

// queueFlashes adds entries (kind to value) to the flash cookie in one
// write: the cookie is read from the request, so two separate writes in
// one response would keep only the last.
func (s *Server) queueFlashes(c *fiber.Ctx, entries map[string]string) error {
	sess, r := s.flashSession(c)
	for kind, v := range entries {
		sess.AddFlash(v, kind)
	}
	return s.saveFlash(c, sess, r)
}

// takeFlashes returns and clears everything queued, in one read and, if
// there was anything, one write.
func (s *Server) takeFlashes(c *fiber.Ctx) flashes {
	var f flashes
	if c.Cookies(flashCookie) == "" {
		return f
	}
	sess, r := s.flashSession(c)
	found := false
	for key := range sess.Values {
		kind, ok := key.(string)
		if !ok {
			continue
		}
		for _, v := range sess.Flashes(kind) {
			m, ok := v.(string)
			if !ok {
				continue
			}
			found = true
			switch {
			case kind == flashError:
				f.Errors = append(f.Errors, m)
			case kind == flashNotice:
				f.Notices = append(f.Notices, m)
			case kind == flashUndo:
				f.Undo = decodeUndo(m)
			case strings.HasPrefix(kind, formFlashPrefix):
				if vals, err := url.ParseQuery(m); err == nil {
					if f.Forms == nil {
						f.Forms = map[string]url.Values{}
					}
					f.Forms[strings.TrimPrefix(kind, formFlashPrefix)] = vals
				}
			}
		}
	}
	if found {
		if err := s.saveFlash(c, sess, r); err != nil {
			s.logger.Warn("flash save", "error", err)
		}
	}
	return f
}
