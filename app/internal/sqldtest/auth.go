package sqldtest

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/pem"
	"os"
	"path/filepath"
	"testing"
)

// StartWithAuth starts sqld as Start does, with JWT authentication on: it
// generates an Ed25519 key pair, writes the private key (PKCS#8 PEM, mode
// 0600) to the returned server's AuthKeyFile, and passes the public key
// (PKIX PEM, one of the two forms sqld reads; the other is the raw key in
// URL-safe base64) with --auth-jwt-key-file. The data plane then refuses
// requests without a token signed by that key; the admin API does not ask
// for one (it has its own --admin-auth-key, which these tests leave off).
func StartWithAuth(t testing.TB, extra ...string) *Server {
	t.Helper()
	dir := t.TempDir()
	priv, pub := WriteKeyPair(t, dir)
	s := Start(t, append([]string{"--auth-jwt-key-file", pub}, extra...)...)
	s.AuthKeyFile = priv
	return s
}

// WriteKeyPair generates an Ed25519 key pair and writes it under dir:
// key.pem, the private key (PKCS#8 PEM, mode 0600), and key.pub.pem, the
// public key (PKIX PEM). It returns both paths.
func WriteKeyPair(t testing.TB, dir string) (privPath, pubPath string) {
	t.Helper()
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	privDER, err := x509.MarshalPKCS8PrivateKey(priv)
	if err != nil {
		t.Fatal(err)
	}
	pubDER, err := x509.MarshalPKIXPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	privPath, pubPath = filepath.Join(dir, "key.pem"), filepath.Join(dir, "key.pub.pem")
	if err := os.WriteFile(privPath, pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privDER}), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(pubPath, pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: pubDER}), 0o644); err != nil {
		t.Fatal(err)
	}
	return privPath, pubPath
}
