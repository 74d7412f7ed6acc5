package sqld

import (
	"crypto/ed25519"
	"encoding/base64"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"todos/app"
	"todos/app/internal/sqldtest"
)

// TestTokenFormat checks a minted token: the EdDSA header, the claims sqld
// reads (id, a, exp) and a signature the public key verifies.
func TestTokenFormat(t *testing.T) {
	priv, _ := sqldtest.WriteKeyPair(t, t.TempDir())
	s, err := loadSigner(priv)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Unix(1_800_000_000, 0)
	s.now = func() time.Time { return now }
	tok, err := s.token("t_acme", accessReadWrite)
	if err != nil {
		t.Fatal(err)
	}
	parts := strings.Split(tok, ".")
	if len(parts) != 3 {
		t.Fatalf("token has %d parts", len(parts))
	}
	dec := func(s string) []byte {
		b, err := base64.RawURLEncoding.DecodeString(s)
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	if h := string(dec(parts[0])); h != `{"alg":"EdDSA","typ":"JWT"}` {
		t.Errorf("header %s", h)
	}
	var claims map[string]any
	if err := json.Unmarshal(dec(parts[1]), &claims); err != nil {
		t.Fatal(err)
	}
	if claims["id"] != "t_acme" || claims["a"] != "rw" || claims["exp"] != float64(now.Add(tokenTTL).Unix()) || len(claims) != 3 {
		t.Errorf("claims %v", claims)
	}
	pub := s.key.Public().(ed25519.PublicKey)
	if !ed25519.Verify(pub, []byte(parts[0]+"."+parts[1]), dec(parts[2])) {
		t.Error("signature does not verify")
	}
	if _, err := s.token("t_acme", "admin"); err == nil {
		t.Error("unknown access level accepted")
	}
	if _, err := s.token("", accessReadOnly); err == nil {
		t.Error("token without a namespace made: it would open every namespace")
	}
}

// TestAuthKeyFile checks what New accepts as --sqld-auth-key: a private
// Ed25519 key in PKCS#8 PEM, in a file only its owner may read.
func TestAuthKeyFile(t *testing.T) {
	dir := t.TempDir()
	priv, pub := sqldtest.WriteKeyPair(t, dir)
	newWith := func(key string) error {
		_, err := New(Config{URL: "http://localhost:1", AdminURL: "http://127.0.0.1:2", StagingDir: dir, AuthKeyFile: key})
		return err
	}
	if err := newWith(priv); err != nil {
		t.Fatalf("private key, mode 0600: %v", err)
	}
	for mode, want := range map[os.FileMode]string{0o640: "accessible by others", 0o604: "accessible by others", 0o660: "accessible by others"} {
		if err := os.Chmod(priv, mode); err != nil {
			t.Fatal(err)
		}
		if err := newWith(priv); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("mode %04o: %v, want %q", mode, err, want)
		}
	}
	if err := os.Chmod(pub, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := newWith(pub); err == nil || !strings.Contains(err.Error(), "PRIVATE KEY") {
		t.Errorf("public key: %v", err)
	}
	if err := newWith(filepath.Join(dir, "missing.pem")); err == nil || !strings.Contains(err.Error(), "--sqld-auth-key") {
		t.Errorf("missing file: %v", err)
	}
}

// TestTokenConfinesConnection shows that a connection carrying tenant A's
// token can neither read nor write namespace B, while B's own token can.
func TestTokenConfinesConnection(t *testing.T) {
	srv := sqldtest.StartWithAuth(t)
	p := newTestProvider(t, srv, Config{AuthKeyFile: srv.AuthKeyFile})
	mustCreate(t, p, "t_a")
	locB := mustCreate(t, p, "t_b")
	exec(t, mustOpen(t, p, locB), "CREATE TABLE t (id INTEGER PRIMARY KEY, title TEXT)", "INSERT INTO t (title) VALUES ('secret')")

	cross := p.openAuth("t_b", "t_a") // B's URL, A's token
	defer cross.Close()
	var title string
	err := cross.QueryRowContext(ctx, "SELECT title FROM t").Scan(&title)
	wantCode(t, err, app.ENOTFOUND)
	if !strings.Contains(err.Error(), "doesn't exist") || title != "" {
		t.Errorf("read with another tenant's token: %v, %q", err, title)
	}
	_, err = cross.ExecContext(ctx, "INSERT INTO t (title) VALUES ('planted')")
	wantCode(t, err, app.ENOTFOUND)

	if got := titles(t, mustOpen(t, p, locB)); len(got) != 1 || got[0] != "secret" {
		t.Errorf("B after the attempts: %q", got)
	}
}

// TestNoTokenRefused shows the server refuses a connection without a
// token (a provider started without --sqld-auth-key), with a clear
// EUNAVAILABLE; its admin API needs no token.
func TestNoTokenRefused(t *testing.T) {
	srv := sqldtest.StartWithAuth(t)
	p := newTestProvider(t, srv, Config{})
	loc := mustCreate(t, p, "t_open") // the admin API takes no token
	db, err := p.Open(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "CREATE TABLE t (x)")
	wantCode(t, err, app.EUNAVAILABLE)
	if !strings.Contains(err.Error(), "status=401") {
		t.Errorf("error %v, want the server's 401", err)
	}
}

// TestExpiredTokenRecovered shows that the server refuses an expired token
// (beyond its 60 s leeway) and that the provider recovers by minting a new
// one: on the handle's next connection, and on a connection whose token
// the server refuses after it was made.
func TestExpiredTokenRecovered(t *testing.T) {
	srv := sqldtest.StartWithAuth(t)
	p := newTestProvider(t, srv, Config{AuthKeyFile: srv.AuthKeyFile})
	loc := mustCreate(t, p, "t_exp")
	var minted atomic.Int64
	var skew atomic.Int64 // how far the signer's clock is behind
	p.signer.now = func() time.Time {
		minted.Add(1)
		return time.Now().Add(-time.Duration(skew.Load()))
	}
	skew.Store(int64(time.Hour)) // tokens expired 50 minutes ago

	db, err := p.Open(ctx, loc) // its connections run a pragma when made
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	_, err = db.ExecContext(ctx, "CREATE TABLE t (x)")
	wantCode(t, err, app.EUNAVAILABLE)
	if !strings.Contains(err.Error(), "status=401") {
		t.Errorf("expired token: %v, want the server's 401", err)
	}
	skew.Store(0)
	exec(t, db, "CREATE TABLE t (x)", "INSERT INTO t VALUES (1)")

	// A connection made with an expired token (no pragma: making it asks
	// nothing of the server) is refused at its first statement, and the
	// statement is run once more on a new connection with a fresh token.
	raw, err := p.open("t_exp")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	skew.Store(int64(time.Hour))
	c, err := raw.Conn(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	skew.Store(0)
	before := minted.Load()
	var n int
	if err := c.QueryRowContext(ctx, "SELECT count(*) FROM t").Scan(&n); err != nil || n != 1 {
		t.Fatalf("after a refused token: %d, %v", n, err)
	}
	if got := minted.Load() - before; got != 1 {
		t.Errorf("%d tokens minted for the statement, want 1 (the refused one replaced)", got)
	}
}
