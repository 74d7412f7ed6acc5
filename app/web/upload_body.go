package web

import (
	"bytes"
	"io"
	"net/netip"
	"strings"
	"sync"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/valyala/fasthttp"
)

// bodyModeHeader is the request header in which requestLimits tells
// boundRequestBody what it decided about a body. The hook removes any a
// client sent before it sets its own.
const bodyModeHeader = "X-Todos-Body"

// Values of bodyModeHeader.
const (
	bodyTooLarge = "too-large" // declared larger than allowed: refused unread
	bodyEncoded  = "encoded"   // compressed (Content-Encoding): refused unread
	bodyStreamed = "stream"    // a granted import: its handler reads the stream
)

// refuseUnread marks a request header so that boundRequestBody refuses
// its body as mode says, and so that fasthttp reads none of it: no body,
// no "100 Continue", and the connection closes after the answer since the
// body is still on its way.
func refuseUnread(h *fasthttp.RequestHeader, mode string) {
	h.Set(bodyModeHeader, mode)
	h.Del(fiber.HeaderExpect)
	h.SetContentLength(0)
	h.SetConnectionClose()
}

// hasBody reports whether a request header announces a body: a length
// above 0, or chunks (fasthttp's -1). Without either (-2) fasthttp reads
// none.
func hasBody(h *fasthttp.RequestHeader) bool {
	n := h.ContentLength()
	return n > 0 || n == -1
}

// isEncoded reports whether a request header declares a Content-Encoding
// other than "identity". Such bodies are refused: fiber's Ctx.Body and
// fasthttp's multipart form reader (behind c.FormValue) decode them whole
// into memory with no limit, so a gzip body within the normal limit could
// make the server hold a thousand times more. No browser sends one.
func isEncoded(h *fasthttp.RequestHeader) bool {
	for _, v := range h.PeekAll(fiber.HeaderContentEncoding) {
		for _, coding := range strings.Split(string(v), ",") {
			if c := strings.TrimSpace(coding); c != "" && !strings.EqualFold(c, "identity") {
				return true
			}
		}
	}
	return false
}

// limitRequests sets up srv, the fasthttp server of the root app, so that
// no request body is held in memory beyond its limit. Bodies are streamed
// (fasthttp then reads at most 8 KiB before the handler and enforces no
// limit of its own), requestLimits decides each request's limits from its
// header, and boundRequestBody reads every body but a granted import's
// into memory, up to the limit, before any app sees it.
func (s *Server) limitRequests(srv *fasthttp.Server) {
	s.bodyLimit = srv.MaxRequestBodySize
	srv.StreamRequestBody = true
	srv.DisablePreParseMultipartForm = true
	srv.HeaderReceived = s.requestLimits
	srv.Handler = s.boundRequestBody(srv.Handler)
}

// boundRequestBody wraps the server's handler. A body declared too large
// is answered 413 unread. A granted import to the admin host keeps its
// stream (and its connection closes after the answer). Every other body is read here up to the normal
// limit, so handlers read it as usual (c.Body, c.FormValue): a longer one,
// chunked or not, is answered 413.
func (s *Server) boundRequestBody(next fasthttp.RequestHandler) fasthttp.RequestHandler {
	return func(ctx *fasthttp.RequestCtx) {
		switch string(ctx.Request.Header.Peek(bodyModeHeader)) {
		case bodyTooLarge:
			s.refuseBody(ctx, fasthttp.StatusRequestEntityTooLarge)
			return
		case bodyEncoded:
			s.refuseBody(ctx, fasthttp.StatusUnsupportedMediaType)
			return
		case bodyStreamed:
			if s.isAdminImport(ctx) {
				next(ctx)
				// What the handler left unread (an upload refused before
				// its file: no slot, no CSRF token) is read and dropped,
				// so that the client, still sending, gets the answer
				// rather than a reset connection. Only a live admin
				// session gets here, and the read is bounded by the
				// import limit and the request's read timeout.
				drainBody(ctx, s.importBodyLimit())
				ctx.SetConnectionClose()
				return
			}
		}
		if ctx.Request.IsBodyStream() {
			if status := readBoundedBody(ctx, s.bodyLimit); status != 0 {
				s.refuseBody(ctx, status)
				return
			}
		}
		next(ctx)
	}
}

