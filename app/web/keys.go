package web

import (
	"crypto/hmac"
	"crypto/sha256"
)

// Keys are the secrets of the web layer, derived from one master secret that
// is generated on first start and kept under the data directory.
type Keys struct {
	CSRF       []byte // HMAC key of CSRF tokens
	FlashAuth  []byte // gorilla/sessions hash key of flash cookies
	FlashCrypt []byte // gorilla/sessions block key (AES-256) of flash cookies
}

// DeriveKeys derives every key from master with HMAC-SHA256, one label each.
func DeriveKeys(master []byte) Keys {
	derive := func(label string) []byte {
		m := hmac.New(sha256.New, master)
		m.Write([]byte(label))
		return m.Sum(nil)
	}
	return Keys{
		CSRF:       derive("todos csrf v1"),
		FlashAuth:  derive("todos flash auth v1"),
		FlashCrypt: derive("todos flash encrypt v1"),
	}
}
