package web

import (
	"net/netip"
	"strings"

	"github.com/gofiber/fiber/v2"
)

// parsePrefixes turns the configured trusted proxies (IPs or CIDRs, already
// validated) into prefixes; entries that do not parse are skipped.
func parsePrefixes(list []string) []netip.Prefix {
	var out []netip.Prefix
	for _, s := range list {
		if p, err := netip.ParsePrefix(s); err == nil {
			out = append(out, p.Masked())
		} else if a, err := netip.ParseAddr(s); err == nil {
			a = a.Unmap()
			out = append(out, netip.PrefixFrom(a, a.BitLen()))
		}
	}
	return out
}

// isTrusted reports whether a is one of the trusted proxies.
func (s *Server) isTrusted(a netip.Addr) bool {
	for _, p := range s.trusted {
		if p.Contains(a.Unmap()) {
			return true
		}
	}
	return false
}

// clientAddr returns the address of the client. It is the connection's
// peer unless the peer is a trusted proxy. Then, with Config.ClientIPHeader
// set (e.g. Fly-Client-IP), it is the address in that header, the last one
// if a client sent its own as well, since the proxy's is added last; without
// it, the rightmost address in X-Forwarded-For (all its lines) that is not
// a trusted proxy. An address may carry a port (parseHop).
// Addresses a client wrote before those are never believed, so they cannot
// dodge or aim rate limits. A missing or unreadable header gives the
// proxy's address.
func (s *Server) clientAddr(c *fiber.Ctx) (netip.Addr, bool) {
	peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return netip.Addr{}, false
	}
	peer = peer.Unmap()
	if !s.isTrusted(peer) {
		return peer, true
	}
	if s.cfg.ClientIPHeader != "" {
		values := c.Request().Header.PeekAll(s.cfg.ClientIPHeader)
		if len(values) == 0 {
			return peer, true
		}
		last := string(values[len(values)-1])
		if i := strings.LastIndexByte(last, ','); i >= 0 {
			last = last[i+1:]
		}
		if a, ok := parseHop(last); ok {
			return a, true
		}
		return peer, true
	}
	// Every X-Forwarded-For line, in order: a proxy may add its hop as a
	// line of its own after the client's, and the lines are one list.
	var hops []string
	for _, v := range c.Request().Header.PeekAll(fiber.HeaderXForwardedFor) {
		hops = append(hops, strings.Split(string(v), ",")...)
	}
	for i := len(hops) - 1; i >= 0; i-- {
		a, ok := parseHop(hops[i])
		if !ok {
			break
		}
		if !s.isTrusted(a) {
			return a, true
		}
	}
	return peer, true
}

// parseHop parses one address of a forwarding header: an IP address, or
// one with a port as some proxies write it ("203.0.113.5:4711",
// "[2001:db8::5]:4711"), around spaces. The address is returned unmapped
// and without a zone.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	a, err := netip.ParseAddr(s)
	if err != nil {
		ap, perr := netip.ParseAddrPort(s)
		if perr != nil {
			return netip.Addr{}, false
		}
		a = ap.Addr()
	}
	return a.Unmap().WithZone(""), true
}

// clientIP returns the client's address as text, for logs.
func (s *Server) clientIP(c *fiber.Ctx) string {
	if a, ok := s.clientAddr(c); ok {
		return a.String()
	}
	return c.Context().RemoteIP().String()
}

// clientKey returns the key rate limits count a client under: its IPv4
// address, or its IPv6 /64, since one subscriber usually holds a whole /64
// and could otherwise take a new address for every attempt.
func (s *Server) clientKey(c *fiber.Ctx) string {
	a, ok := s.clientAddr(c)
	if !ok {
		return c.Context().RemoteIP().String()
	}
	if a.Is6() {
		return netip.PrefixFrom(a, 64).Masked().String()
	}
	return a.String()
}
