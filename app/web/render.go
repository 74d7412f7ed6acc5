package web

import (
	"bytes"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"net/http"
	"sync"

	"github.com/gofiber/fiber/v2"
	"github.com/gofiber/template/html/v2"
)

// newViews loads the embedded templates. Names are paths without ".html",
// e.g. "todo/index" or "layouts/site".
func newViews(views fs.FS) *html.Engine {
	e := html.NewFileSystem(http.FS(views), ".html")
	e.AddFuncMap(viewFuncs)
	if err := e.Load(); err == nil {
		escapeAll(e)
	}
	return e
}

// escapeAll executes every template once, with no data, into nothing.
// html/template escapes a template on its first execution, writing to it;
// the engine's Render copies the template without a lock, so two first
// renders at once race (the race detector sees it). Escaped up front, the
// templates are only read afterwards. Execution errors (no data) do not
// matter: escaping comes before execution.
func escapeAll(e *html.Engine) {
	for _, t := range e.Templates.Templates() {
		_ = t.Execute(io.Discard, nil)
	}
}

// isHTMX reports whether htmx sent the request.
func isHTMX(c *fiber.Ctx) bool { return c.Get("HX-Request") == "true" }

// isBoosted reports whether the request is an htmx boost or a history
// restore: both want a whole page.
func isBoosted(c *fiber.Ctx) bool {
	return c.Get("HX-Boosted") == "true" || c.Get("HX-History-Restore-Request") == "true"
}

// wantsFragment reports whether the response should be a fragment: only for
// htmx requests that are not boosts or history restores.
func wantsFragment(c *fiber.Ctx) bool { return isHTMX(c) && !isBoosted(c) }

// render is the one render path of a view: a fragment for htmx requests, the
// whole page with its layout otherwise. Fiber renders into a buffer, so a
// failed render never sends half a page.
func (s *Server) render(c *fiber.Ctx, page, fragment, layout string, data fiber.Map) error {
	c.Vary("HX-Request")
	if wantsFragment(c) && fragment != "" {
		return s.renderFragment(c, fragment, data)
	}
	return s.renderPage(c, page, layout, data)
}

// renderPage renders a whole page in a layout. The page is rendered first,
// into a buffer, and handed to the layout as .Content, so an error in either
// is returned before anything is sent (the engine's own {{embed}} would print
// the error into the page instead).
func (s *Server) renderPage(c *fiber.Ctx, page, layout string, data fiber.Map) error {
	s.addCommon(c, data)
	content := getBuffer()
	defer putBuffer(content)
	if err := s.views.Render(content, page, data); err != nil {
		return fmt.Errorf("render %s: %w", page, err)
	}
	data["Content"] = template.HTML(content.String())
	return s.send(c, layout, data)
}

// renderFragment renders a template without a layout.
func (s *Server) renderFragment(c *fiber.Ctx, name string, data fiber.Map) error {
	s.addCommon(c, data)
	return s.send(c, name, data)
}

// send renders a template into a buffer and sends it as HTML.
func (s *Server) send(c *fiber.Ctx, name string, data fiber.Map) error {
	out := getBuffer()
	defer putBuffer(out)
	if err := s.views.Render(out, name, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	c.Vary("HX-Request")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Type("html", "utf-8")
	c.Response().SetBody(out.Bytes()) // copies: out goes back to the pool
	return nil
}

// addCommon adds what every template may use.
func (s *Server) addCommon(c *fiber.Ctx, data fiber.Map) {
	if _, ok := data["CSRF"]; !ok {
		data["CSRF"], _ = c.Locals(localCSRF).(string)
	}
	if _, ok := data["Domain"]; !ok {
		data["Domain"] = s.cfg.Domain
	}
}

// renderBuffers are the buffers pages render into, reused: a page is tens
// of kilobytes, and growing a fresh buffer to that size for every request
// showed in the allocation profile.
var renderBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// maxPooledBuffer is the largest buffer kept for reuse; a rare huge page
// does not pin its memory.
const maxPooledBuffer = 1 << 20

// getBuffer returns an empty render buffer.
func getBuffer() *bytes.Buffer { return renderBuffers.Get().(*bytes.Buffer) }

// putBuffer returns b to the pool.
func putBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	b.Reset()
	renderBuffers.Put(b)
}
