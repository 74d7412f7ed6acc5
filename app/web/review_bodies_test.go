package web

import (
	"bytes"
	"compress/gzip"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// gzipForm returns a multipart form of fields (in order, name then value),
// gzip-compressed, and its content type.
func gzipForm(t *testing.T, fields ...string) ([]byte, string) {
	t.Helper()
	var form bytes.Buffer
	mw := multipart.NewWriter(&form)
	for i := 0; i+1 < len(fields); i += 2 {
		if err := mw.WriteField(fields[i], fields[i+1]); err != nil {
			t.Fatal(err)
		}
	}
	if err := mw.Close(); err != nil {
		t.Fatal(err)
	}
	var z bytes.Buffer
	zw := gzip.NewWriter(&z)
	if _, err := zw.Write(form.Bytes()); err != nil {
		t.Fatal(err)
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return z.Bytes(), mw.FormDataContentType()
}

// TestEncodedRequestBodiesRefused: a request body with a Content-Encoding is
// refused (415) before any app reads it. fasthttp decodes a gzip multipart
// form whole into memory with no limit when a handler reads a form value
// (c.FormValue, as the CSRF check does), so a 1 MiB body, within the
// normal limit, would make an anonymous client's request hold about 1 GB.
// No browser sends an encoded request body.
func TestEncodedRequestBodiesRefused(t *testing.T) {
	env := newTestEnv(t)
	b := env.browser()
	token := b.token("http://localhost:8080/")

	// A valid sign-up, compressed: before the fix it created the list.
	body, ctype := gzipForm(t, csrfField, token, "name", "zipped", "email", "z@example.com",
		"password", "correct horse", "region", "local")
	req := httptest.NewRequest(http.MethodPost, "/signup", bytes.NewReader(body))
	req.Host = "localhost:8080"
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Content-Encoding", "gzip")
	if r := b.send(req); r.StatusCode != http.StatusUnsupportedMediaType {
		t.Errorf("gzip sign-up form: %d; want 415\n%s", r.StatusCode, clipBody(r.Body))
	}
	if env.tenant("zipped") != nil {
		t.Errorf("a gzip-encoded sign-up created its list: the body was decoded")
	}

	// A bomb: 32 MiB of form value in a body of some 32 KiB.
	bomb, ctype := gzipForm(t, csrfField, token, "name", strings.Repeat("a", 32<<20))
	for _, enc := range []string{"gzip", "GZIP", "deflate", "br", "gzip, identity"} {
		req := httptest.NewRequest(http.MethodPost, "/signup", bytes.NewReader(bomb))
		req.Host = "localhost:8080"
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Content-Encoding", enc)
		if r := b.send(req); r.StatusCode != http.StatusUnsupportedMediaType {
			t.Errorf("Content-Encoding %q: %d; want 415", enc, r.StatusCode)
		}
	}

	// "identity" is no encoding at all, and a body-less request with a
	// Content-Encoding has nothing to decode.
	req = httptest.NewRequest(http.MethodGet, "/", nil)
	req.Host = "localhost:8080"
	req.Header.Set("Content-Encoding", "gzip")
	if r := b.send(req); r.StatusCode != http.StatusOK {
		t.Errorf("GET with Content-Encoding and no body: %d", r.StatusCode)
	}
	if r := b.post("http://localhost:8080/signup", nil, "Content-Encoding", "identity"); r.StatusCode == http.StatusUnsupportedMediaType {
		t.Errorf("Content-Encoding identity refused")
	}
}
