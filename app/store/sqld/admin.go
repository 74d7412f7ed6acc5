package sqld

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"todos/app"
)

// adminClient calls sqld's admin API.
type adminClient struct {
	base    string // e.g. http://127.0.0.1:9091, no trailing slash
	http    *http.Client
	timeout time.Duration
}

// errNoNamespace is the cause of an admin answer 404: the namespace does
// not exist.
var errNoNamespace = errors.New("sqld: namespace does not exist")

// errNamespaceExists is the cause of a create refused because the
// namespace exists.
var errNamespaceExists = errors.New("sqld: namespace already exists")

// namespaceConfig is the part of a namespace's configuration the provider
// reads and writes.
type namespaceConfig struct {
	BlockReads  bool    `json:"block_reads"`
	BlockWrites bool    `json:"block_writes"`
	BlockReason *string `json:"block_reason"`
}

// namespaceStats is the part of a namespace's statistics the provider
// reads.
type namespaceStats struct {
	StorageBytesUsed int64 `json:"storage_bytes_used"`
}

// create creates namespace ns, empty.
func (a *adminClient) create(ctx context.Context, ns string) error {
	return a.do(ctx, http.MethodPost, "/v1/namespaces/"+url.PathEscape(ns)+"/create", struct{}{}, nil)
}

// remove deletes namespace ns.
func (a *adminClient) remove(ctx context.Context, ns string) error {
	return a.do(ctx, http.MethodDelete, "/v1/namespaces/"+url.PathEscape(ns), nil, nil)
}

// config reads namespace ns's configuration.
func (a *adminClient) config(ctx context.Context, ns string) (namespaceConfig, error) {
	var c namespaceConfig
	err := a.do(ctx, http.MethodGet, "/v1/namespaces/"+url.PathEscape(ns)+"/config", nil, &c)
	return c, err
}

// setConfig writes namespace ns's block settings.
func (a *adminClient) setConfig(ctx context.Context, ns string, c namespaceConfig) error {
	return a.do(ctx, http.MethodPost, "/v1/namespaces/"+url.PathEscape(ns)+"/config", c, nil)
}

// stats reads namespace ns's statistics.
func (a *adminClient) stats(ctx context.Context, ns string) (namespaceStats, error) {
	var s namespaceStats
	err := a.do(ctx, http.MethodGet, "/v1/namespaces/"+url.PathEscape(ns)+"/stats", nil, &s)
	return s, err
}

// do sends one request, with body as JSON when not nil, and decodes a 200
// answer into out when not nil. sqld answers 200 with an empty body to
// paths it does not know, so an expected JSON answer that is empty is an
// error. A 404 gives errNoNamespace, a create of an existing namespace
// errNamespaceExists, a server that does not answer within the timeout
// EUNAVAILABLE.
func (a *adminClient) do(ctx context.Context, method, path string, body, out any) error {
	ctx, cancel := context.WithTimeout(ctx, a.timeout)
	defer cancel()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, a.base+path, rd)
	if err != nil {
		return err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := a.http.Do(req)
	if err != nil {
		return unavailable(fmt.Errorf("sqld admin %s %s: %w", method, path, err))
	}
	defer resp.Body.Close()
	msg, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return unavailable(fmt.Errorf("sqld admin %s %s: %w", method, path, err))
	}
	switch {
	case resp.StatusCode == http.StatusNotFound:
		return errNoNamespace
	case resp.StatusCode == http.StatusBadRequest && strings.Contains(string(msg), "already exists"):
		return errNamespaceExists
	case resp.StatusCode >= 500:
		return unavailable(fmt.Errorf("sqld admin %s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(msg)))
	case resp.StatusCode != http.StatusOK:
		return fmt.Errorf("sqld admin %s %s: %s: %s", method, path, resp.Status, bytes.TrimSpace(msg))
	}
	if out == nil {
		return nil
	}
	if len(bytes.TrimSpace(msg)) == 0 {
		return fmt.Errorf("sqld admin %s %s: empty answer (is this sqld's admin API?)", method, path)
	}
	if err := json.Unmarshal(msg, out); err != nil {
		return fmt.Errorf("sqld admin %s %s: %w", method, path, err)
	}
	return nil
}

// unavailable wraps the cause of a call the server did not answer in time,
// or answered with a server error, as EUNAVAILABLE.
func unavailable(cause error) error {
	return app.WrapError(app.EUNAVAILABLE, "This list's database server is not answering. Please try again in a moment.", cause)
}
