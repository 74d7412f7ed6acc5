package web

import (
	"bufio"
	"strings"
	"time"

	"github.com/gofiber/fiber/v2"
)

// Event stream timing. A stream ends itself after eventStreamMaxAge (the
// browser reconnects at once, with Last-Event-ID), and sends a comment
// every eventHeartbeat so that proxies keep it open and a gone client is
// noticed.
const eventStreamMaxAge = 30 * time.Minute

var eventHeartbeat = 15 * time.Second

// handleAdminEvents handles "GET /events" on the admin host: a server-sent
// event stream with an event "tenants" whenever any tenant changes. The
// event id is the tenants version; a page passes the version it was
// rendered at as "?v=", and a reconnecting browser sends Last-Event-ID, so
// a change made while no stream was open is announced on connect. The
// stream lives only as long as the admin session that opened it.
func (s *Server) handleAdminEvents(c *fiber.Ctx) error {
	known := c.Get("Last-Event-ID")
	if known == "" {
		known = c.Query("v")
	}
	known = strings.Clone(known)
	token := strings.Clone(s.adminSessions.Token(c.UserContext()))
	adminID := adminOf(c).ID
	valid := func() bool { return s.adminSessionValid(token, adminID) }
	c.Set(fiber.HeaderContentType, "text/event-stream; charset=utf-8")
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Accel-Buffering", "no")
	c.Context().SetBodyStreamWriter(func(w *bufio.Writer) { s.streamTenantEvents(w, known, storeKey(token), valid) })
	return nil
}

// streamTenantEvents writes the event stream of the admin session stored
// under session until the client goes away (a write fails), the stream is
// old enough, the server stops, the session signs out here, or valid,
// asked every recheck interval, says the session has ended (expired,
// signed out in another process, its admin removed).
func (s *Server) streamTenantEvents(w *bufio.Writer, known, session string, valid func() bool) {
	sub, version := s.events.Subscribe(session)
	defer s.events.unsubscribe(sub)
	w.WriteString("retry: 2000\n: connected\n\n")
	if version != "" && version != known {
		writeTenantsEvent(w, version)
		known = version
	}
	if w.Flush() != nil {
		return
	}
	heartbeat := time.NewTicker(eventHeartbeat)
	defer heartbeat.Stop()
	maxAge := time.NewTimer(eventStreamMaxAge)
	defer maxAge.Stop()
	recheck := time.NewTicker(s.events.recheck)
	defer recheck.Stop()
	for {
		select {
		case <-sub.ended:
			return
		case <-recheck.C:
			if !valid() {
				return
			}
			continue
		case _, ok := <-sub.ch:
			if !ok {
				return
			}
			v := s.events.Version()
			if v == known {
				continue
			}
			known = v
			writeTenantsEvent(w, v)
		case <-heartbeat.C:
			w.WriteString(": heartbeat\n\n")
		case <-maxAge.C:
			return
		}
		if w.Flush() != nil {
			return
		}
	}
}

// writeTenantsEvent writes one "tenants" event with the version as its id.
func writeTenantsEvent(w *bufio.Writer, version string) {
	v := strings.NewReplacer("\r", "", "\n", "").Replace(version)
	w.WriteString("id: " + v + "\nevent: tenants\ndata: " + v + "\n\n")
}
