package web

import (
	"io/fs"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// hostileNames are tenant names an attacker types where a name is asked
// for: paths, NUL, control characters, reserved and look-alike names, names
// that differ from a taken one only by case, space or Unicode form.
var hostileNames = []string{
	"../control", "..", ".", "a/b", "..%2fcontrol", "acme/../bravo", `..\control`,
	"acme\x00x", "acme\r\nset-cookie: x=y", "acme\x7f",
	strings.Repeat("a", 300),
	"admin", "www", "localhost", "static",
	"ACME", " acme ", "acme.", "-acme", "acme-", "a\u0301cme", "ａｃｍｅ", "аcme", // Cyrillic а
	"xn--80ak6aa92e", "xn--acme-x0a",
}

// TestHostileNames: names used as files (and hosts) are refused before they
// reach the disk or the control plane, whichever form takes them.
func TestHostileNames(t *testing.T) {
	runHostile(t, []hostileCase{
		{name: "names-signup", attack: func(t *testing.T, h *hostileEnv) {
			refusesNames(t, h, func(name string) {
				r := h.wire().post(siteURL+"/signup", url.Values{"name": {name}, "email": {"new@example.com"},
					"password": {ownerPassword}, "region": {"local"}})
				if r.StatusCode < 400 || r.StatusCode >= 500 {
					t.Errorf("sign-up %.40q: %d", name, r.StatusCode)
				}
			})
		}},
		{name: "names-admin-create", attack: func(t *testing.T, h *hostileEnv) {
			refusesNames(t, h, func(name string) {
				r := h.admin.post(adminURL+"/tenants", url.Values{"name": {name}, "region": {"local"}, "email": {"new@example.com"}})
				if r.StatusCode != http.StatusSeeOther && (r.StatusCode < 400 || r.StatusCode >= 500) {
					t.Errorf("admin create %.40q: %d", name, r.StatusCode)
				}
			})
		}},
		{name: "names-import", attack: func(t *testing.T, h *hostileEnv) {
			file := craftDB(t)
			refusesNames(t, h, func(name string) {
				r := h.admin.importFile(name, file)
				if r.StatusCode != http.StatusSeeOther && (r.StatusCode < 400 || r.StatusCode >= 500) {
					t.Errorf("import as %.40q: %d", name, r.StatusCode)
				}
			})
		}},
		{name: "names-clone", attack: func(t *testing.T, h *hostileEnv) {
			refusesNames(t, h, func(name string) {
				r := h.admin.post(adminURL+"/tenants/acme/clone", url.Values{"name": {name}})
				if r.StatusCode != http.StatusSeeOther && (r.StatusCode < 400 || r.StatusCode >= 500) {
					t.Errorf("clone into %.40q: %d", name, r.StatusCode)
				}
			})
		}},
		{name: "names-route-params", attack: func(t *testing.T, h *hostileEnv) {
			before := h.tenantNames()
			for _, p := range []string{"..%2F..%2Fcontrol.db", "%2e%2e", "..", "acme%00", "acme%2F..%2Fbravo", "bravo%2F", "%2Fetc%2Fpasswd", "*", "%25"} {
				for _, path := range []string{"/tenants/" + p, "/tenants/" + p + "/console", "/tenants/" + p + "/export"} {
					r := h.admin.get(adminURL + path)
					if r.StatusCode >= 500 || r.Header.Get("Content-Disposition") != "" || strings.HasPrefix(r.Body, "SQLite format 3") {
						t.Errorf("GET %s: %d %q", path, r.StatusCode, r.Header.Get("Content-Disposition"))
					}
				}
				for _, action := range []string{"suspend", "delete", "purge", "clone"} {
					r := h.admin.post(adminURL+"/tenants/"+p+"/"+action, url.Values{"confirm": {p}, "name": {"copyname"}})
					if r.StatusCode >= 500 {
						t.Errorf("POST /tenants/%s/%s: %d", p, action, r.StatusCode)
					}
				}
			}
			if after := h.tenantNames(); !slices.Equal(after, before) {
				t.Errorf("tenants changed: %v, were %v", after, before)
			}
		}},
		{name: "names-find", attack: func(t *testing.T, h *hostileEnv) {
			for _, name := range hostileNames {
				// Refused, or (for a way of writing acme) sent to acme.
				r := h.wire().get(siteURL + "/find?name=" + url.QueryEscape(name))
				if (r.StatusCode < 400 || r.StatusCode >= 500) && r.Header.Get("Location") != acmeURL+"/" {
					t.Errorf("find %.40q: %d %q", name, r.StatusCode, r.Header.Get("Location"))
				}
			}
		}},
		{name: "names-punycode-everywhere", finding: "9", attack: func(t *testing.T, h *hostileEnv) {
			const name = "xn--80ak6aa92e" // looks like a Cyrillic word
			h.wire().post(siteURL+"/signup", url.Values{"name": {name}, "email": {"new@example.com"},
				"password": {ownerPassword}, "region": {"local"}})
			if h.tenant(name) != nil {
				t.Fatalf("sign-up took the punycode name %s", name)
			}
			h.admin.post(adminURL+"/tenants", url.Values{"name": {name}, "region": {"local"}, "email": {"new@example.com"}})
			if h.tenant(name) != nil {
				t.Fatalf("admin create took the punycode name %s", name)
			}
			h.admin.importFile(name, craftDB(t))
			if h.tenant(name) != nil {
				t.Fatalf("import took the punycode name %s", name)
			}
			h.admin.post(adminURL+"/tenants/acme/clone", url.Values{"name": {name}})
			if h.tenant(name) != nil {
				t.Fatalf("clone took the punycode name %s", name)
			}
		}},
	})
}

// refusesNames runs try with each hostile name and fails if any created a
// tenant or a file: the data directory (and its parent, for a name that
// climbs out of it) hold the same files after as before, but for the
// databases' journals.
func refusesNames(t *testing.T, h *hostileEnv, try func(name string)) {
	t.Helper()
	tenants := h.tenantNames()
	files := dataFiles(t, filepath.Dir(h.dir))
	for _, name := range hostileNames {
		try(name)
	}
	if after := h.tenantNames(); !slices.Equal(after, tenants) {
		t.Errorf("tenants: %v; were %v", after, tenants)
	}
	if after := dataFiles(t, filepath.Dir(h.dir)); !slices.Equal(after, files) {
		t.Errorf("files: %v; were %v", after, files)
	}
}

// dataFiles lists the files under dir, journals and temporary files left
// out.
func dataFiles(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return nil // a file removed while walking
		}
		base := d.Name()
		if d.IsDir() || strings.HasSuffix(base, "-wal") || strings.HasSuffix(base, "-shm") ||
			strings.HasSuffix(base, "-journal") || strings.HasSuffix(base, ".tmp") {
			return nil
		}
		rel, _ := filepath.Rel(dir, path)
		out = append(out, rel)
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}