// isAdminImport reports whether a request is the import on the admin host,
// believing X-Forwarded-Host only from a trusted proxy (as requestHost).
func (s *Server) isAdminImport(ctx *fasthttp.RequestCtx) bool {
	if !ctx.IsPost() || string(ctx.Path()) != "/tenants/import" {
		return false
	}
	host := string(ctx.Request.Header.Host()) // as sent, like requestHost
	if peer, ok := netip.AddrFromSlice(ctx.RemoteIP()); ok && s.isTrusted(peer) {
		if fh := ctx.Request.Header.Peek(fiber.HeaderXForwardedHost); len(fh) > 0 {
			host = strings.TrimSpace(strings.Split(string(fh), ",")[0])
		}
	}
	return longRouteOf(&ctx.Request.Header, host, s.cfg.Domain) == routeImport
}

// drainBody reads and drops up to limit bytes of what is left of the
// request's body stream.
func drainBody(ctx *fasthttp.RequestCtx, limit int) {
	if stream := ctx.RequestBodyStream(); stream != nil {
		_, _ = io.Copy(io.Discard, io.LimitReader(stream, int64(limit)))
	}
}

// bodyBuffers holds buffers for readBoundedBody.
var bodyBuffers = sync.Pool{New: func() any { return new(bytes.Buffer) }}

// readBoundedBody replaces the request's body stream with its content, read
// up to limit bytes. It returns 0, or the status of the refusal: 413 for a
// longer body, 400 for one that could not be read (the client went away,
// a broken chunk).
func readBoundedBody(ctx *fasthttp.RequestCtx, limit int) int {
	buf := bodyBuffers.Get().(*bytes.Buffer)
	defer func() {
		if buf.Cap() <= 64<<10 {
			buf.Reset()
			bodyBuffers.Put(buf)
		}
	}()
	buf.Reset()
	if n := ctx.Request.Header.ContentLength(); n > 0 && n <= limit {
		buf.Grow(n)
	}
	n, err := buf.ReadFrom(io.LimitReader(ctx.RequestBodyStream(), int64(limit)+1))
	switch {
	case err != nil:
		return fasthttp.StatusBadRequest
	case n > int64(limit):
		return fasthttp.StatusRequestEntityTooLarge
	}
	ctx.Request.SetBody(buf.Bytes())
	return 0
}

// refuseBody answers a request whose body is refused and closes the
// connection, since what is left of the body may still be arriving. It is
// logged and counted like the requests the apps answer.
func (s *Server) refuseBody(ctx *fasthttp.RequestCtx, status int) {
	msg := "The request could not be read."
	switch status {
	case fasthttp.StatusRequestEntityTooLarge:
		msg = "The request is too large."
	case fasthttp.StatusUnsupportedMediaType:
		msg = "Compressed request bodies are not accepted."
	}
	ctx.Response.Reset()
	ctx.SetStatusCode(status)
	ctx.SetContentType(fiber.MIMETextPlainCharsetUTF8)
	ctx.Response.Header.Set(fiber.HeaderXContentTypeOptions, "nosniff")
	ctx.SetBodyString(msg)
	ctx.SetConnectionClose()
	host := string(ctx.Request.Header.Host())
	kind, _ := classifyHost(host, s.cfg.Domain)
	now := time.Now()
	s.metrics.observe(kind, status, 0, now)
	s.logger.Info("request", "method", string(ctx.Method()), "host", host, "path", string(ctx.Path()),
		"status", status, "refused", msg, "ip", ctx.RemoteIP().String())
}
