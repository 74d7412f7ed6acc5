package cli

import (
	"context"
	"log/slog"
	"time"

	"todos/app/store"
	"todos/app/web"
)

// serverSecret returns the master secret: with a shared control plane,
// the one stored in it, so that a form made by one server is accepted by
// another; else DATA/secret.key.
func serverSecret(ctx context.Context, cfg Config, b *backend) ([]byte, error) {
	if !b.control.IsRemote() {
		return loadOrCreateSecret(cfg.DataDir)
	}
	return b.control.SharedSecret(ctx)
}

// watchControlReplica syncs a replica control plane every interval until
// ctx ends. The log says when syncs start failing and when they work
// again, not at every failed one; /metrics counts each.
func watchControlReplica(ctx context.Context, control *store.Control, interval time.Duration, logger *slog.Logger) {
	failing := false
	control.WatchReplica(ctx, interval, func(err error) {
		if err == nil {
			if failing {
				logger.Info("control plane replica syncs again")
			}
			failing = false
			return
		}
		if !failing {
			logger.Warn("control plane replica cannot sync; serving its last copy and retrying", "every", interval, "error", err)
		}
		failing = true
	})
}

// controlSyncCounters returns control's replica counters for /metrics.
func controlSyncCounters(control *store.Control) web.ControlSyncCounters {
	s := control.ReplicaStats()
	return web.ControlSyncCounters{Replica: s.Replica, Syncs: s.Syncs, Failures: s.Failures, LastSync: s.LastSync}
}
