package cli

import (
	"context"
	"errors"
	"log/slog"
	"time"
)

// activityKept is how long hourly write counts are kept (the admin chart
// shows the last day).
const activityKept = 90 * 24 * time.Hour

// Intervals of the jobs that keep a server's memory and the control plane
// in step.
const (
	// activityFlushEvery is how often tenant activity noted in memory is
	// written to the control plane (and so how far its counters may lag
	// after a crash).
	activityFlushEvery = 2 * time.Second
	// routingPollEvery is how often the control plane is asked whether
	// another process changed a tenant's routing (suspended, deleted...).
	routingPollEvery = 250 * time.Millisecond
	// recoveryCheckEvery is how often a server looks for tenant creations
	// abandoned by a crash (their lease runs out after a minute) and for
	// servers on the same data directory that stopped without a clean
	// shutdown.
	recoveryCheckEvery = time.Minute
	// stagedKept is how long a staged file (a copy or an upload being
	// prepared) may go unchanged before it counts as abandoned.
	stagedKept = time.Hour
)

// startBackgroundJobs starts the server's periodic jobs; they stop when ctx
// ends. The activity flusher's last flush happens when the pool closes.
func startBackgroundJobs(ctx context.Context, b *backend, dataDir string, retention time.Duration, logger *slog.Logger) {
	go b.pool.Activity().Run(ctx, activityFlushEvery)
	go b.control.WatchRouting(ctx, routingPollEvery, func(err error) { logger.Warn("routing watch", "error", err) })
	// Creations abandoned by a crash hold their names until removed (a
	// sign-up for such a name also takes it over).
	go every(ctx, recoveryCheckEvery, true, func() {
		n, err := b.tenants.RemoveAbandoned(ctx, stagedKept)
		logJob(logger, "removed abandoned creations", n, err)
	})
	// Counters whose last batch a crash lost are corrected.
	go every(ctx, recoveryCheckEvery, true, func() { reconcileAfterUncleanStop(ctx, b, dataDir, logger) })
	// Tenants trashed longer ago than retention are purged, at start and
	// every hour.
	go every(ctx, time.Hour, true, func() {
		n, err := b.tenants.PurgeExpired(ctx, retention)
		logJob(logger, "trash purge", n, err)
	})
	go every(ctx, time.Hour, true, func() {
		n, err := b.control.PruneActivity(ctx, time.Now().Add(-activityKept))
		logJob(logger, "activity prune", int(n), err)
	})
	go every(ctx, time.Hour, false, func() {
		n, err := b.control.DeleteExpiredSessions(ctx)
		logJob(logger, "session sweep", int(n), err)
	})
	// Databases of tenants the CLI trashed or purged while this server runs
	// are closed here within 30 seconds.
	go every(ctx, 30*time.Second, false, func() {
		n, err := b.tenants.EvictGone(ctx)
		logJob(logger, "evict deleted tenants", n, err)
	})
}

// every runs job every interval (and at once when now is set) until ctx
// ends.
func every(ctx context.Context, interval time.Duration, now bool, job func()) {
	if now {
		job()
	}
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			job()
		}
	}
}

// logJob logs what a background job did: a warning when it failed (but not
// because the server is stopping), a line when it changed something.
func logJob(logger *slog.Logger, name string, n int, err error) {
	if err != nil && !errors.Is(err, context.Canceled) {
		logger.Warn(name, "error", err)
	} else if err == nil && n > 0 {
		logger.Info(name, "count", n)
	}
}
