package cli

import (
	"context"
	"log/slog"
)

// reconcileAfterUncleanStop looks for servers on dataDir that stopped
// without a clean shutdown (see runMarker) and, if it finds any, brings
// every live tenant's control-plane counters in line with its database:
// their last batch of activity may have died with them. The dead markers
// are removed once that is done, so a sweep cut short (this server stopping
// too) is redone by the next server.
func reconcileAfterUncleanStop(ctx context.Context, b *backend, dataDir string, logger *slog.Logger) {
	dead, err := deadRuns(dataDir)
	if err != nil {
		logger.Warn("looking for unclean stops", "error", err)
		return
	}
	if len(dead) == 0 {
		return
	}
	logger.Warn("a server on this data directory stopped without a clean shutdown: reconciling tenant counters",
		"stops", len(dead))
	res, err := b.tenants.ReconcileCounters(ctx)
	if err != nil {
		logJob(logger, "reconciling tenant counters", 0, err)
		return
	}
	if err := removeRuns(dead); err != nil {
		logger.Warn("removing markers of unclean stops", "error", err)
	}
	logger.Info("tenant counters reconciled", "checked", res.Checked, "corrected", res.Corrected,
		"failed", res.Failed, "error", res.Err)
}
