package web

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"todos/app"
)

// uploadBoundary separates the parts of the raw uploads below; the files
// they send are all 'x', so it never occurs in them.
const uploadBoundary = "todos-test-boundary"

// rawUpload is an import sent by hand on a real connection, so that a test
// can stop half way through the file, or send more than it could hold.
type rawUpload struct {
	t      *testing.T
	conn   net.Conn
	left   int64 // file bytes still to send
	suffix string
}

// startUpload sends the header, the CSRF field and the start of a file
// part of fileSize bytes, as b (signed in on the admin host) would.
func startUpload(t *testing.T, addr string, b *browser, fileSize int64, name string) *rawUpload {
	t.Helper()
	token := b.token(adminURL + "/")
	prefix := "--" + uploadBoundary + "\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + token + "\r\n" +
		"--" + uploadBoundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\"big.db\"\r\n" +
		"Content-Type: application/octet-stream\r\n\r\n"
	suffix := "\r\n--" + uploadBoundary + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n" + name + "\r\n" +
		"--" + uploadBoundary + "\r\nContent-Disposition: form-data; name=\"region\"\r\n\r\nlocal\r\n" +
		"--" + uploadBoundary + "--\r\n"
	var cookies []string
	for k, v := range b.jar["admin.localhost:8080"] {
		cookies = append(cookies, k+"="+v)
	}
	conn, err := net.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	fmt.Fprintf(conn, "POST /tenants/import HTTP/1.1\r\nHost: admin.localhost:8080\r\nCookie: %s\r\n"+
		"Content-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n\r\n%s",
		strings.Join(cookies, "; "), uploadBoundary, int64(len(prefix))+fileSize+int64(len(suffix)), prefix)
	return &rawUpload{t: t, conn: conn, left: fileSize, suffix: suffix}
}

// fileChunk is what rawUpload sends of its file, again and again.
var fileChunk = bytes.Repeat([]byte("x"), 64<<10)

// send sends n more bytes of the file.
func (u *rawUpload) send(n int64) {
	u.t.Helper()
	for n > 0 {
		k := min(n, int64(len(fileChunk)))
		if _, err := u.conn.Write(fileChunk[:k]); err != nil {
			u.t.Fatal(err)
		}
		n -= k
		u.left -= k
	}
}

// finish sends the rest of the file and of the form, and reads the answer.
func (u *rawUpload) finish() *http.Response {
	u.t.Helper()
	u.send(u.left)
	if _, err := io.WriteString(u.conn, u.suffix); err != nil {
		u.t.Fatal(err)
	}
	u.conn.SetReadDeadline(time.Now().Add(60 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(u.conn), nil)
	if err != nil {
		u.t.Fatalf("no answer to the upload: %v", err)
	}
	resp.Body.Close()
	return resp
}

// waitUntil polls cond until it holds; it fails the test if that takes
// unreasonably long (the state is due at once: not a timing assertion).
func waitUntil(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("still not %s", what)
		}
		time.Sleep(5 * time.Millisecond)
	}
}

// tempFiles lists dir's files.
func tempFiles(t *testing.T, dir string) []os.DirEntry {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

// uploadEnv is a server on a real listener whose uploads go to a temporary
// directory of the test's, with a browser signed in as an admin.
func uploadEnv(t *testing.T) (env *testEnv, b *browser, addr, tmp string) {
	t.Helper()
	tmp = t.TempDir()
	env = newTestEnvWith(t, func(c *Config) { c.TempDir = tmp })
	env.createAdmin(testAdminEmail, testAdminPassword)
	b = env.browser()
	b.adminSignIn(testAdminEmail, testAdminPassword)
	return env, b, env.serve(t), tmp
}

// TestAdminImportStreamsToDisk: a signed-in admin's 48 MiB upload goes to
// a temporary file as it arrives: the process allocates a small fraction
// of it (before, fasthttp held the first 16 MiB of the file in memory and
// the rest in a file outside the data directory), and the file is gone
// once the import is answered.
func TestAdminImportStreamsToDisk(t *testing.T) {
	_, b, addr, tmp := uploadEnv(t)
	const size = 48 << 20
	up := startUpload(t, addr, b, size, "big")
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	resp := up.finish()
	runtime.ReadMemStats(&after)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Fatalf("upload of a 48 MiB non-database: %d %q; want refused with a message", resp.StatusCode, resp.Header.Get("Location"))
	}
	grew := after.TotalAlloc - before.TotalAlloc
	t.Logf("a %d MiB upload allocated %d KiB", size>>20, grew>>10)
	if grew > size/4 {
		t.Errorf("a %d MiB upload allocated %d MiB", size>>20, grew>>20)
	}
	if files := tempFiles(t, tmp); len(files) != 0 {
		t.Errorf("temporary files left: %v", files)
	}
}

