package store

import "context"

// DirectAccess says how another process (the SQL console's child) reaches
// a tenant database kept on a libSQL server: its data-plane URL and a
// token. Its String method never shows the token.
type DirectAccess struct {
	// URL is the database's libSQL URL, without a token.
	URL string
	// AuthToken is sent with every request; empty when the server checks
	// none. It is handed to the child on its stdin, never in its arguments
	// or a log.
	AuthToken string
	// ReadOnly reports that the token itself allows reads only: the
	// server refuses every write made with it, whatever the SQL.
	ReadOnly bool
}

// String describes a without its token.
func (a DirectAccess) String() string {
	tok := "none"
	if a.AuthToken != "" {
		tok = "(redacted)"
	}
	return "store.DirectAccess{" + a.URL + ", token " + tok + "}"
}

// GoString is String, for %#v.
func (a DirectAccess) GoString() string { return a.String() }

// DirectAccessor is implemented by providers whose databases live on a
// libSQL server, so that a process of its own can open one.
type DirectAccessor interface {
	// DirectAccess returns how to reach the live database at location:
	// with write, a token that may write; without, a read-only token
	// when the server checks tokens (ReadOnly says whether it is). A
	// database in the trash or blocked gives EINVALID, a missing one
	// ENOTFOUND.
	DirectAccess(ctx context.Context, location string, write bool) (DirectAccess, error)
	// ReadOnlyTokens reports whether DirectAccess without write gives
	// read-only tokens (ReadOnly), i.e. whether the server itself refuses
	// writes on such access.
	ReadOnlyTokens() bool
}
