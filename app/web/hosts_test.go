package web

import "testing"

func TestClassifyHost(t *testing.T) {
	tests := []struct {
		host   string
		kind   hostKind
		tenant string
	}{
		{"localhost", hostSite, ""},
		{"localhost:8080", hostSite, ""},
		{"LOCALHOST:8080", hostSite, ""},
		{"www.localhost", hostSite, ""},
		{"acme.localhost:8080", hostTenant, "acme"},
		{"ACME.Localhost", hostTenant, "acme"},
		{"acme.localhost.", hostTenant, "acme"},
		{"admin.localhost:8080", hostAdmin, ""},
		{"a.b.localhost", hostUnknown, ""},
		{"evil.com", hostUnknown, ""},
		{"acme.localhost.evil.com", hostUnknown, ""},
		{"localhostx", hostUnknown, ""},
		{"xlocalhost", hostUnknown, ""},
		{".localhost", hostUnknown, ""},
		{"127.0.0.1:8080", hostUnknown, ""},
		{"[::1]:8080", hostUnknown, ""},
		{"", hostUnknown, ""},
		{"localhost:08080", hostSite, ""},
		// Labels that can name no tenant: the "no list" page, no lookup.
		{"xn--80ak6aa92e.localhost:8080", hostTenant, ""},
		{"XN--PPLE-43D.localhost", hostTenant, ""},
		{"ab--cd.localhost", hostTenant, ""},
		{"api.localhost", hostTenant, ""},
		{"-acme.localhost", hostTenant, ""},
		{"a_b.localhost", hostTenant, ""},
		// Not a host name with an optional port: refused.
		{"acme.localhost:80@evil.com", hostInvalid, ""},
		{"localhost:8080/evil", hostInvalid, ""},
		{"localhost:abc", hostInvalid, ""},
		{"localhost:99999", hostInvalid, ""},
		{"localhost:0", hostInvalid, ""},
		{"localhost:-1", hostInvalid, ""},
		{"localhost:8080:8080", hostInvalid, ""},
		{"localhost 8080", hostInvalid, ""},
		{"[::1", hostInvalid, ""},
		{"[::1]x", hostInvalid, ""},
		{"[evil.com]", hostInvalid, ""},
		{"acme.localhost\\@evil.com", hostInvalid, ""},
		{"\u212Aacme.localhost", hostInvalid, ""}, // KELVIN SIGN, lowercased "k"
		{"acme.localhost\xff", hostInvalid, ""},
	}
	for _, tt := range tests {
		kind, tenant := classifyHost(tt.host, "localhost")
		if kind != tt.kind || tenant != tt.tenant {
			t.Errorf("classifyHost(%q) = %v, %q; want %v, %q", tt.host, kind, tenant, tt.kind, tt.tenant)
		}
	}
}

func TestSplitHostPort(t *testing.T) {
	tests := []struct{ host, name, port string }{
		{"localhost", "localhost", ""},
		{"Acme.Localhost:8080", "acme.localhost", "8080"},
		{"localhost:", "localhost", ""},
		{"localhost:00443", "localhost", "443"},
		{"localhost:65535", "localhost", "65535"},
		{"[::1]:1", "[::1]", "1"},
	}
	for _, tt := range tests {
		name, port, ok := splitHost(tt.host)
		if !ok || name != tt.name || port != tt.port {
			t.Errorf("splitHost(%q) = %q, %q, %v; want %q, %q", tt.host, name, port, ok, tt.name, tt.port)
		}
	}
	for _, bad := range []string{"localhost:65536", "localhost:123456", "localhost:+80", "localhost: 80", "a@b", "a/b", "a?b", "a#b", "a%2fb"} {
		if _, _, ok := splitHost(bad); ok {
			t.Errorf("splitHost(%q) accepted", bad)
		}
	}
}
