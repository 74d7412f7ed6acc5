package cli

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"todos/app/store/console"
	"todos/app/web"
)

// runServe runs "todos serve": it opens the data directory, listens, serves
// until SIGINT or SIGTERM, then shuts down in order: stop accepting, drain
// requests, close the tenant pool, close the control store.
func runServe(ctx context.Context, env Env, args []string) error {
	var cfg Config
	fs := newFlagSet("todos serve", env)
	proxies := serveFlags(fs, &cfg)
	if err := parseFlags(fs, env, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(env.Stderr, "todos serve: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	if err := cfg.validate(*proxies); err != nil {
		fmt.Fprintln(env.Stderr, "todos serve:", err)
		return errUsage
	}
	logger := newLogger(env, cfg.LogFormat)

	ctx, stop := signal.NotifyContext(ctx, os.Interrupt, syscall.SIGTERM)
	defer stop()

	// Before anything opens it: a data directory made readable by others
	// is tightened, and the log (in its format) says what changed.
	if err := prepareDataDir(cfg.DataDir, logger); err != nil {
		return err
	}
	// With a shared control plane, DATA/control.db is this server's
	// embedded replica of it.
	cfg.Provider.Control.replica = true
	b, err := openBackendIn(cfg.DataDir, cfg.PoolSize, env.Assets.Schema, cfg.Provider, cfg.Regions.Offered)
	if err != nil {
		return err
	}
	defer b.Close()
	secret, err := serverSecret(ctx, cfg, b)
	if err != nil {
		return err
	}

	// Uploads and exports are staged in DATA/tmp, private to the server;
	// what a killed process left there is removed.
	tempDir := filepath.Join(cfg.DataDir, "tmp")
	if n, err := web.PrepareTempDir(tempDir); err != nil {
		return fmt.Errorf("temporary directory: %w", err)
	} else if n > 0 {
		logger.Info("removed leftover temporary files", "dir", tempDir, "count", n)
	}
	srv := web.NewServer(web.Config{
		TempDir:        tempDir,
		Domain:         cfg.Domain,
		TrustedProxies: cfg.TrustedProxies,
		ClientIPHeader: cfg.ClientIPHeader,
		Limits:         cfg.Limits,
		Keys:           web.DeriveKeys(secret),
		TrashRetention: cfg.TrashRetention,
		Region:         cfg.Regions.Routing(),
		SMTPURL:        cfg.Mail.SMTPURL,
		MailFrom:       cfg.Mail.MailFrom,
	}, web.Services{
		Tenants:           b.tenants,
		Lists:             b.pool,
		Handoffs:          b.control,
		AdminSessionStore: b.control.SessionStore(),
		PoolCounters:      func() web.PoolCounters { return web.PoolCounters(b.pool.Stats()) },
		Ping:              b.control.Ping,
		StorageCheck:      storageCheck(cfg.DataDir),
		ControlSync:       func() web.ControlSyncCounters { return controlSyncCounters(b.control) },
		Admins:            b.control,
		TenantAdmin:       b.tenants,
		Audit:             b.control,
		Console:           console.NewProviderConsole(nil, b.provider),
		ConsoleHistory:    b.control,
		Activity:          b.control,
	}, env.Assets.Views, env.Assets.Static, logger)

	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return err
	}
	marker, err := startRunMarker(cfg.DataDir)
	if err != nil {
		return err
	}
	defer marker.close() // left in place unless the stop is clean: see runMarker
	startBackgroundJobs(ctx, b, cfg.DataDir, cfg.TrashRetention, logger)
	go watchControlReplica(ctx, b.control, cfg.Provider.Control.SyncInterval, logger)
	if cfg.PprofAddr != "" {
		if err := startPprof(ctx, cfg.PprofAddr, logger); err != nil {
			return fmt.Errorf("--pprof-addr: %w", err)
		}
	}

	serveErr := make(chan error, 1)
	go func() { serveErr <- srv.Serve(ln) }()
	printURLs(env, cfg, ln.Addr())
	if n, err := b.control.CountAdmins(ctx); err == nil && n == 0 {
		fmt.Fprintln(env.Stdout, "No admin account yet: create one with\n  todos admin create you@example.com\n(from a checkout: go run . admin create you@example.com)")
	}
	logger.Info("listening", "addr", ln.Addr().String(), "domain", cfg.Domain, "data", cfg.DataDir)

	select {
	case err := <-serveErr:
		return err
	case <-ctx.Done():
	}
	logger.Info("shutting down", "timeout", cfg.ShutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.ShutdownTimeout)
	defer cancel()
	shutdownErr := srv.Shutdown(sctx)
	if shutdownErr != nil {
		logger.Error("shutdown did not finish in time: requests still running were cut off",
			"timeout", cfg.ShutdownTimeout.String(), "error", shutdownErr)
		shutdownErr = fmt.Errorf("shutdown: requests still running after --shutdown-timeout %s were cut off: %w",
			cfg.ShutdownTimeout, shutdownErr)
	}
	if err := b.Close(); err != nil {
		return errors.Join(shutdownErr, err)
	}
	if shutdownErr != nil {
		return shutdownErr
	}
	if err := marker.finish(); err != nil {
		logger.Warn("removing the run marker", "error", err)
	}
	logger.Info("stopped")
	return nil
}

// printURLs tells the person who started the server where to go.
func printURLs(env Env, cfg Config, addr net.Addr) {
	port := ""
	if a, ok := addr.(*net.TCPAddr); ok && a.Port != 80 {
		port = fmt.Sprintf(":%d", a.Port)
	}
	fmt.Fprintf(env.Stdout, "TODOs is running.\n  Site:  http://%s%s/\n  Admin: http://admin.%s%s/\n  Lists: http://{name}.%s%s/\n",
		cfg.Domain, port, cfg.Domain, port, cfg.Domain, port)
}

// newLogger returns the process logger.
func newLogger(env Env, format string) *slog.Logger {
	if format == "json" {
		return slog.New(slog.NewJSONHandler(env.Stderr, nil))
	}
	return slog.New(slog.NewTextHandler(env.Stderr, nil))
}
