package sqld

import (
	"crypto/ed25519"
	"crypto/x509"
	"database/sql"
	"database/sql/driver"
	"encoding/base64"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/url"
	"os"
	"strings"
	"time"
	"todos/app/store"
)

// tokenTTL is the lifetime of a token. A connection lives at most half of
// it (connMaxLifetime), so its token never expires while it is in use.
const tokenTTL = 10 * time.Minute

// Access levels of a token (claim "a").
const (
	accessReadWrite = "rw"
	accessReadOnly  = "ro"
)

// tokenSigner mints short-lived JWTs for sqld's data plane (the server
// started with --auth-jwt-key-file holding the public half of key). Tokens
// are made in memory for each new connection and never stored or logged.
type tokenSigner struct {
	key ed25519.PrivateKey
	now func() time.Time // time.Now; tests move it
}

// loadSigner reads the Ed25519 private key (PKCS#8 PEM, as openssl genpkey
// -algorithm ed25519 writes it) at path. Like ssh with its keys, it refuses
// a file that its group or other users may read or write.
func loadSigner(path string) (*tokenSigner, error) {
	fi, err := os.Stat(path)
	if err != nil {
		return nil, fmt.Errorf("--sqld-auth-key: %w", err)
	}
	if !fi.Mode().IsRegular() {
		return nil, fmt.Errorf("--sqld-auth-key: %s is not a regular file", path)
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		return nil, fmt.Errorf("--sqld-auth-key: %s is accessible by others (mode %04o): make it private with chmod 600", path, perm)
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("--sqld-auth-key: %w", err)
	}
	block, _ := pem.Decode(data)
	if block == nil || block.Type != "PRIVATE KEY" {
		return nil, fmt.Errorf("--sqld-auth-key: %s holds no PEM \"PRIVATE KEY\" block (want an Ed25519 private key in PKCS#8 PEM)", path)
	}
	parsed, err := x509.ParsePKCS8PrivateKey(block.Bytes)
	if err != nil {
		return nil, fmt.Errorf("--sqld-auth-key: %s: %w", path, err)
	}
	key, ok := parsed.(ed25519.PrivateKey)
	if !ok {
		return nil, fmt.Errorf("--sqld-auth-key: %s holds a %T, want an Ed25519 private key", path, parsed)
	}
	return &tokenSigner{key: key, now: time.Now}, nil
}

// tokenClaims are the claims sqld reads from a token: the only namespace
// it opens ("id"; without it a token opens every namespace), the access
// level ("a": "rw" or "ro") and the expiry ("exp", Unix seconds; sqld
// allows 60 s of leeway).
type tokenClaims struct {
	Namespace string `json:"id"`
	Access    string `json:"a"`
	Expires   int64  `json:"exp"`
}

// jwtHeader is the encoded header of every token.
var jwtHeader = base64.RawURLEncoding.EncodeToString([]byte(`{"alg":"EdDSA","typ":"JWT"}`))

// token returns a token for namespace ns alone, with access level access,
// valid for tokenTTL.
func (s *tokenSigner) token(ns, access string) (string, error) {
	if !validNamespace(ns) {
		return "", fmt.Errorf("sqld: no token for invalid namespace %q", ns)
	}
	if access != accessReadWrite && access != accessReadOnly {
		return "", errors.New("sqld: invalid token access level " + access)
	}
	claims, err := json.Marshal(tokenClaims{Namespace: ns, Access: access, Expires: s.now().Add(tokenTTL).Unix()})
	if err != nil {
		return "", err
	}
	signed := jwtHeader + "." + base64.RawURLEncoding.EncodeToString(claims)
	sig := ed25519.Sign(s.key, []byte(signed))
	return signed + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}

// openAuth returns a handle on namespace ns whose connections each open
// their own native database with a fresh token for namespace tokenNS
// (always ns, but for the test that shows a token confines a connection
// to its namespace), so a bug in our code cannot make one tenant's
// connection read another's namespace: the server answers 404. A
// connection is replaced at half the token's lifetime, and one whose
// token the server refuses anyway (a clock that jumped) is replaced once
// with a fresh token (conn.call).
//
// These are remote connections only. A namespace-scoped token still reads
// every namespace through the embedded-replica sync protocol (see
// docs/engine-traps.md), so tenant databases are never opened as embedded
// replicas with such a token.
func (p *Provider) openAuth(ns, tokenNS string, pragmas ...string) *sql.DB {
	u := p.namespaceURL(ns)
	dial := func() (driver.Connector, error) {
		tok, err := p.signer.token(tokenNS, accessReadWrite)
		if err != nil {
			return nil, err
		}
		c, err := store.OpenConnector(u + "?authToken=" + url.QueryEscape(tok))
		if err != nil {
			// go-libsql's errors do not quote the URL, but be sure the
			// token never reaches a log.
			return nil, fmt.Errorf("sqld: open namespace %s: %s", ns, strings.ReplaceAll(err.Error(), tok, "…"))
		}
		return c, nil
	}
	return p.handle(&connector{dial: dial, drv: libsqlDriver, pragmas: pragmas, timeout: p.cfg.CallTimeout}, tokenTTL/2)
}

// libsqlDriver is go-libsql's driver (sql.Open connects to nothing).
var libsqlDriver = func() driver.Driver {
	db, err := sql.Open("libsql", "file::memory:")
	if err != nil {
		panic(err)
	}
	defer db.Close()
	return db.Driver()
}()
