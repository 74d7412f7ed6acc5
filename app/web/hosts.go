package web

import (
	"strconv"
	"strings"

	"github.com/gofiber/fiber/v2"

	"todos/app"
)

// hostKind says which app serves a Host header.
type hostKind int

const (
	hostUnknown hostKind = iota
	hostSite
	hostTenant
	hostAdmin
	// hostInvalid is a Host header that is not a host name with an
	// optional port (e.g. "localhost:80@evil.com", "localhost:99999"):
	// refused with 400. Metrics count it as unknown.
	hostInvalid
)

// errBadHost answers a request whose Host (or trusted X-Forwarded-Host) is
// not a valid host.
var errBadHost = fiber.NewError(fiber.StatusBadRequest, "This request's Host header is not a valid host name and port.")

// classifyHost maps a Host header (any case, with or without port) to the
// app that serves it and, for tenant hosts, the tenant name. Hosts outside
// domain, and names that are not single DNS labels, are unknown; malformed
// ones invalid. A single label under domain that can name no tenant
// (app.CheckTenantName: "xn--…", reserved names, bad characters) is a
// tenant host with the name "": it gets the "no list here" page without a
// lookup.
func classifyHost(host, domain string) (hostKind, string) {
	if host == "" {
		return hostUnknown, ""
	}
	h, _, ok := splitHost(host)
	if !ok {
		return hostInvalid, ""
	}
	h = strings.TrimSuffix(h, ".")
	domain = strings.ToLower(domain)
	if h == domain {
		return hostSite, ""
	}
	if h == "www."+domain {
		return hostSite, ""
	}
	label, ok := strings.CutSuffix(h, "."+domain)
	if !ok || label == "" || strings.Contains(label, ".") {
		return hostUnknown, ""
	}
	if label == "admin" {
		return hostAdmin, ""
	}
	if app.CheckTenantName(label) != nil {
		return hostTenant, ""
	}
	return hostTenant, label
}

// splitHost splits a Host header into its name, lowercased, and its port.
// ok is false unless the header is a host name (ASCII letters, digits,
// "-", "_" and ".") or an IPv6 literal in brackets, optionally followed by
// ":" and a decimal port in 1..65535. port is "" when none is given, else
// the port's canonical decimal form: it is safe to put into a URL.
func splitHost(host string) (name, port string, ok bool) {
	name = host
	rest := ""
	if strings.HasPrefix(host, "[") {
		end := strings.IndexByte(host, ']')
		if end < 0 {
			return "", "", false
		}
		name, rest = host[:end+1], host[end+1:]
		if !isIPv6Literal(name[1:end]) {
			return "", "", false
		}
	} else {
		if i := strings.IndexByte(host, ':'); i >= 0 {
			name, rest = host[:i], host[i:]
		}
		if !isHostName(name) {
			return "", "", false
		}
	}
	if rest != "" {
		if rest[0] != ':' {
			return "", "", false
		}
		if port, ok = canonicalPort(rest[1:]); !ok {
			return "", "", false
		}
	}
	return strings.ToLower(name), port, true
}

// isHostName reports whether s is made of ASCII letters, digits, "-", "_"
// and "." only, and is not empty.
func isHostName(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return false
		}
	}
	return true
}

// isIPv6Literal reports whether s (without brackets) is made of the
// characters of an IPv6 address only.
func isIPv6Literal(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F' || c == ':' || c == '.') {
			return false
		}
	}
	return true
}

// canonicalPort returns the decimal port p in 1..65535 in its canonical
// form ("08080" is "8080"). An empty port, which RFC 3986 allows, is no
// port.
func canonicalPort(p string) (string, bool) {
	if p == "" {
		return "", true
	}
	if len(p) > 5 {
		return "", false
	}
	for i := 0; i < len(p); i++ {
		if p[i] < '0' || p[i] > '9' {
			return "", false
		}
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 {
		return "", false
	}
	return strconv.Itoa(n), true
}
