package web

import (
	"strings"
)

// hostKind says which app serves a Host header.
type hostKind int

const (
	hostUnknown hostKind = iota
	hostSite
	hostTenant
	hostAdmin
)

// classifyHost maps a Host header (any case, with or without port) to the
// app that serves it and, for tenant hosts, the tenant name. Hosts outside
// domain, and names that are not single DNS labels, are unknown.
func classifyHost(host, domain string) (hostKind, string) {
	h := strings.ToLower(stripPort(host))
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
	return hostTenant, label
}

// stripPort removes a trailing ":port" from a host, keeping IPv6 brackets
// intact.
func stripPort(host string) string {
	if strings.HasPrefix(host, "[") {
		if i := strings.Index(host, "]"); i >= 0 {
			return host[:i+1]
		}
		return host
	}
	if i := strings.LastIndexByte(host, ':'); i >= 0 {
		return host[:i]
	}
	return host
}

// portOf returns the ":port" suffix of a host, or "".
func portOf(host string) string {
	if i := strings.LastIndexByte(host, ':'); i >= 0 && !strings.HasSuffix(host, "]") {
		return host[i:]
	}
	return ""
}
