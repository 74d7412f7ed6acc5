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

// startBackgroundJobs starts the server's periodic jobs; they stop when ctx
// ends.
func startBackgroundJobs(ctx context.Context, b *backend, retention time.Duration, logger *slog.Logger) {
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
