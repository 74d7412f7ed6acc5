package sqld

import (
	"sync/atomic"
	"testing"
	"time"

	"todos/app/internal/providertest"
	"todos/app/internal/sqldtest"
	"todos/app/store"
)

// TestProviderContract runs the provider contract
// (app/internal/providertest) against a real sqld, without and with JWT
// auth, with the faults a server has: stopped, hung, and (with auth)
// refusing expired tokens.
func TestProviderContract(t *testing.T) {
	t.Run("sqld", func(t *testing.T) {
		srv := sqldtest.Start(t)
		providertest.Run(t,
			func(t *testing.T) store.Provider { return newTestProvider(t, srv, Config{}) },
			providertest.WithStop(srv.Stop, srv.Restart),
			providertest.WithHang(srv.Pause, func(t *testing.T) store.Provider {
				return newTestProvider(t, srv, Config{CallTimeout: 2 * time.Second})
			}),
		)
	})
	t.Run("sqld with auth", func(t *testing.T) {
		srv := sqldtest.StartWithAuth(t)
		var skew atomic.Int64 // how far behind the clock that signs tokens is
		providertest.Run(t,
			func(t *testing.T) store.Provider {
				p := newTestProvider(t, srv, Config{AuthKeyFile: srv.AuthKeyFile})
				p.signer.now = func() time.Time { return time.Now().Add(-time.Duration(skew.Load())) }
				return p
			},
			providertest.WithStop(srv.Stop, srv.Restart),
			providertest.WithExpiredTokens(func() (restore func()) {
				// Tokens signed now expired 50 minutes ago: past sqld's
				// 60 s of leeway.
				skew.Store(int64(time.Hour))
				return func() { skew.Store(0) }
			}),
		)
	})
}
