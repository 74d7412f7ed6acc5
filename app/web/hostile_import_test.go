package web

import (
	"bytes"
	"encoding/binary"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

// wantNoFile fails if r is a download.
func wantNoFile(t *testing.T, what string, r *response) {
	t.Helper()
	if r.StatusCode == http.StatusOK || r.Header.Get("Content-Disposition") != "" || strings.HasPrefix(r.Body, "SQLite format 3") {
		t.Errorf("%s: %d %q: a download", what, r.StatusCode, r.Header.Get("Content-Disposition"))
	}
}

// wantImportRefused imports data as name and fails unless the admin is
// told why it was refused and no tenant was made.
func wantImportRefused(t *testing.T, h *hostileEnv, name string, data []byte, why string) {
	t.Helper()
	r := h.admin.importFile(name, data)
	if r.StatusCode != http.StatusSeeOther {
		t.Errorf("import %s: %d, not refused with a message", name, r.StatusCode)
	} else {
		mustContain(t, h.admin.follow(r), `class="alert"`, why)
	}
	if h.tenant(name) != nil {
		t.Errorf("import %s made a tenant", name)
	}
}

// importThenUse imports data as name. Refused is safe; accepted, the
// tenant must then work: its owner signs in (or is told the password must
// be reset) and lists, the admin opens its page and console.
func importThenUse(t *testing.T, h *hostileEnv, name string, data []byte) {
	t.Helper()
	h.admin.importFile(name, data)
	if h.tenant(name) == nil {
		return // refused
	}
	base := "http://" + name + ".localhost:8080"
	owner := h.wire("X-Forwarded-For", "198.51.100.9")
	if r := owner.login(base, ownerEmail, ownerPassword); r.StatusCode == http.StatusSeeOther {
		for _, path := range []string{"/", "/active", "/completed"} {
			if r := owner.get(base + path); r.StatusCode != http.StatusOK {
				t.Errorf("imported %s, owner's %s: %d", name, path, r.StatusCode)
			}
		}
	} else if r.StatusCode != http.StatusUnauthorized {
		t.Errorf("imported %s, owner's sign-in: %d", name, r.StatusCode)
	}
	if r := h.admin.get(adminURL + "/tenants/" + name); r.StatusCode != http.StatusOK {
		t.Errorf("imported %s, admin page: %d", name, r.StatusCode)
	}
	const sql = "SELECT * FROM users, todos, todo_stats"
	if r := h.admin.post(adminURL+"/tenants/"+name+"/console", url.Values{"sql": {sql}}); r.StatusCode != http.StatusOK {
		t.Errorf("imported %s, console %q: %d", name, sql, r.StatusCode)
	}
}

// TestHostileExportImport: export and import only for a signed-in admin,
// export only as a form post, and no file, however made, is accepted that
// can break the server or its tenant.
func TestHostileExportImport(t *testing.T) {
	runHostile(t, []hostileCase{
		{name: "export-anonymous", attack: func(t *testing.T, h *hostileEnv) {
			w := h.wire()
			wantNoFile(t, "anonymous GET export", w.get(adminURL+"/tenants/acme/export"))
			wantNoFile(t, "anonymous POST export", w.post(adminURL+"/tenants/acme/export", url.Values{}))
		}},
		{name: "export-with-tenant-cookie", attack: func(t *testing.T, h *hostileEnv) {
			thief := h.wire()
			thief.copyCookies(h.acme, "acme.localhost:8080", "admin.localhost:8080")
			wantNoFile(t, "GET export with acme's cookie", thief.get(adminURL+"/tenants/acme/export"))
			wantNoFile(t, "POST export with acme's cookie", thief.post(adminURL+"/tenants/acme/export", url.Values{}))
		}},
		{name: "export-get-is-no-action", finding: "9", attack: func(t *testing.T, h *hostileEnv) {
			// A link on another site must not start an export.
			wantNoFile(t, "an admin's GET export", h.admin.get(adminURL+"/tenants/acme/export"))
			wantNoFile(t, "an admin's GET export from another site", h.admin.get(adminURL+"/tenants/acme/export", "Referer", "http://evil.example/"))
		}},
		{name: "export-post-with-csrf", finding: "9", attack: func(t *testing.T, h *hostileEnv) {
			r := h.admin.do(http.MethodPost, adminURL+"/tenants/acme/export", url.Values{})
			wantNoFile(t, "POST export without a token", r)
			r = h.admin.post(adminURL+"/tenants/acme/export", url.Values{})
			if r.StatusCode != http.StatusOK || !strings.HasPrefix(r.Body, "SQLite format 3\x00") {
				t.Errorf("POST export with a token: %d %q", r.StatusCode, r.Header.Get("Content-Disposition"))
			}
		}},
		{name: "import-anonymous", attack: func(t *testing.T, h *hostileEnv) {
			w := h.wire()
			r := w.upload(adminURL+"/tenants/import", w.token(adminURL), map[string]string{"name": "stolen", "region": "local"}, "x.db", craftDB(t))
			if r.StatusCode != http.StatusSeeOther && r.StatusCode != http.StatusForbidden && r.StatusCode != http.StatusUnauthorized {
				t.Errorf("anonymous import: %d", r.StatusCode)
			}
			if h.tenant("stolen") != nil {
				t.Error("an anonymous import made a tenant")
			}
		}},
		{name: "import-with-tenant-cookie", attack: func(t *testing.T, h *hostileEnv) {
			thief := h.wire()
			thief.copyCookies(h.acme, "acme.localhost:8080", "admin.localhost:8080")
			thief.upload(adminURL+"/tenants/import", thief.token(adminURL), map[string]string{"name": "stolen", "region": "local"}, "x.db", craftDB(t))
			if h.tenant("stolen") != nil {
				t.Error("an import with a tenant's cookie made a tenant")
			}
		}},
		{name: "import-not-sqlite", attack: func(t *testing.T, h *hostileEnv) {
			wantImportRefused(t, h, "junk", bytes.Repeat([]byte("not a database "), 500), "not a SQLite database")
			wantImportRefused(t, h, "elf", append([]byte("\x7fELF\x02\x01\x01"), make([]byte, 4096)...), "not a SQLite database")
			wantImportRefused(t, h, "html", []byte("<html><script>alert(1)</script></html>"), "not a SQLite database")
		}},
		{name: "import-truncated", attack: func(t *testing.T, h *hostileEnv) {
			file := craftDB(t)
			wantImportRefused(t, h, "half", file[:len(file)/2], "incomplete")
			wantImportRefused(t, h, "header", file[:50], "incomplete")
			wantImportRefused(t, h, "magic", file[:16], "incomplete")
			wantImportRefused(t, h, "chopped", file[:len(file)-1], "incomplete")
		}},
		{name: "import-header-lies", attack: func(t *testing.T, h *hostileEnv) {
			file := craftDB(t)
			more := bytes.Clone(file)
			binary.BigEndian.PutUint32(more[28:32], binary.BigEndian.Uint32(more[28:32])+1000)
			wantImportRefused(t, h, "more-pages", more, "")
			odd := bytes.Clone(file)
			binary.BigEndian.PutUint16(odd[16:18], 3)
			wantImportRefused(t, h, "odd-page-size", odd, "damaged")
			format := bytes.Clone(file)
			format[18], format[19] = 7, 7
			wantImportRefused(t, h, "odd-format", format, "damaged")
			zeroed := bytes.Clone(file)
			copy(zeroed[len(zeroed)/2:], make([]byte, len(zeroed)/2))
			wantImportRefused(t, h, "zeroed", zeroed, "")
		}},
		{name: "import-wrong-schema", attack: func(t *testing.T, h *hostileEnv) {
			wantImportRefused(t, h, "no-column", craftDB(t, "ALTER TABLE todos DROP COLUMN updated_at"), "")
			wantImportRefused(t, h, "no-table", craftDB(t, "DROP TABLE sessions"), "")
			wantImportRefused(t, h, "no-version", craftDB(t, "PRAGMA user_version = 0"), "no schema version")
			wantImportRefused(t, h, "newer", craftDB(t, "PRAGMA user_version = 9999"), "newer version")
			wantImportRefused(t, h, "other-type", craftDB(t, "ALTER TABLE todos RENAME COLUMN completed TO done",
				"ALTER TABLE todos ADD COLUMN completed TEXT"), "")
		}},
		{name: "import-extra-trigger-and-view", attack: func(t *testing.T, h *hostileEnv) {
			// Schema objects that run on the owner's next write or read.
			wantImportRefused(t, h, "trigger", craftDB(t,
				"CREATE TRIGGER wipe AFTER INSERT ON todos BEGIN DELETE FROM users; DELETE FROM todos; END"), "")
			wantImportRefused(t, h, "view", craftDB(t, "CREATE VIEW spy AS SELECT * FROM users"), "")
		}},
		{name: "import-planted-session", attack: func(t *testing.T, h *hostileEnv) {
			file := craftDB(t, "INSERT INTO sessions (token_hash, data, expiry) VALUES ('"+storeKey("planted-token-planted-token")+"', x'00', 9999999999999)")
			if r := h.admin.importFile("planted", file); h.tenant("planted") == nil {
				t.Fatalf("import: %d %s", r.StatusCode, h.admin.follow(r))
			}
			thief := h.wire()
			thief.setCookie("planted.localhost:8080", sessionCookie, "planted-token-planted-token")
			wantLogin(t, thief.get("http://planted.localhost:8080/"), "the planted session")
			if n := consoleValueOf(t, h, "planted", "SELECT count(*) FROM sessions"); n != "0" {
				t.Errorf("the imported tenant keeps %s planted sessions", n)
			}
		}},
		{name: "import-wrong-storage-types", finding: "5", attack: func(t *testing.T, h *hostileEnv) {
			importThenUse(t, h, "texts", craftDB(t, "UPDATE todos SET created_at = 'yesterday', updated_at = 1e300",
				"UPDATE todo_stats SET total = -5, completed = 'x'"))
			importThenUse(t, h, "blobs", craftDB(t, "UPDATE todos SET title = x'41424344', completed = 1.0",
				"UPDATE users SET created_at = x'00'"))
		}},
		{name: "import-invalid-utf8-table-name", finding: "5", isolated: true, attack: func(t *testing.T, h *hostileEnv) {
			// The first reproduction: the import's own check crashed.
			file := patchBytes(t, craftDB(t, "CREATE TABLE qhostileq (x)"), "qhostileq", "\xffhostileq")
			wantImportRefused(t, h, "badname", file, "")
		}},
		{name: "import-invalid-utf8-created-at", finding: "5", isolated: true, attack: func(t *testing.T, h *hostileEnv) {
			// The second: the import passed, the owner's list crashed.
			importThenUse(t, h, "badtime", craftDB(t, "UPDATE todos SET created_at = CAST(x'ff' AS TEXT)"))
		}},
		{name: "import-invalid-utf8-title", finding: "5", isolated: true, attack: func(t *testing.T, h *hostileEnv) {
			importThenUse(t, h, "badtitle", craftDB(t, "UPDATE todos SET title = CAST(x'41ff42' AS TEXT)"))
		}},
		{name: "import-invalid-utf8-password-hash", finding: "5", isolated: true, attack: func(t *testing.T, h *hostileEnv) {
			importThenUse(t, h, "badhash", craftDB(t, "UPDATE users SET password_hash = CAST(x'ff' AS TEXT) || password_hash"))
		}},
		{name: "import-invalid-utf8-email", finding: "5", isolated: true, attack: func(t *testing.T, h *hostileEnv) {
			importThenUse(t, h, "bademail", craftDB(t,
				"INSERT INTO users (email, password_hash, created_at) VALUES (CAST(x'ff40' AS TEXT), 'x', 0)",
				"UPDATE todo_stats SET total = CAST(x'ff' AS TEXT)"))
		}},
	})
}

// consoleValueOf returns the first value of sql run read-only in the
// console of tenant name.
func consoleValueOf(t *testing.T, h *hostileEnv, name, sql string) string {
	t.Helper()
	r := h.admin.post(adminURL+"/tenants/"+name+"/console", url.Values{"sql": {sql}})
	m := consoleCell.FindStringSubmatch(r.Body)
	if r.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("console of %s %q: %d, no value\n%s", name, sql, r.StatusCode, clipBody(r.Body))
	}
	return m[1]
}
