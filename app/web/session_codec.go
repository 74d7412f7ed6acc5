package web

import (
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"time"
)

// sessionCodec encodes session data for the stores in a small binary form
// instead of scs's default gob, which builds a decoder, type information
// included, for every request (about a tenth of a page view's CPU time
// when measured under load). Sessions hold only what this package puts in
// them: strings and int64s.
//
// Layout: the version byte 1, the deadline as a varint of Unix
// nanoseconds, the number of values as a uvarint, then for each value in
// key order: the key (uvarint length, bytes), a type byte ('s' string, 'i'
// int64) and the value (uvarint length and bytes, or a varint).
//
// A stored session may have been changed by anyone who can write the
// tenant's database, so Decode checks every length against what is left
// and refuses anything else with an error: the session is then not used.
type sessionCodec struct{}

// sessionCodecVersion is the first byte of every encoded session.
const sessionCodecVersion = 1

// maxSessionValues bounds the values a decoded session may hold.
const maxSessionValues = 64

// errBadSession is the error of session data this codec did not write.
var errBadSession = errors.New("web: session data is damaged or of another format")

// Encode writes deadline and values. A value of a type other than string or
// int64 is an error: nothing in this package stores one.
func (sessionCodec) Encode(deadline time.Time, values map[string]interface{}) ([]byte, error) {
	keys := make([]string, 0, len(values))
	size := 2*binary.MaxVarintLen64 + 1
	for k, v := range values {
		keys = append(keys, k)
		size += len(k) + 2*binary.MaxVarintLen64 + 1
		if s, ok := v.(string); ok {
			size += len(s)
		}
	}
	sort.Strings(keys)
	b := make([]byte, 0, size)
	b = append(b, sessionCodecVersion)
	b = binary.AppendVarint(b, deadline.UnixNano())
	b = binary.AppendUvarint(b, uint64(len(keys)))
	for _, k := range keys {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		switch v := values[k].(type) {
		case string:
			b = append(b, 's')
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
		case int64:
			b = append(b, 'i')
			b = binary.AppendVarint(b, v)
		default:
			return nil, fmt.Errorf("web: session value %q has type %T: only string and int64 can be stored", k, v)
		}
	}
	return b, nil
}

// Decode reads what Encode wrote.
func (sessionCodec) Decode(b []byte) (time.Time, map[string]interface{}, error) {
	r := sessionReader{b: b}
	if r.byte() != sessionCodecVersion {
		return time.Time{}, nil, errBadSession
	}
	deadline := r.varint()
	n := r.uvarint()
	if r.bad || n > maxSessionValues {
		return time.Time{}, nil, errBadSession
	}
	values := make(map[string]interface{}, n)
	for range n {
		key := r.bytes()
		switch r.byte() {
		case 's':
			values[string(key)] = string(r.bytes())
		case 'i':
			values[string(key)] = r.varint()
		default:
			return time.Time{}, nil, errBadSession
		}
		if r.bad {
			return time.Time{}, nil, errBadSession
		}
	}
	if r.bad || len(r.b) != 0 {
		return time.Time{}, nil, errBadSession
	}
	return time.Unix(0, deadline), values, nil
}

// sessionReader reads encoded session data; past the first error (bad)
// every read returns zero.
type sessionReader struct {
	b   []byte
	bad bool
}

func (r *sessionReader) byte() byte {
	if r.bad || len(r.b) == 0 {
		r.bad = true
		return 0
	}
	c := r.b[0]
	r.b = r.b[1:]
	return c
}

func (r *sessionReader) varint() int64 {
	if r.bad {
		return 0
	}
	v, n := binary.Varint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

func (r *sessionReader) uvarint() uint64 {
	if r.bad {
		return 0
	}
	v, n := binary.Uvarint(r.b)
	if n <= 0 {
		r.bad = true
		return 0
	}
	r.b = r.b[n:]
	return v
}

// bytes reads a length and that many bytes.
func (r *sessionReader) bytes() []byte {
	n := r.uvarint()
	if r.bad || n > uint64(len(r.b)) {
		r.bad = true
		return nil
	}
	s := r.b[:n]
	r.b = r.b[n:]
	return s
}
