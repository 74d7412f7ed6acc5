package app

import (
	"encoding/base64"
	"runtime"
	"strings"
	"testing"
)

// Stored hashes that are not the product's own never reach argon2: none
// panics, none allocates more than a little, each asks for a reset.
func TestVerifyPasswordRefusesHostileHashes(t *testing.T) {
	salt := base64.RawStdEncoding.EncodeToString([]byte("saltsaltsaltsalt"))
	key := base64.RawStdEncoding.EncodeToString(make([]byte, 32))
	huge := base64.RawStdEncoding.EncodeToString(make([]byte, 1<<20))
	hashes := map[string]string{
		"t=0":            "$argon2id$v=19$m=19456,t=0,p=1$" + salt + "$" + key,
		"p=0":            "$argon2id$v=19$m=19456,t=2,p=0$" + salt + "$" + key,
		"4 GiB":          "$argon2id$v=19$m=4194304,t=2,p=1$" + salt + "$" + key,
		"m just over":    "$argon2id$v=19$m=19457,t=2,p=1$" + salt + "$" + key,
		"t=3":            "$argon2id$v=19$m=19456,t=3,p=1$" + salt + "$" + key,
		"p=4":            "$argon2id$v=19$m=19456,t=2,p=4$" + salt + "$" + key,
		"m overflows":    "$argon2id$v=19$m=99999999999,t=2,p=1$" + salt + "$" + key,
		"negative":       "$argon2id$v=19$m=-1,t=2,p=1$" + salt + "$" + key,
		"argon2i":        "$argon2i$v=19$m=19456,t=2,p=1$" + salt + "$" + key,
		"version 16":     "$argon2id$v=16$m=19456,t=2,p=1$" + salt + "$" + key,
		"trailing junk":  "$argon2id$v=19$m=19456,t=2,p=1x$" + salt + "$" + key,
		"huge salt":      "$argon2id$v=19$m=19456,t=2,p=1$" + huge + "$" + key,
		"huge key":       "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + huge,
		"short key":      "$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$AAAA",
		"empty salt":     "$argon2id$v=19$m=19456,t=2,p=1$$" + key,
		"bad base64":     "$argon2id$v=19$m=19456,t=2,p=1$!!!!!!!!!!!!!!!!!!!!!!$" + key,
		"garbage":        "garbage",
		"empty":          "",
		"dollars":        strings.Repeat("$", 5),
		"bcrypt":         "$2a$10$N9qo8uLOickgx2ZMRZoMyeIjZAgcfl7p92ldGxad68LJZdL17lhWy",
		"many dollars":   strings.Repeat("$argon2id", 1000),
		"leading junk":   "x$argon2id$v=19$m=19456,t=2,p=1$" + salt + "$" + key,
		"params missing": "$argon2id$v=19$m=19456,t=2$" + salt + "$" + key,
	}
	for name, h := range hashes {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		ok, err := VerifyPassword(h, "correct horse")
		runtime.ReadMemStats(&after)
		if ok || err != ErrPasswordNeedsReset {
			t.Errorf("%s: ok=%v err=%v, want ErrPasswordNeedsReset", name, ok, err)
		}
		if n := after.TotalAlloc - before.TotalAlloc; n > 4<<20 {
			t.Errorf("%s: allocated %d bytes", name, n)
		}
		if CheckPassword(h, "correct horse") {
			t.Errorf("%s: CheckPassword accepted it", name)
		}
	}
}

// The product's own hashes, and cheaper ones (tests, older settings), are
// accepted; HashPassword refuses costs VerifyPassword would not accept.
func TestVerifyPasswordAcceptsTheProductsHashes(t *testing.T) {
	for _, p := range []PasswordParams{DefaultPasswordParams, {Time: 1, Memory: 64, Threads: 1}} {
		h, err := HashPassword("correct horse", p)
		if err != nil {
			t.Fatal(err)
		}
		if ok, err := VerifyPassword(h, "correct horse"); !ok || err != nil {
			t.Errorf("%+v: right password: %v %v", p, ok, err)
		}
		if ok, err := VerifyPassword(h, "wrong horse"); ok || err != nil {
			t.Errorf("%+v: wrong password: %v %v", p, ok, err)
		}
	}
	for _, p := range []PasswordParams{{Time: 0, Memory: 64, Threads: 1}, {Time: 1, Memory: 64, Threads: 0}, {Time: 1, Memory: 1 << 22, Threads: 1}} {
		if _, err := HashPassword("correct horse", p); err == nil {
			t.Errorf("HashPassword accepted %+v", p)
		}
	}
}
