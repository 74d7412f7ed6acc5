package store

import "context"

// WriteBlocker is implemented by providers whose databases other servers
// may write to (a libSQL server, Turso): the server itself can be told to
// refuse every write to a database. A region move blocks the old database
// before copying it, so a write sent by a server that has not yet heard of
// the move fails instead of landing in a database about to be removed.
type WriteBlocker interface {
	// BlockWrites makes the server refuse (block) or accept again (not
	// block) writes to the live database at location. Reads go on.
	BlockWrites(ctx context.Context, location string, block bool) error
}

// ProviderAs returns p, or a provider it wraps (see oneServer.Unwrap), as
// a T.
func ProviderAs[T any](p Provider) (T, bool) {
	for {
		if v, ok := p.(T); ok {
			return v, true
		}
		u, ok := p.(interface{ Unwrap() Provider })
		if !ok {
			var zero T
			return zero, false
		}
		p = u.Unwrap()
	}
}
