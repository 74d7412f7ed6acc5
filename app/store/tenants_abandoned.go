package store

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"todos/app"
)

// RemoveAbandoned deletes the tenants left in the 'creating' state by a
// creation that crashed or hangs (its lease is older than creationLease and
// it does not run in this process), with their databases, and returns how
// many it removed. It also deletes staged files (copies, uploads) last
// changed more than stagedOlderThan ago. Servers run it at start and every
// minute: such records keep their name taken (a sign-up for the name takes
// it over too, see claimName).
func (s *Tenants) RemoveAbandoned(ctx context.Context, stagedOlderThan time.Duration) (int, error) {
	before := time.Now().Add(-creationLease)
	ts, err := s.control.abandonedTenants(ctx, before)
	if err != nil {
		return 0, err
	}
	var errs []error
	if staged, err := s.provider.RemoveStaged(ctx, stagedOlderThan); err != nil {
		errs = append(errs, err)
	} else if staged > 0 {
		slog.Info("store: removed abandoned staged files", "count", staged)
	}
	mine := map[string]bool{}
	for _, id := range s.locks.creating.list() {
		mine[id] = true
	}
	n := 0
	for _, t := range ts {
		if mine[t.ID] {
			continue
		}
		// The record goes first, and only if its lease is still old: a
		// creation that renewed it since it was listed keeps everything.
		deleted, err := s.control.deleteAbandoned(ctx, t.ID, before)
		if err != nil {
			errs = append(errs, err)
			continue
		}
		if !deleted {
			continue
		}
		if err := s.discardAbandoned(ctx, t); err != nil {
			errs = append(errs, err)
		}
		n++
	}
	return n, errors.Join(errs...)
}

// claimName inserts t's 'creating' record, which holds its name. If the
// name is held by an abandoned creation (see RemoveAbandoned), t takes the
// record's place and the abandoned database is removed; if it is held by
// anything else, the error is ECONFLICT.
func (s *Tenants) claimName(ctx context.Context, t *app.Tenant) error {
	err := s.control.insertTenant(ctx, t)
	if app.ErrorCode(err) != app.ECONFLICT {
		return err
	}
	old, terr := s.control.takeOverCreation(ctx, t, time.Now().Add(-creationLease), s.locks.creating.list())
	if terr != nil {
		if app.ErrorCode(terr) == app.ECONFLICT {
			return err
		}
		return terr
	}
	slog.Info("store: took over an abandoned creation", "name", t.Name, "abandoned", old.ID, "tenant", t.ID)
	if err := s.discardAbandoned(ctx, old); err != nil {
		slog.Error("store: could not remove the database of an abandoned creation",
			"tenant", old.ID, "location", old.Location, "err", err)
	}
	return nil
}

// discardAbandoned removes the database of the abandoned creation t, whose
// record is gone. A crash between the creation of the database and the
// recording of its location leaves a record without a location: the
// database is then found from the tenant id where the provider can.
func (s *Tenants) discardAbandoned(ctx context.Context, t *app.Tenant) error {
	loc := t.Location
	if loc == "" {
		if l, ok := s.provider.(tenantLocator); ok {
			var err error
			if loc, err = l.locationOf(t.ID); err != nil {
				return err
			}
		}
	}
	return s.discard(ctx, t.ID, loc)
}

// errCreationTakenOver is the cause of a creation's cancellation when its
// record was taken over or swept while it ran (it had stopped renewing its
// lease for longer than creationLease).
var errCreationTakenOver = errors.New("store: the creation's record was taken over")

// keepLease renews the lease of the 'creating' record id every interval
// until the returned stop is called, and returns ctx cancelled (with cause
// errCreationTakenOver) if the record was taken over. A failed renewal is
// logged and retried at the next tick.
func (s *Tenants) keepLease(ctx context.Context, id string, interval time.Duration) (context.Context, func()) {
	ctx, cancel := context.WithCancelCause(ctx)
	done := make(chan struct{})
	stopped := make(chan struct{})
	go func() {
		defer close(stopped)
		t := time.NewTicker(interval)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			held, err := s.control.renewCreation(context.WithoutCancel(ctx), id, time.Now())
			switch {
			case err != nil:
				slog.Warn("store: could not renew a creation's lease", "tenant", id, "err", err)
			case !held:
				cancel(errCreationTakenOver)
				return
			}
		}
	}()
	return ctx, func() {
		close(done)
		<-stopped
		cancel(nil)
	}
}

// takenOverError returns ECONFLICT for a creation whose record was taken
// over while it ran (ctx was cancelled by keepLease), else err.
func takenOverError(ctx context.Context, name string, err error) error {
	if errors.Is(context.Cause(ctx), errCreationTakenOver) {
		return nameTaken(name, err)
	}
	return err
}
