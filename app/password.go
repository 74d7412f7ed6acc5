package app

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// PasswordParams are the argon2id cost parameters.
type PasswordParams struct {
	Time    uint32
	Memory  uint32 // KiB
	Threads uint8
}

// DefaultPasswordParams follow the OWASP recommendation for argon2id
// (19 MiB, 2 iterations, 1 thread). They are also the most a stored hash
// may ask for: see VerifyPassword.
var DefaultPasswordParams = PasswordParams{Time: 2, Memory: 19 * 1024, Threads: 1}

// Bounds of the hashes VerifyPassword accepts, besides the costs. HashPassword
// makes a 16-byte salt and a 32-byte key, about 100 characters in all.
const (
	hashMaxLength = 256
	saltMinBytes  = 8
	saltMaxBytes  = 64
	keyMinBytes   = 16
	keyMaxBytes   = 64
)

// ErrPasswordNeedsReset is what VerifyPassword returns for a stored hash it
// does not accept: not one HashPassword makes, or costlier than
// DefaultPasswordParams (such hashes arrive with imported lists). The
// password cannot be checked; an administrator must set a new one.
var ErrPasswordNeedsReset = Errorf(EUNAUTHORIZED,
	"This account's password was stored in a form TODOs does not accept, so it cannot be checked. Ask an administrator to reset it.")

// accepted reports whether p costs at least something and at most
// DefaultPasswordParams in time, memory and threads. argon2 panics on zero
// time or threads, and a large memory cost would exhaust the machine.
func (p PasswordParams) accepted() bool {
	d := DefaultPasswordParams
	return p.Time >= 1 && p.Time <= d.Time && p.Memory >= 8*uint32(p.Threads) && p.Memory <= d.Memory &&
		p.Threads >= 1 && p.Threads <= d.Threads
}

// HashPassword returns an argon2id hash of password in the PHC string format.
// Costs beyond DefaultPasswordParams are refused: VerifyPassword would not
// accept the hash.
func HashPassword(password string, p PasswordParams) (string, error) {
	if !p.accepted() {
		return "", fmt.Errorf("password cost %+v is outside 1 to %+v", p, DefaultPasswordParams)
	}
	salt := make([]byte, 16)
	if _, err := rand.Read(salt); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, 32)
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s", argon2.Version, p.Memory, p.Time, p.Threads,
		base64.RawStdEncoding.EncodeToString(salt), base64.RawStdEncoding.EncodeToString(key)), nil
}

// VerifyPassword reports whether password matches hash. It returns
// ErrPasswordNeedsReset, without running argon2, for a hash that is not in
// HashPassword's format or whose costs, salt or key are out of bounds, so a
// stored hash can never make it panic or allocate more than
// DefaultPasswordParams.Memory.
func VerifyPassword(hash, password string) (bool, error) {
	p, salt, want, ok := parsePasswordHash(hash)
	if !ok {
		return false, ErrPasswordNeedsReset
	}
	got := argon2.IDKey([]byte(password), salt, p.Time, p.Memory, p.Threads, uint32(len(want)))
	return subtle.ConstantTimeCompare(got, want) == 1, nil
}

// CheckPassword reports whether password matches a hash made by
// HashPassword; false for a hash VerifyPassword does not accept.
func CheckPassword(hash, password string) bool {
	ok, err := VerifyPassword(hash, password)
	return err == nil && ok
}

// parsePasswordHash parses "$argon2id$v=19$m=M,t=T,p=P$salt$key" and checks
// every part against the bounds, lengths before decoding.
func parsePasswordHash(hash string) (p PasswordParams, salt, key []byte, ok bool) {
	if len(hash) > hashMaxLength {
		return p, nil, nil, false
	}
	parts := strings.Split(hash, "$")
	if len(parts) != 6 || parts[0] != "" || parts[1] != "argon2id" || parts[2] != "v="+strconv.Itoa(argon2.Version) {
		return p, nil, nil, false
	}
	m, t, threads, ok := parseCosts(parts[3])
	p = PasswordParams{Time: t, Memory: m, Threads: threads}
	if !ok || !p.accepted() {
		return p, nil, nil, false
	}
	salt, ok = decodeBounded(parts[4], saltMinBytes, saltMaxBytes)
	if !ok {
		return p, nil, nil, false
	}
	key, ok = decodeBounded(parts[5], keyMinBytes, keyMaxBytes)
	return p, salt, key, ok
}

// parseCosts parses "m=M,t=T,p=P", each a decimal number that fits.
func parseCosts(s string) (m, t uint32, p uint8, ok bool) {
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return 0, 0, 0, false
	}
	var v [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		digits, found := strings.CutPrefix(fields[i], name)
		n, err := strconv.ParseUint(digits, 10, 32)
		if !found || err != nil {
			return 0, 0, 0, false
		}
		v[i] = n
	}
	if v[2] > 255 {
		return 0, 0, 0, false
	}
	return uint32(v[0]), uint32(v[1]), uint8(v[2]), true
}

// decodeBounded decodes unpadded standard base64 of min to max bytes.
func decodeBounded(s string, min, max int) ([]byte, bool) {
	if len(s) < base64.RawStdEncoding.EncodedLen(min) || len(s) > base64.RawStdEncoding.EncodedLen(max) {
		return nil, false
	}
	b, err := base64.RawStdEncoding.DecodeString(s)
	return b, err == nil && len(b) >= min && len(b) <= max
}
