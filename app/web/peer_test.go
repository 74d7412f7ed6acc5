package web

import (
	"bufio"
	"bytes"
	"net"
	"net/http"
	"net/http/httputil"
	"strconv"
	"time"
)

// peerConn is an in-memory connection to the real server whose peer
// address is chosen by the test, so that requests can come from several
// clients or through a proxy. fiber's App.Test always comes from 0.0.0.0.
type peerConn struct {
	in, out bytes.Buffer
	peer    net.Addr
}

func (c *peerConn) Read(b []byte) (int, error)         { return c.in.Read(b) }
func (c *peerConn) Write(b []byte) (int, error)        { return c.out.Write(b) }
func (c *peerConn) Close() error                       { return nil }
func (c *peerConn) LocalAddr() net.Addr                { return &net.TCPAddr{IP: net.IPv4(127, 0, 0, 1), Port: 8080} }
func (c *peerConn) RemoteAddr() net.Addr               { return c.peer }
func (c *peerConn) SetDeadline(t time.Time) error      { return nil }
func (c *peerConn) SetReadDeadline(t time.Time) error  { return nil }
func (c *peerConn) SetWriteDeadline(t time.Time) error { return nil }

// serveFrom serves req on the real server as if it came from peer (an IP
// address) and returns the response.
func serveFrom(s *Server, peer string, req *http.Request) (*http.Response, error) {
	// App.Test prepares the routes on first use; ServeConn alone does not.
	if _, err := s.App().Test(httptestRequest(http.MethodGet, "/healthz"), -1); err != nil {
		return nil, err
	}
	if req.Body != nil && req.Body != http.NoBody && req.Header.Get("Content-Length") == "" {
		req.Header.Set("Content-Length", strconv.FormatInt(req.ContentLength, 10))
	}
	dump, err := httputil.DumpRequest(req, true)
	if err != nil {
		return nil, err
	}
	c := &peerConn{peer: &net.TCPAddr{IP: net.ParseIP(peer), Port: 40000}}
	c.in.Write(dump)
	if err := s.App().Server().ServeConn(c); err != nil {
		return nil, err
	}
	return http.ReadResponse(bufio.NewReader(&c.out), req)
}

// httptestRequest is a bodiless request for path.
func httptestRequest(method, path string) *http.Request {
	req, _ := http.NewRequest(method, "http://localhost"+path, nil)
	return req
}

// browserFrom returns a new browser whose requests come from peer.
func (e *testEnv) browserFrom(peer string) *browser {
	b := e.browser()
	b.peer = peer
	return b
}
