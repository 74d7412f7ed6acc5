package app

import (
	"crypto/rand"
	"encoding/base64"
)

// An idempotency key names one submission of a form that creates
// something, so that the same submission sent twice (a retry after an
// error, a double click, a browser resending a form) creates it once. Keys
// are made by the server into the form, 16 random bytes in base64url.

// idempotencyKeyBytes is the randomness of a key.
const idempotencyKeyBytes = 16

// NewIdempotencyKey returns a new random key.
func NewIdempotencyKey() string {
	b := make([]byte, idempotencyKeyBytes)
	_, _ = rand.Read(b) // never fails (crypto/rand)
	return base64.RawURLEncoding.EncodeToString(b)
}

// ValidIdempotencyKey reports whether key has the form of a key: 16 to 64
// characters of the base64url alphabet. Anything else (a forged or damaged
// field) is not stored.
func ValidIdempotencyKey(key string) bool {
	if len(key) < 16 || len(key) > 64 {
		return false
	}
	for i := 0; i < len(key); i++ {
		c := key[i]
		if !(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '-' || c == '_') {
			return false
		}
	}
	return true
}
