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

// clientIP returns the address of the client: the connection's peer, or,
// when that peer is a trusted proxy, the rightmost address in
// X-Forwarded-For that is not a trusted proxy. Addresses a client wrote to
// the left of that are never believed, so they cannot dodge rate limits.
func (s *Server) clientIP(c *fiber.Ctx) string {
	peer, ok := netip.AddrFromSlice(c.Context().RemoteIP())
	if !ok {
		return c.Context().RemoteIP().String()
	}
	peer = peer.Unmap()
	if !s.isTrusted(peer) {
		return peer.String()
	}
	hops := strings.Split(c.Get(fiber.HeaderXForwardedFor), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break
		}
		if !s.isTrusted(a) {
			return a.Unmap().String()
		}
	}
	return peer.String()
}
