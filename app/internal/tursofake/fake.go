package tursofake

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"todos/app/internal/sqldtest"
)

// Fake is a fake Platform API for one organisation, on a real sqld.
type Fake struct {
	URL   string // the API's base URL, for --turso-api-url
	Org   string
	Token string // the platform API token it accepts
	SQLD  *sqldtest.Server

	key ed25519.PrivateKey

	mu     sync.Mutex
	groups map[string]bool
	dbs    map[string]*database
	faults []int // statuses to answer the next requests with
	// pathFaults answer the next requests whose path has a suffix with a
	// status, before faults do.
	pathFaults []pathFault
	branches   int
	delay      time.Duration
	now        func() time.Time // nil: the real clock
	issued     int
	requests   int
}

// database is one database of the fake.
type database struct {
	Name, DbID, Group       string
	BlockReads, BlockWrites bool
}

// Start starts sqld with JWT auth and the fake API in front of it, with
// the groups named, and stops both when the test ends.
func Start(t testing.TB, org string, groups ...string) *Fake {
	t.Helper()
	pub, key, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	der, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	keyFile := filepath.Join(t.TempDir(), "jwt.pem")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}), 0o600); err != nil {
		t.Fatal(err)
	}
	f := &Fake{Org: org, Token: "platform-" + randomHex(16), key: key, groups: map[string]bool{}, dbs: map[string]*database{}}
	for _, g := range groups {
		f.groups[g] = true
	}
	f.SQLD = sqldtest.Start(t, "--auth-jwt-key-file", keyFile)
	srv := httptest.NewServer(http.HandlerFunc(f.serve))
	t.Cleanup(srv.Close)
	f.URL = srv.URL
	return f
}

// Fail makes the next n API requests answer status (e.g. 429, 500), with
// an error body, before doing anything.
func (f *Fake) Fail(status, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := 0; i < n; i++ {
		f.faults = append(f.faults, status)
	}
}

// pathFault is a status to answer the next requests whose path ends in
// suffix with.
type pathFault struct {
	suffix string
	status int
	left   int
}

// FailPath makes the next n API requests whose path ends in suffix (e.g.
// "/auth/tokens") answer status, with an error body, before doing
// anything; other requests are answered as usual.
func (f *Fake) FailPath(suffix string, status, n int) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.pathFaults = append(f.pathFaults, pathFault{suffix: suffix, status: status, left: n})
}

// Branches returns how many databases the fake has created from a seed
// database (Turso's branching).
func (f *Fake) Branches() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.branches
}

// Databases returns the names of the fake's databases.
func (f *Fake) Databases() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	names := make([]string, 0, len(f.dbs))
	for n := range f.dbs {
		names = append(names, n)
	}
	return names
}

// ClearFaults drops the statuses Fail (and FailPath) queued that no
// request has been answered with yet, and returns how many there were.
func (f *Fake) ClearFaults() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(f.faults)
	for _, pf := range f.pathFaults {
		n += pf.left
	}
	f.faults, f.pathFaults = nil, nil
	return n
}

// SetDelay makes every API request wait d before it is answered.
func (f *Fake) SetDelay(d time.Duration) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.delay = d
}

// SetClock sets the fake's clock, which stamps and checks token expiry
// (time.Now when nil).
func (f *Fake) SetClock(now func() time.Time) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.now = now
}

// TokensIssued returns how many database tokens the fake has issued.
func (f *Fake) TokensIssued() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.issued
}

// Requests returns how many API requests the fake has received.
func (f *Fake) Requests() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.requests
}

// Has reports whether database name exists.
func (f *Fake) Has(name string) bool {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.dbs[name] != nil
}

// clock returns the fake's time.
func (f *Fake) clock() time.Time {
	if f.now == nil {
		return time.Now()
	}
	return f.now()
}

