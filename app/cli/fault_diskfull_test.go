package cli

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"todos/app"
)

// TestFaultFullDisk runs the real binary on a small tmpfs with a pool of
// two (so that tenants are closed and opened again while the disk is full)
// and fills the disk under writes to several tenants (once; three times
// with TODOS_FAULT_LONG=1). While it is full: every list still reads (200),
// as does a sign-in; writes are refused with 507 and the storage-full
// message, never a 500; /healthz answers 200 with "degraded" storage
// "full"; a sign-up is refused with 507 and a clear message. Once space is
// freed, each tenant takes writes again and a sign-up works. At the end
// every acknowledged add and completion is stored and every database file
// passes integrity_check. It needs root (to mount the tmpfs) and skips
// with a message otherwise.
func TestFaultFullDisk(t *testing.T) {
	bin := faultBinary(t)
	disk := faultSmallDisk(t, "32m")
	dir := filepath.Join(disk, "data")
	tenantCount, fills := faultSize(4, 8), faultSize(1, 3)
	srv := startFaultServer(t, bin, dir, "--signup-per-hour", "0", "--pool-size", "2")
	tenants := signUpTenants(t, srv.port, "full", tenantCount)
	l := newFaultLedger()
	for fill := range fills {
		w := startFaultWriters(tenants, 2, fill, l)
		l.waitAdded(t, tenants, (fill+1)*10)
		refusedBefore := l.refusedFull()
		filler := faultFillDisk(t, disk)
		waitRefused(t, l, refusedBefore+tenantCount)
		w.stop()
		added, completed, _ := l.total()
		t.Logf("fill %d: %d adds and %d completions acknowledged so far, %d writes refused as storage full",
			fill+1, added, completed, l.refusedFull())

		for _, ft := range tenants {
			if page := ft.browser().do(http.MethodGet, ft.base()+"/", nil); page.err != nil || page.status != http.StatusOK {
				t.Errorf("fill %d: reading %s's list on a full disk: %s", fill+1, ft.name, page)
			}
		}
		if _, err := signIn(t, srv.port, tenants[0].name, tenants[0].password); err != nil {
			t.Errorf("fill %d: signing in on a full disk: %v", fill+1, err)
		}
		// Databases closed in the background give back the space their
		// checkpointed -wal held: the disk is filled up again before each
		// look.
		wantFullDiskSeen(t, srv.port, fill, filler)
		filler.free()
		wantHealth(t, srv.port, "after space was freed", "ok", "ok")
		for _, ft := range tenants {
			title := fmt.Sprintf("%s-after-fill%d", ft.name, fill)
			a := ft.post(ft.browser(), "/todos", url.Values{"title": {title}}, false)
			l.note(ft.name, title, "add after space was freed", a, a.err == nil && a.status == http.StatusSeeOther, false)
			if a.err != nil || a.status != http.StatusSeeOther {
				t.Errorf("fill %d: %s does not take writes after space was freed: %s", fill+1, ft.name, a)
			}
		}
		name := fmt.Sprintf("freed%d", fill)
		if a, _ := signUp(srv.port, name, "password-"+name); a.err != nil || a.status != http.StatusSeeOther {
			t.Errorf("fill %d: a sign-up after space was freed answered %s", fill+1, a)
		}
	}
	t.Logf("the server opened a tenant database in exclusive mode (no -shm) %d times while the disk was full",
		strings.Count(srv.logs.String(), "opened in exclusive mode"))
	l.wantNoBadAnswers(t, "writes around a full disk")
	if logs := srv.logs.String(); strings.Contains(logs, "status=500") || strings.Contains(logs, "panic") {
		t.Errorf("the server logged a 500 or a panic around the full disk:\n%s", srv.logTail(30))
	}
	if err := srv.term(); err != nil {
		t.Errorf("SIGTERM after the full disk: exit %v; log:\n%s", err, srv.logTail(20))
	}
	wantIntact(t, "after the full disk", dir)
	l.wantAcknowledged(t, "the databases after the full disk", storedState(t, dir, dir))
}

// faultSmallDisk mounts a tmpfs of size (e.g. "32m") on a new directory and
// unmounts it when the test ends, after the server is gone. It skips the
// test when not root or when the mount fails.
func faultSmallDisk(t *testing.T, size string) string {
	t.Helper()
	if os.Geteuid() != 0 {
		t.Skip("full-disk fault test: needs root to mount a tmpfs")
	}
	dir := t.TempDir()
	if out, err := exec.Command("mount", "-t", "tmpfs", "-o", "size="+size+",mode=0700", "tmpfs", dir).CombinedOutput(); err != nil {
		t.Skipf("full-disk fault test: mount -t tmpfs failed: %v: %s", err, out)
	}
	t.Cleanup(func() {
		if out, err := exec.Command("umount", dir).CombinedOutput(); err != nil {
			t.Errorf("umount %s: %v: %s", dir, err, out)
			_ = exec.Command("umount", "-l", dir).Run()
		}
	})
	return dir
}

