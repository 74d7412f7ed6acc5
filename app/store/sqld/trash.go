package sqld

import (
	"context"
	"database/sql"
	"errors"

	"todos/app"
)

// Size returns the size of the namespace at location. A live namespace is
// asked for its page count and page size. One in the trash cannot be read
// (its reads are blocked): its size is the server's storage statistic,
// which the server updates on its own schedule and may show as 0 for a
// recently written namespace. A missing namespace gives ENOTFOUND.
func (p *Provider) Size(ctx context.Context, location string) (int64, error) {
	ns, live, err := parseLocation(location)
	if err != nil {
		return 0, err
	}
	if live {
		db, err := p.Open(ctx, location)
		if err != nil {
			return 0, err
		}
		defer db.Close()
		size, err := DatabaseSize(ctx, db)
		if app.ErrorCode(err) == app.ENOTFOUND {
			// Open has just heard from the admin API that the namespace
			// exists: a 404 from the data plane is the server's eviction
			// race (more namespaces than --max-active-namespaces).
			return 0, unavailable(err)
		}
		return size, err
	}
	st, err := p.admin.stats(ctx, ns)
	if errors.Is(err, errNoNamespace) {
		return 0, app.WrapError(app.ENOTFOUND, "This list's database is missing.", err)
	}
	return st.StorageBytesUsed, err
}

// DatabaseSize returns the size in bytes of the database behind db, from
// its page count and page size: what Size reports for a live namespace,
// and for a live database of another provider speaking sqld's protocol.
func DatabaseSize(ctx context.Context, db *sql.DB) (int64, error) {
	var size int64
	err := db.QueryRowContext(ctx, "SELECT page_count * page_size FROM pragma_page_count(), pragma_page_size()").Scan(&size)
	return size, err
}

// Trash blocks the reads and writes of the namespace at location and
// returns its trash location. The namespace and its data stay on the
// server until Remove. Trashing a trashed namespace again is harmless.
func (p *Provider) Trash(ctx context.Context, location string) (string, error) {
	ns, _, err := parseLocation(location)
	if err != nil {
		return "", err
	}
	reason := trashReason
	if err := p.setBlocked(ctx, ns, namespaceConfig{BlockReads: true, BlockWrites: true, BlockReason: &reason}); err != nil {
		return "", err
	}
	return trashPrefix + ns, nil
}

// Untrash lifts the blocks of the namespace at trashLocation and returns
// its live location. Untrashing a live namespace is harmless.
func (p *Provider) Untrash(ctx context.Context, trashLocation string) (string, error) {
	ns, _, err := parseLocation(trashLocation)
	if err != nil {
		return "", err
	}
	if err := p.setBlocked(ctx, ns, namespaceConfig{}); err != nil {
		return "", err
	}
	return livePrefix + ns, nil
}

// setBlocked writes the block settings of namespace ns, which must exist
// (ENOTFOUND).
func (p *Provider) setBlocked(ctx context.Context, ns string, c namespaceConfig) error {
	// sqld answers 404 to a config change of a missing namespace, but check
	// first all the same: the message then says what is missing.
	if _, err := p.admin.config(ctx, ns); errors.Is(err, errNoNamespace) {
		return app.WrapError(app.ENOTFOUND, "This list's database is missing.", err)
	} else if err != nil {
		return err
	}
	err := p.admin.setConfig(ctx, ns, c)
	if errors.Is(err, errNoNamespace) {
		return app.WrapError(app.ENOTFOUND, "This list's database is missing.", err)
	}
	return err
}

// movingReason is the block_reason of a namespace whose writes a region
// move blocked.
const movingReason = "todos: being moved to another region"

// BlockWrites makes the server refuse (or accept again) writes to the live
// namespace at location, for a region move (store.WriteBlocker).
func (p *Provider) BlockWrites(ctx context.Context, location string, block bool) error {
	ns, live, err := parseLocation(location)
	if err != nil {
		return err
	}
	if !live {
		return app.Errorf(app.EINVALID, "This list is in the trash. Restore it first.")
	}
	c := namespaceConfig{BlockWrites: block}
	if block {
		reason := movingReason
		c.BlockReason = &reason
	}
	return p.setBlocked(ctx, ns, c)
}
