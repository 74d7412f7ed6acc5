package turso

import (
	"net/http"
	"net/http/httptest"
	"testing"
)

// TestStorageBytesReadsTheDocumentedShape: the usage answer as Turso's API
// reference shows it (two instances of 4096 bytes, a total of 8192) gives
// one copy's size, not the sum over replicas.
func TestStorageBytesReadsTheDocumentedShape(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet || r.URL.Path != "/v1/organizations/acme/databases/t-one/usage" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"database": {"uuid": "<unknown>", "instances": [
			{"uuid": "cd831986-94e5-11ee-a6fe-7a52e1f7759a", "usage": {"rows_read": 0, "rows_written": 0, "storage_bytes": 4096, "bytes_synced": 0}},
			{"uuid": "0be90471-6906-11ee-8553-eaa7715aeaf2", "usage": {"rows_read": 0, "rows_written": 0, "storage_bytes": 4096, "bytes_synced": 0}}],
			"total": {"rows_read": 0, "rows_written": 0, "storage_bytes": 8192, "bytes_synced": 0}}}`))
	}))
	t.Cleanup(srv.Close)
	c, err := NewClient(ClientConfig{APIURL: srv.URL, Org: "acme", Token: "x"})
	if err != nil {
		t.Fatal(err)
	}
	if n, err := c.StorageBytes(ctx, "t-one"); err != nil || n != 4096 {
		t.Errorf("StorageBytes = %d, %v; want 4096", n, err)
	}
}