// faultFiller is a file that fills a file system.
type faultFiller struct {
	t *testing.T
	f *os.File
}

// faultFillDisk writes a file in dir until the file system is full.
func faultFillDisk(t *testing.T, dir string) *faultFiller {
	t.Helper()
	f, err := os.Create(filepath.Join(dir, "filler"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = f.Close() })
	filler := &faultFiller{t: t, f: f}
	filler.topUp()
	return filler
}

// topUp writes to the filler until the file system is full again.
func (ff *faultFiller) topUp() {
	ff.t.Helper()
	block := make([]byte, 64<<10)
	for _, size := range []int{len(block), 4096} { // down to the last page
		for {
			if _, err := ff.f.Write(block[:size]); err != nil {
				if !errors.Is(err, syscall.ENOSPC) {
					ff.t.Fatalf("filling the disk: %v", err)
				}
				break
			}
		}
	}
}

// free removes the filler.
func (ff *faultFiller) free() {
	ff.t.Helper()
	if err := os.Remove(ff.f.Name()); err != nil {
		ff.t.Fatal(err)
	}
	_ = ff.f.Truncate(0)
}

// wantFullDiskSeen fails the test unless, with the disk filled up again
// right before each look (up to ten times), /healthz answers 200 with
// "degraded" storage "full" and a sign-up is refused with 507 and the
// storage-full message. A sign-up that succeeds found room freed since the
// last top-up; the next one tries a new name.
func wantFullDiskSeen(t *testing.T, port string, fill int, filler *faultFiller) {
	t.Helper()
	var health faultAnswer
	for range 10 {
		filler.topUp()
		if health = healthz(port); healthIs(health, "degraded", "full") {
			break
		}
	}
	if !healthIs(health, "degraded", "full") {
		t.Errorf("fill %d: /healthz on a full disk answered %s; want 200 with status \"degraded\" and storage \"full\"", fill+1, health)
	}
	for try := range 10 {
		filler.topUp()
		a, _ := signUp(port, fmt.Sprintf("full%dsignup%d", fill, try), "password-full-signup")
		if a.err == nil && a.status == http.StatusSeeOther {
			continue
		}
		if a.err != nil || a.status != http.StatusInsufficientStorage || !strings.Contains(a.body, "Storage is full") {
			t.Errorf("fill %d: a sign-up on a full disk answered %s; want 507 saying the storage is full", fill+1, a)
		}
		return
	}
	t.Errorf("fill %d: ten sign-ups on a disk filled up again before each were all created", fill+1)
}

// waitRefused waits until the writers have had n writes refused as storage
// full; it fails the test if a minute on a full disk does not get there.
func waitRefused(t *testing.T, l *faultLedger, n int) {
	t.Helper()
	for deadline := time.Now().Add(time.Minute); l.refusedFull() < n; time.Sleep(10 * time.Millisecond) {
		if bad := l.badAnswers(); len(bad) >= 5 {
			t.Fatalf("on a full disk, writes got answers that are neither a success nor 507 with %q:\n  %s",
				app.StorageFullMessage, strings.Join(bad, "\n  "))
		}
		if time.Now().After(deadline) {
			t.Fatalf("on a full disk, only %d writes were refused with 507 and %q in a minute (want %d); other answers: %v",
				l.refusedFull(), app.StorageFullMessage, n, l.badAnswers())
		}
	}
}

// healthz asks the bare domain's /healthz.
func healthz(port string) faultAnswer {
	return newClosingBrowser(nil).do(http.MethodGet, siteURL(port)+"/healthz", nil)
}

// healthIs reports whether a /healthz answer is 200 with the given status
// and storage.
func healthIs(a faultAnswer, status, storage string) bool {
	var body map[string]any
	return a.err == nil && a.status == http.StatusOK && json.Unmarshal([]byte(a.body), &body) == nil &&
		body["status"] == status && body["storage"] == storage
}

// wantHealth fails the test unless /healthz on the bare domain answers 200
// with the given status and storage.
func wantHealth(t *testing.T, port, when, status, storage string) {
	t.Helper()
	if a := healthz(port); !healthIs(a, status, storage) {
		t.Errorf("/healthz %s answered %s; want 200 with status %q and storage %q", when, a, status, storage)
	}
}