// TestAdminImportConcurrencyCap: while two uploads are in progress a third
// is answered 503 at once; an upload whose client goes away mid-file frees
// its slot and its file; the slots serve later imports again.
func TestAdminImportConcurrencyCap(t *testing.T) {
	env, b, addr, tmp := uploadEnv(t)
	owner := env.browser()
	owner.signUp("acme", "owner@example.com", "correct horse")
	export := b.post(adminURL+"/tenants/acme/export", nil)
	if export.StatusCode != http.StatusOK {
		t.Fatalf("export: %d", export.StatusCode)
	}

	first := startUpload(t, addr, b, 4<<20, "first")
	second := startUpload(t, addr, b, 4<<20, "second")
	first.send(256 << 10)
	second.send(256 << 10)
	waitUntil(t, "two uploads in progress", func() bool {
		return env.srv.uploads.inUse() == 2 && len(tempFiles(t, tmp)) == 2
	})
	for _, f := range tempFiles(t, tmp) {
		if info, err := f.Info(); err != nil || info.Mode().Perm() != 0o600 || !strings.HasPrefix(f.Name(), "todos-upload-") {
			t.Errorf("temporary file %s: %v %v", f.Name(), info.Mode(), err)
		}
	}

	r := b.upload(adminURL+"/tenants/import", map[string]string{"name": "third", "region": "local"}, "acme.db", []byte(export.Body))
	if r.StatusCode != http.StatusServiceUnavailable || r.Header.Get("Retry-After") == "" {
		t.Errorf("third upload: %d Retry-After %q; want 503", r.StatusCode, r.Header.Get("Retry-After"))
	}
	mustContain(t, r.Body, "Another import is in progress")
	// A browser sends its whole file before it reads the answer: the 503
	// must reach it, not a connection reset while it is still sending.
	third := startUpload(t, addr, b, 4<<20, "third")
	if resp := third.finish(); resp.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("third upload on the wire: %d; want 503", resp.StatusCode)
	}
	if env.tenant("third") != nil {
		t.Error("the refused third upload made a tenant")
	}

	// The first client goes away mid-file.
	first.conn.Close()
	waitUntil(t, "the abandoned upload's slot and file freed", func() bool {
		return env.srv.uploads.inUse() == 1 && len(tempFiles(t, tmp)) == 1
	})
	// The second finishes: not a database, refused; its file is removed.
	if resp := second.finish(); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/" {
		t.Errorf("second upload: %d %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	env.wantAudit("import", "second", app.AuditFailed)
	if n := env.srv.uploads.inUse(); n != 0 {
		t.Errorf("slots in use after every upload ended: %d", n)
	}

	// A real database imports, and leaves no file either.
	r = b.upload(adminURL+"/tenants/import", map[string]string{"name": "third", "region": "local"}, "acme.db", []byte(export.Body))
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/tenants/third" {
		t.Fatalf("import after the others: %d %q %s", r.StatusCode, r.Header.Get("Location"), clipBody(r.Body))
	}
	if env.tenant("third") == nil {
		t.Error("the import made no tenant")
	}
	if files := tempFiles(t, tmp); len(files) != 0 {
		t.Errorf("temporary files left: %v", files)
	}
}

// TestAdminImportChecksCSRFBeforeTheFile: the streamed import does the CSRF
// check the other forms get from the csrf middleware, and stores no byte of
// the file before the token is checked.
func TestAdminImportChecksCSRFBeforeTheFile(t *testing.T) {
	tmp := t.TempDir()
	env := newTestEnvWith(t, func(c *Config) { c.TempDir = tmp })
	env.createAdmin(testAdminEmail, testAdminPassword)
	b := env.browser()
	b.adminSignIn(testAdminEmail, testAdminPassword)
	owner := env.browser()
	owner.signUp("acme", "owner@example.com", "correct horse")
	db := []byte(b.post(adminURL+"/tenants/acme/export", nil).Body)
	token := b.token(adminURL + "/")

	send := func(parts []string, headers ...string) *response {
		t.Helper()
		var body bytes.Buffer
		w := multipart.NewWriter(&body)
		for _, p := range parts {
			switch p {
			case "token":
				w.WriteField(csrfField, token)
			case "wrong":
				w.WriteField(csrfField, strings.Repeat("A", len(token)))
			case "file":
				fw, _ := w.CreateFormFile("file", "acme.db")
				fw.Write(db)
			default:
				w.WriteField(p, map[string]string{"name": "copy", "region": "local"}[p])
			}
		}
		w.Close()
		req := httptest.NewRequest(http.MethodPost, "/tenants/import", &body)
		req.Host = "admin.localhost:8080"
		req.Header.Set("Content-Type", w.FormDataContentType())
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		return b.send(req)
	}
	for _, tt := range []struct {
		name    string
		parts   []string
		headers []string
	}{
		{"no token", []string{"file", "name", "region"}, nil},
		{"wrong token", []string{"wrong", "file", "name", "region"}, nil},
		{"token after the file", []string{"file", "token", "name", "region"}, nil},
		{"token from another site", []string{"token", "file", "name", "region"}, []string{"Origin", "http://evil.example"}},
	} {
		if r := send(tt.parts, tt.headers...); r.StatusCode != http.StatusForbidden {
			t.Errorf("%s: %d; want 403", tt.name, r.StatusCode)
		}
	}
	if env.tenant("copy") != nil {
		t.Fatal("an import without a valid token made a tenant")
	}
	if n := len(env.audits(appAuditFilter("import"))); n != 0 {
		t.Errorf("refused uploads audited as imports: %d", n)
	}
	// The token in the header (htmx), or first in the form: imported.
	if r := send([]string{"file", "name", "region"}, csrfHeader, token); r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/tenants/copy" {
		t.Errorf("token in the header: %d %q", r.StatusCode, r.Header.Get("Location"))
	}
	if files := tempFiles(t, tmp); len(files) != 0 {
		t.Errorf("temporary files left: %v", files)
	}
}

