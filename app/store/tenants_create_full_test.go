package store

import (
	"context"
	"path/filepath"
	"testing"

	"todos/app"
	"todos/app/internal/testfs"
)

func TestCreateTenantOnAFullDiskSaysStorageIsFull(t *testing.T) {
	ctx := context.Background()
	for _, full := range []string{"tenant databases", "control plane"} {
		t.Run(full, func(t *testing.T) {
			disk := testfs.Mount(t, "2m")
			controlDir, tenantsDir := t.TempDir(), disk
			if full == "control plane" {
				controlDir, tenantsDir = disk, t.TempDir()
			}
			c, err := OpenControl(filepath.Join(controlDir, "control.db"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { _ = c.Close() })
			p := LocalProvider{Dir: filepath.Join(tenantsDir, "tenants")}
			pool := NewTenantPool(p, tenantMigrations(t), c, 4)
			t.Cleanup(func() { _ = pool.Close() })
			s := NewTenants(c, p, pool, testParams)
			free := testfs.Fill(t, disk)

			_, _, err = s.CreateTenant(ctx, input("acme"))
			wantCode(t, err, app.EFULL)
			if msg := app.ErrorMessage(err); msg != "Storage is full: the list could not be created. Please try again later." {
				t.Errorf("message %q", msg)
			}
			if files := dbFiles(t, p.Dir); len(files) != 0 {
				t.Errorf("files left: %q", files)
			}
			// With room again, the name is free.
			free()
			if _, _, err := s.CreateTenant(ctx, input("acme")); err != nil {
				t.Errorf("after freeing space: %v", err)
			}
		})
	}
}
