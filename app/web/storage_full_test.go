package web

import (
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"todos/app"
	"todos/app/internal/testfs"
	"todos/app/store"
)

// integrityOK fails unless PRAGMA integrity_check of the database at path
// says ok.
func integrityOK(t *testing.T, path string) {
	t.Helper()
	c, err := store.OpenConnector("file:" + path)
	if err != nil {
		t.Fatal(err)
	}
	db := sql.OpenDB(c)
	defer db.Close()
	var res string
	if err := db.QueryRow("PRAGMA integrity_check").Scan(&res); err != nil || res != "ok" {
		t.Fatalf("%s: integrity_check = %q, %v", path, res, err)
	}
}

// health returns the status and JSON body of a health check.
func health(t *testing.T, b *browser, path string) (int, map[string]any) {
	t.Helper()
	r := b.get("http://localhost:8080" + path)
	var body map[string]any
	if err := json.Unmarshal([]byte(r.Body), &body); err != nil {
		t.Fatalf("%s: %d %q: %v", path, r.StatusCode, r.Body, err)
	}
	return r.StatusCode, body
}

var storageFailuresMetric = regexp.MustCompile(`(?m)^todos_storage_write_failures_total (\d+)$`)

// storageFailures reads todos_storage_write_failures_total from /metrics.
func storageFailures(t *testing.T, b *browser) int {
	t.Helper()
	basic := "Basic " + base64.StdEncoding.EncodeToString([]byte(testAdminEmail+":"+testAdminPassword))
	r := b.get(adminURL+"/metrics", "Authorization", basic)
	m := storageFailuresMetric.FindStringSubmatch(r.Body)
	if r.StatusCode != http.StatusOK || m == nil {
		t.Fatalf("/metrics: %d, no storage failures metric:\n%s", r.StatusCode, clipBody(r.Body))
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// TestFullDiskKeepsReadsAndRefusesWritesClearly runs the server on a small
// tmpfs, fills it, and checks what a full disk does: lists are read (also
// one whose database must be opened anew), signed-in requests whose
// session renewal cannot be written are answered, sign-in and sign-out
// work (their sessions are kept in memory), writes are refused with 507
// and the storage-full message for forms and htmx alike with nothing typed
// lost, /healthz says degraded, /healthz/writes fails, and the metrics
// count the refusals. Once space is freed, everything works again and the
// databases pass integrity_check.
func TestFullDiskKeepsReadsAndRefusesWritesClearly(t *testing.T) {
	dir := testfs.Mount(t, "4m")
	env := newTestEnvConfigured(t, dir, mustReadSchema(t), func(c *Config) {
		c.SessionRenewEvery = time.Nanosecond // every signed-in request writes its session
	})
	env.srv.svc.StorageCheck = func(context.Context) (int64, error) { return store.CheckStorage(dir) }
	env.createAdmin(testAdminEmail, testAdminPassword)
	b := env.browser()
	b.signUp("acme", "owner@example.com", "correct horse")
	formPost(t, b, "/todos", url.Values{"title": {"before"}})
	if code, body := health(t, b, "/healthz"); code != 200 || body["status"] != "ok" || body["storage"] != "ok" {
		t.Fatalf("healthz before: %d %v", code, body)
	}
	failuresBefore := storageFailures(t, b)
	acme := env.tenant("acme")
	<-env.pool.Evict(acme.ID) // the next request opens its database anew

	free := testfs.Fill(t, dir)

	// Reads.
	equal(t, "items on a full disk", items(page(t, b, "/")), []string{"before"})
	equal(t, "items on a full disk, again", items(page(t, b, "/active")), []string{"before"})

	// Writes: without JavaScript, the list with the message and the typed
	// title; with htmx, the message in the alert area.
	r := b.post("http://acme.localhost:8080/todos", url.Values{"title": {"while full"}, "filter": {"all"}})
	if r.StatusCode != http.StatusInsufficientStorage {
		t.Fatalf("add on a full disk: %d\n%s", r.StatusCode, clipBody(r.Body))
	}
	mustContain(t, r.Body, app.StorageFullMessage, `value="while full"`, "before")
	mustNotContain(t, r.Body, "Something went wrong")
	r = b.post("http://acme.localhost:8080/todos", url.Values{"title": {"while full"}}, "HX-Request", "true")
	if r.StatusCode != http.StatusInsufficientStorage || r.Header.Get("HX-Retarget") != "#alerts" {
		t.Fatalf("htmx add on a full disk: %d retarget %q\n%s", r.StatusCode, r.Header.Get("HX-Retarget"), r.Body)
	}
	mustContain(t, r.Body, app.StorageFullMessage)
	id := itemID(t, page(t, b, "/"), "before")
	r = b.post("http://acme.localhost:8080/todos/"+id+"/toggle", url.Values{"completed": {"1"}})
	if r.StatusCode != http.StatusInsufficientStorage {
		t.Fatalf("toggle on a full disk: %d", r.StatusCode)
	}
	mustContain(t, r.Body, app.StorageFullMessage)

	// Sign-in and sign-out need no room: the session is kept in memory.
	other := env.browser()
	r = other.post("http://acme.localhost:8080/login", url.Values{"email": {"owner@example.com"}, "password": {"correct horse"}})
	if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/" {
		t.Fatalf("sign-in on a full disk: %d %q\n%s", r.StatusCode, r.Header.Get("Location"), clipBody(r.Body))
	}
	equal(t, "items after sign-in on a full disk", items(page(t, other, "/")), []string{"before"})
	session := other.jar["acme.localhost:8080"][sessionCookie]
	r = other.post("http://acme.localhost:8080/logout", nil)
	if r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign-out on a full disk: %d", r.StatusCode)
	}
	replay := env.browser()
	replay.jar["acme.localhost:8080"] = map[string]string{sessionCookie: session}
	if r := replay.get("http://acme.localhost:8080/"); r.StatusCode != http.StatusSeeOther {
		t.Errorf("session replayed after a sign-out on a full disk: %d", r.StatusCode)
	}
	// The first browser's session, stored before the disk filled and
	// renewed into memory since, still works.
	equal(t, "items, first browser", items(page(t, b, "/")), []string{"before"})

	// Health and metrics.
	if code, body := health(t, b, "/healthz"); code != 200 || body["status"] != "degraded" || body["storage"] != "full" {
		t.Errorf("healthz on a full disk: %d %v", code, body)
	}
	if code, body := health(t, b, "/healthz/writes"); code != http.StatusServiceUnavailable || body["storage"] != "full" {
		t.Errorf("healthz/writes on a full disk: %d %v", code, body)
	}
	if n := storageFailures(t, b); n < failuresBefore+3 {
		t.Errorf("todos_storage_write_failures_total = %d, want at least %d", n, failuresBefore+3)
	}

	free()
	formPost(t, b, "/todos", url.Values{"title": {"after"}})
	equal(t, "items after freeing space", items(page(t, b, "/")), []string{"before", "after"})
	if code, body := health(t, b, "/healthz/writes"); code != 200 || body["storage"] != "ok" {
		t.Errorf("healthz/writes after freeing space: %d %v", code, body)
	}
	integrityOK(t, acme.Location)
	integrityOK(t, filepath.Join(dir, "control.db"))
}