// Valid reports whether token is a database token of database name that
// the fake issued and that has not expired by its clock.
func (f *Fake) Valid(token, name string) bool {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return false
	}
	sig, err := base64.RawURLEncoding.DecodeString(parts[2])
	if err != nil || !ed25519.Verify(f.key.Public().(ed25519.PublicKey), []byte(parts[0]+"."+parts[1]), sig) {
		return false
	}
	raw, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return false
	}
	var c struct {
		Exp int64  `json:"exp"`
		ID  string `json:"id"`
	}
	if json.Unmarshal(raw, &c) != nil {
		return false
	}
	f.mu.Lock()
	now := f.clock()
	f.mu.Unlock()
	return c.ID == name && now.Unix() < c.Exp
}

// serve answers one API request.
func (f *Fake) serve(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	f.requests++
	delay := f.delay
	var fault int
	for i := range f.pathFaults {
		if pf := &f.pathFaults[i]; pf.left > 0 && strings.HasSuffix(r.URL.Path, pf.suffix) {
			fault = pf.status
			pf.left--
			break
		}
	}
	if fault == 0 && len(f.faults) > 0 {
		fault, f.faults = f.faults[0], f.faults[1:]
	}
	f.mu.Unlock()
	// Read the body first: only then does net/http notice a client that
	// hangs up, and end a delayed request's context.
	body, _ := io.ReadAll(io.LimitReader(r.Body, 1<<20))
	r.Body = io.NopCloser(bytes.NewReader(body))
	if delay > 0 {
		select {
		case <-time.After(delay):
		case <-r.Context().Done():
			return
		}
	}
	if fault != 0 {
		if fault == http.StatusTooManyRequests {
			w.Header().Set("Retry-After", "0")
		}
		writeError(w, fault, http.StatusText(fault))
		return
	}
	if r.Header.Get("Authorization") != "Bearer "+f.Token {
		writeError(w, http.StatusUnauthorized, "unauthorized")
		return
	}
	parts := strings.Split(strings.Trim(r.URL.Path, "/"), "/")
	if len(parts) < 4 || parts[0] != "v1" || parts[1] != "organizations" || parts[3] != "databases" {
		writeError(w, http.StatusNotFound, "not found")
		return
	}
	if parts[2] != f.Org {
		writeError(w, http.StatusNotFound, "organization not found")
		return
	}
	switch rest := parts[4:]; {
	case len(rest) == 0 && r.Method == http.MethodPost:
		f.create(w, r)
	case len(rest) == 0 && r.Method == http.MethodGet:
		f.list(w, r)
	case len(rest) == 1 && r.Method == http.MethodGet:
		f.get(w, rest[0])
	case len(rest) == 1 && r.Method == http.MethodDelete:
		f.remove(w, rest[0])
	case len(rest) == 2 && rest[1] == "configuration" && r.Method == http.MethodPatch:
		f.configure(w, r, rest[0])
	case len(rest) == 2 && rest[1] == "usage" && r.Method == http.MethodGet:
		f.usage(w, r, rest[0])
	case len(rest) == 3 && rest[1] == "auth" && rest[2] == "tokens" && r.Method == http.MethodPost:
		f.token(w, r, rest[0])
	default:
		writeError(w, http.StatusNotFound, "not found")
	}
}

// parseExpiration parses the API's expiration: "never", or a number and a
// unit (s, m, h, d, w).
func parseExpiration(s string) (time.Duration, error) {
	if s == "" || s == "never" {
		return 0, nil
	}
	units := map[byte]time.Duration{'s': time.Second, 'm': time.Minute, 'h': time.Hour, 'd': 24 * time.Hour, 'w': 7 * 24 * time.Hour}
	u, ok := units[s[len(s)-1]]
	n, err := strconv.Atoi(s[:len(s)-1])
	if !ok || err != nil || n <= 0 {
		return 0, errors.New("invalid expiration " + strconv.Quote(s))
	}
	return time.Duration(n) * u, nil
}

// writeJSON answers 200 with v.
func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

// writeError answers status with the API's error body.
func writeError(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"error": msg})
}

// validName reports whether s is a valid database name.
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// randomHex returns n random bytes in hex.
func randomHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%x", b)
}
