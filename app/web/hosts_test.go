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
		{"", hostUnknown, ""},
	}
	for _, tt := range tests {
		kind, tenant := classifyHost(tt.host, "localhost")
		if kind != tt.kind || tenant != tt.tenant {
			t.Errorf("classifyHost(%q) = %v, %q; want %v, %q", tt.host, kind, tenant, tt.kind, tt.tenant)
		}
	}
}