// TestAdminImportNeedsAdminSessionForLargeBodies: a forged session cookie
// does not buy the import's limit: a body over the normal limit is refused
// 413 unread, whatever its declared type.
func TestAdminImportNeedsAdminSessionForLargeBodies(t *testing.T) {
	_, b, addr, _ := uploadEnv(t)
	forged := b.env.browser()
	forged.jar["admin.localhost:8080"] = map[string]string{
		sessionCookie: "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		csrfCookie:    b.jar["admin.localhost:8080"][csrfCookie],
	}
	up := startUpload(t, addr, forged, 4<<20, "forged")
	up.conn.SetReadDeadline(time.Now().Add(20 * time.Second))
	resp, err := http.ReadResponse(bufio.NewReader(up.conn), nil)
	if err != nil {
		t.Fatalf("no answer before the body: %v", err)
	}
	if resp.StatusCode != http.StatusRequestEntityTooLarge || !resp.Close {
		t.Errorf("forged session: %d close=%v; want 413 and the connection closed", resp.StatusCode, resp.Close)
	}
	// The signed-in admin's own upload of the same size is read whole.
	if resp := startUpload(t, addr, b, 4<<20, "real").finish(); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("admin upload: %d", resp.StatusCode)
	}
}

// TestChunkedBodiesKeepTheLimit: with bodies streamed, a chunked body has
// no declared length to refuse; it is read up to the normal limit and
// refused beyond, and a small one reaches its handler as before.
func TestChunkedBodiesKeepTheLimit(t *testing.T) {
	env := newTestEnv(t)
	owner := env.browser()
	owner.signUp("acme", "owner@example.com", "correct horse")
	addr := env.serve(t)
	chunked := func(host, path, body string) *http.Response {
		t.Helper()
		var sb strings.Builder
		fmt.Fprintf(&sb, "POST %s HTTP/1.1\r\nHost: %s\r\nContent-Type: application/x-www-form-urlencoded\r\nTransfer-Encoding: chunked\r\n\r\n", path, host)
		for len(body) > 0 {
			n := min(len(body), 32<<10)
			fmt.Fprintf(&sb, "%x\r\n%s\r\n", n, body[:n])
			body = body[n:]
		}
		sb.WriteString("0\r\n\r\n")
		return rawRequest(t, addr, sb.String())
	}
	if r := chunked("acme.localhost:8080", "/login", "email=x&password="+strings.Repeat("y", 2<<20)); r.StatusCode != http.StatusRequestEntityTooLarge {
		t.Errorf("2 MiB chunked body: %d; want 413", r.StatusCode)
	}
	// A small chunked form is read: the CSRF check sees its (missing) token.
	if r := chunked("acme.localhost:8080", "/login", "email=x&password=y"); r.StatusCode != http.StatusForbidden {
		t.Errorf("small chunked form: %d; want the CSRF refusal", r.StatusCode)
	}
}

// TestPrepareTempDir: the temporary directory is made private and cleared
// of the files a killed process left, and of nothing else.
func TestPrepareTempDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "tmp")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"todos-upload-123.db", "todos-export-456.db", "keep.db", "todos-upload-1.txt"} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte("x"), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	n, err := PrepareTempDir(dir)
	if err != nil || n != 2 {
		t.Fatalf("PrepareTempDir = %d, %v; want 2 removed", n, err)
	}
	var left []string
	for _, e := range tempFiles(t, dir) {
		left = append(left, e.Name())
	}
	if strings.Join(left, " ") != "keep.db todos-upload-1.txt" {
		t.Errorf("left %v", left)
	}
	if info, err := os.Stat(dir); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("dir mode %v %v; want 0700", info.Mode(), err)
	}
	fresh := filepath.Join(t.TempDir(), "new", "tmp")
	if _, err := PrepareTempDir(fresh); err != nil {
		t.Fatal(err)
	}
	if info, err := os.Stat(fresh); err != nil || info.Mode().Perm() != 0o700 {
		t.Errorf("new dir mode %v %v; want 0700", info.Mode(), err)
	}
}
