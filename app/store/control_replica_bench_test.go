package store_test

import (
	"context"
	"path/filepath"
	"testing"

	"todos/app"
	"todos/app/internal/sqldtest"
	"todos/app/store"
)

// BenchmarkControlPlane compares the control plane in a local file, as an
// embedded replica of a sqld namespace, and reached directly on that
// namespace (as the CLI does): a read (an admin looked up by email, as at
// sign-in) and a write (an audit entry). Run with
//
//	go test -run '^$' -bench ControlPlane -benchtime 2s ./app/store/
func BenchmarkControlPlane(b *testing.B) {
	srv := sqldtest.Start(b)
	srv.CreateNamespace("control")
	ctx := context.Background()
	for _, place := range []struct {
		name string
		opts []store.ControlOption
	}{
		{"local", nil},
		{"replica", []store.ControlOption{store.WithReplica(replicaOf(srv, false))}},
		{"remote", []store.ControlOption{store.WithReplica(replicaOf(srv, true))}},
	} {
		c, err := store.OpenControl(filepath.Join(b.TempDir(), "control.db"), append(place.opts, cheapPasswords)...)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.AdminByEmail(ctx, "bench@example.com"); app.ErrorCode(err) == app.ENOTFOUND {
			if _, err := c.CreateAdmin(ctx, "bench@example.com", "a long enough password"); err != nil {
				b.Fatal(err)
			}
		}
		b.Run(place.name+"/read", func(b *testing.B) {
			for b.Loop() {
				if _, err := c.AdminByEmail(ctx, "bench@example.com"); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(place.name+"/write", func(b *testing.B) {
			for b.Loop() {
				if err := c.RecordAudit(ctx, app.AuditEntry{Actor: "cli", Action: "bench", Outcome: app.AuditOK}); err != nil {
					b.Fatal(err)
				}
			}
		})
		_ = c.Close()
	}
}
