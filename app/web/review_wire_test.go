package web

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"
)

// rawConn is one TCP connection to a test server, for requests written by
// hand: pipelined, chunked, with trailers.
type rawConn struct {
	t    *testing.T
	conn net.Conn
	r    *bufio.Reader
}

func dialRaw(t *testing.T, addr string) *rawConn {
	t.Helper()
	conn, err := net.DialTimeout("tcp", addr, 5*time.Second)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	conn.SetDeadline(time.Now().Add(20 * time.Second))
	return &rawConn{t: t, conn: conn, r: bufio.NewReader(conn)}
}

func (c *rawConn) write(s string) {
	c.t.Helper()
	if _, err := io.WriteString(c.conn, s); err != nil {
		c.t.Fatal(err)
	}
}

// read reads one answer, or returns the error of reading none.
func (c *rawConn) read() (*http.Response, string, error) {
	resp, err := http.ReadResponse(c.r, nil)
	if err != nil {
		return nil, "", err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	return resp, string(b), err
}

// mustRead reads one answer and fails unless its status is want.
func (c *rawConn) mustRead(what string, want int) *http.Response {
	c.t.Helper()
	resp, body, err := c.read()
	if err != nil {
		c.t.Fatalf("%s: no answer: %v", what, err)
	}
	if resp.StatusCode != want {
		c.t.Errorf("%s: %d; want %d\n%s", what, resp.StatusCode, want, clipBody(body))
	}
	return resp
}

// TestWireBodies sends, on real connections, bodies a client shapes to get
// past the body limits: the internal body-mode header written by the
// client (any case, twice, or as a chunked body's trailer), pipelined
// requests after them, a gzip body in chunks, "Expect: 100-continue" on a
// body over the limit, and a chunk size past any integer.
func TestWireBodies(t *testing.T) {
	env := newTestEnv(t)
	env.createAdmin(testAdminEmail, testAdminPassword)
	addr := env.serve(t)

	form := "name=x&email=y"
	t.Run("client-body-mode-header-pipelined", func(t *testing.T) {
		c := dialRaw(t, addr)
		c.write(fmt.Sprintf("POST /signup HTTP/1.1\r\nHost: localhost\r\nx-todos-body: too-large\r\nX-TODOS-BODY: stream\r\n"+
			"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(form), form))
		c.write("POST /tenants/import HTTP/1.1\r\nHost: admin.localhost\r\nX-Todos-Body: stream\r\n" +
			"Content-Type: multipart/form-data; boundary=b\r\nContent-Length: 4\r\n\r\nabcd")
		c.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
		c.mustRead("sign-up with a client's body-mode header", http.StatusForbidden) // no CSRF cookie
		if r := c.mustRead("import with a client's body-mode header", http.StatusSeeOther); r.Close {
			t.Errorf("the import's answer closes the connection: its body was taken as a stream")
		}
		c.mustRead("the request after them", http.StatusOK)
	})

	t.Run("trailer-body-mode-header", func(t *testing.T) {
		c := dialRaw(t, addr)
		c.write("POST /signup HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nTrailer: X-Todos-Body\r\n" +
			"Content-Type: application/x-www-form-urlencoded\r\n\r\n" +
			fmt.Sprintf("%x\r\n%s\r\n0\r\nX-Todos-Body: too-large\r\n\r\n", len(form), form))
		c.write("GET /healthz HTTP/1.1\r\nHost: localhost\r\n\r\n")
		c.mustRead("chunked sign-up with a body-mode trailer", http.StatusForbidden)
		c.mustRead("the request after it", http.StatusOK)
	})

	t.Run("gzip-chunked", func(t *testing.T) {
		var z bytes.Buffer
		zw := gzip.NewWriter(&z)
		zw.Write([]byte("--b\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n" + strings.Repeat("x", 1<<20) + "\r\n--b--\r\n"))
		zw.Close()
		c := dialRaw(t, addr)
		c.write("POST /signup HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n" +
			"Content-Type: multipart/form-data; boundary=b\r\n\r\n" + fmt.Sprintf("%x\r\n%s\r\n0\r\n\r\n", z.Len(), z.Bytes()))
		if r := c.mustRead("gzip chunked body", http.StatusUnsupportedMediaType); !r.Close {
			t.Errorf("415 keeps the connection open, with the body unread")
		}
	})

	t.Run("expect-continue-over-limit", func(t *testing.T) {
		c := dialRaw(t, addr)
		c.write("POST /signup HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n" +
			"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 2000000\r\n\r\n")
		// http.ReadResponse would skip a "100 Continue": look at the first line.
		line, err := c.r.ReadString('\n')
		if err != nil {
			t.Fatalf("no answer: %v", err)
		}
		if !strings.HasPrefix(line, "HTTP/1.1 413") {
			t.Errorf("first line of the answer to a 2 MB body with Expect: %q; want 413 without 100 Continue", line)
		}
	})

	t.Run("expect-continue-within-limit", func(t *testing.T) {
		c := dialRaw(t, addr)
		c.write(fmt.Sprintf("POST /signup HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\n"+
			"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n", len(form)))
		line, err := c.r.ReadString('\n')
		if err != nil || !strings.HasPrefix(line, "HTTP/1.1 100") {
			t.Fatalf("want 100 Continue first: %q %v", line, err)
		}
		c.r.ReadString('\n')
		c.write(form)
		c.mustRead("the form after 100 Continue", http.StatusForbidden)
	})

	t.Run("huge-chunk-size", func(t *testing.T) {
		c := dialRaw(t, addr)
		c.write("POST /signup HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n" +
			"Content-Type: application/x-www-form-urlencoded\r\n\r\nffffffffffffffffffff\r\nabc")
		resp, _, err := c.read()
		if err != nil {
			t.Fatalf("no answer to a chunk size past any integer: %v", err)
		}
		if resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("chunk size past any integer: %d", resp.StatusCode)
		}
		c2 := dialRaw(t, addr)
		c2.write("POST /signup HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n" +
			"Content-Type: application/x-www-form-urlencoded\r\n\r\n7fffffffffffffff\r\nabc")
		if r, _, err := c2.read(); err != nil || (r.StatusCode != http.StatusRequestEntityTooLarge && r.StatusCode != http.StatusBadRequest) {
			t.Errorf("chunk size 2^63-1 with 3 bytes sent: %v %v; want 400 or 413 at once", r, err)
		}
	})

	t.Run("truncated-body", func(t *testing.T) {
		// A body shorter than its Content-Length (the client stops
		// sending) is not handed on as if whole.
		c := dialRaw(t, addr)
		c.write(fmt.Sprintf("POST /signup HTTP/1.1\r\nHost: localhost\r\n"+
			"Content-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s", len(form)+100, form))
		c.conn.(*net.TCPConn).CloseWrite()
		if r, _, err := c.read(); err == nil && r.StatusCode != http.StatusBadRequest {
			t.Errorf("a body 100 bytes short of its length: %d; want 400 or no answer", r.StatusCode)
		}
	})
}
