package turso

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

// DefaultAPIURL is the Platform API's public base URL.
const DefaultAPIURL = "https://api.turso.tech"

// Defaults of the API client.
const (
	// DefaultAPITimeout bounds one attempt of one API call.
	DefaultAPITimeout = 10 * time.Second
	// DefaultAPIAttempts bounds the attempts of a call answered 429 or 5xx.
	DefaultAPIAttempts = 4
	// DefaultAPIBackoff is the wait before the first retry; it doubles.
	DefaultAPIBackoff = 200 * time.Millisecond
	// maxBackoff caps one wait, Retry-After included.
	maxBackoff = 5 * time.Second
)

// Database is what the API says of one database.
type Database struct {
	Name        string `json:"Name"`
	DbID        string `json:"DbId"`
	Hostname    string `json:"Hostname"`
	Group       string `json:"group"`
	BlockReads  bool   `json:"block_reads"`
	BlockWrites bool   `json:"block_writes"`
}

// Seed is where a new database's data comes from: another database
// (branching), or nothing.
type Seed struct {
	Type string `json:"type"` // "database"
	Name string `json:"name"` // the source database
}

// Client calls the Turso Platform API of one organisation.
type Client struct {
	base     string // no trailing slash
	org      string
	token    Secret
	http     *http.Client
	timeout  time.Duration
	attempts int
	backoff  time.Duration
}

// ClientConfig configures a Client.
type ClientConfig struct {
	APIURL   string // DefaultAPIURL when empty
	Org      string
	Token    Secret
	Timeout  time.Duration // per attempt; DefaultAPITimeout when zero
	Attempts int           // DefaultAPIAttempts when zero
	Backoff  time.Duration // DefaultAPIBackoff when zero
}

// NewClient checks cfg and returns a client. It does not call the API.
func NewClient(cfg ClientConfig) (*Client, error) {
	raw := cfg.APIURL
	if raw == "" {
		raw = DefaultAPIURL
	}
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
		(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil {
		return nil, fmt.Errorf("invalid --turso-api-url %q: want a base URL such as %s", raw, DefaultAPIURL)
	}
	if !validName(cfg.Org) {
		return nil, fmt.Errorf("invalid --turso-org %q: want the organisation's slug (lowercase letters, digits, dashes)", cfg.Org)
	}
	if cfg.Token == "" {
		return nil, errors.New("--provider turso needs TODOS_TURSO_API_TOKEN (a platform API token) in the environment")
	}
	c := &Client{base: u.Scheme + "://" + u.Host, org: cfg.Org, token: cfg.Token, http: &http.Client{},
		timeout: cfg.Timeout, attempts: cfg.Attempts, backoff: cfg.Backoff}
	if c.timeout <= 0 {
		c.timeout = DefaultAPITimeout
	}
	if c.attempts <= 0 {
		c.attempts = DefaultAPIAttempts
	}
	if c.backoff <= 0 {
		c.backoff = DefaultAPIBackoff
	}
	return c, nil
}

// Secure reports whether the API is reached over TLS (the data plane then
// is too; only a local fake answers plain http).
func (c *Client) Secure() bool { return strings.HasPrefix(c.base, "https://") }

// dbPath returns the API path of database name, with rest after it.
func (c *Client) dbPath(name, rest string) string {
	return "/v1/organizations/" + url.PathEscape(c.org) + "/databases/" + url.PathEscape(name) + rest
}

// CreateDatabase creates database name in group, empty or from seed, and
// returns it. An existing name gives ECONFLICT, a missing group or seed
// ENOTFOUND or EINVALID (as the API says).
func (c *Client) CreateDatabase(ctx context.Context, name, group string, seed *Seed) (Database, error) {
	body := struct {
		Name  string `json:"name"`
		Group string `json:"group"`
		Seed  *Seed  `json:"seed,omitempty"`
	}{name, group, seed}
	var out struct {
		Database Database `json:"database"`
	}
	err := c.do(ctx, http.MethodPost, "/v1/organizations/"+url.PathEscape(c.org)+"/databases", body, &out)
	return out.Database, err
}

// GetDatabase returns database name; a missing one gives ENOTFOUND.
func (c *Client) GetDatabase(ctx context.Context, name string) (Database, error) {
	var out struct {
		Database Database `json:"database"`
	}
	err := c.do(ctx, http.MethodGet, c.dbPath(name, ""), nil, &out)
	return out.Database, err
}

// ListDatabases returns every database of the organisation.
func (c *Client) ListDatabases(ctx context.Context) ([]Database, error) {
	var out struct {
		Databases []Database `json:"databases"`
	}
	err := c.do(ctx, http.MethodGet, "/v1/organizations/"+url.PathEscape(c.org)+"/databases", nil, &out)
	return out.Databases, err
}

// DeleteDatabase deletes database name; a missing one gives ENOTFOUND.
func (c *Client) DeleteDatabase(ctx context.Context, name string) error {
	return c.do(ctx, http.MethodDelete, c.dbPath(name, ""), nil, nil)
}

// SetBlocked blocks or unblocks the reads and writes of database name.
func (c *Client) SetBlocked(ctx context.Context, name string, reads, writes bool) error {
	body := map[string]bool{"block_reads": reads, "block_writes": writes}
	return c.do(ctx, http.MethodPatch, c.dbPath(name, "/configuration"), body, nil)
}

// CreateToken returns a new token for database name valid for lifetime,
// full access or read-only.
func (c *Client) CreateToken(ctx context.Context, name string, lifetime time.Duration, readOnly bool) (Secret, error) {
	q := url.Values{"expiration": {formatExpiration(lifetime)}, "authorization": {"full-access"}}
	if readOnly {
		q.Set("authorization", "read-only")
	}
	var out struct {
		JWT string `json:"jwt"`
	}
	if err := c.do(ctx, http.MethodPost, c.dbPath(name, "/auth/tokens?"+q.Encode()), nil, &out); err != nil {
		return "", err
	}
	if out.JWT == "" {
		return "", app.WrapError(app.EUNAVAILABLE, "Turso's API gave no database token.", errors.New("turso: empty jwt"))
	}
	return Secret(out.JWT), nil
}

// do sends one call, with body as JSON when not nil, and decodes a 2xx
// answer into out when not nil. A 429 or 5xx answer, or a network error
// on a call that changes nothing (GET), is retried up to the attempt
// limit with a doubling backoff (or the answer's Retry-After, capped).
// Errors are app errors with plain messages; the API token is never in
// them.
func (c *Client) do(ctx context.Context, method, path string, body, out any) error {
	var payload []byte
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		payload = b
	}
	wait := c.backoff
	var err error
	for attempt := 1; ; attempt++ {
		var retry bool
		var after time.Duration
		retry, after, err = c.once(ctx, method, path, payload, out)
		if !retry || attempt >= c.attempts {
			return err
		}
		if after > 0 {
			wait = after
		}
		wait = min(wait, maxBackoff)
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return unavailable(fmt.Sprintf("Turso's API call was abandoned: %v", context.Cause(ctx)), err)
		case <-t.C:
		}
		wait *= 2
	}
}

// once sends one attempt of a call and says whether it may be retried,
// and after how long if the API said.
func (c *Client) once(ctx context.Context, method, path string, payload []byte, out any) (retry bool, after time.Duration, err error) {
	actx, cancel := context.WithTimeout(ctx, c.timeout)
	defer cancel()
	var rd io.Reader
	if payload != nil {
		rd = bytes.NewReader(payload)
	}
	req, err := http.NewRequestWithContext(actx, method, c.base+path, rd)
	if err != nil {
		return false, 0, err
	}
	req.Header.Set("Authorization", "Bearer "+c.token.reveal())
	req.Header.Set("Accept", "application/json")
	if payload != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	what := method + " " + strings.SplitN(path, "?", 2)[0]
	resp, err := c.http.Do(req)
	if err != nil {
		cause := fmt.Errorf("turso api %s: %w", what, scrub(err))
		if errors.Is(err, context.DeadlineExceeded) && ctx.Err() == nil {
			return method == http.MethodGet, 0, unavailable(fmt.Sprintf("Turso's API did not answer within %s.", c.timeout), cause)
		}
		return method == http.MethodGet && ctx.Err() == nil, 0, unavailable("Turso's API cannot be reached. Please try again in a moment.", cause)
	}
	defer resp.Body.Close()
	msg, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return method == http.MethodGet, 0, unavailable(fmt.Sprintf("Turso's API did not answer within %s.", c.timeout), fmt.Errorf("turso api %s: %w", what, scrub(err)))
	}
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		if out == nil {
			return false, 0, nil
		}
		if err := json.Unmarshal(msg, out); err != nil {
			return false, 0, fmt.Errorf("turso api %s: unexpected answer: %w", what, err)
		}
		return false, 0, nil
	}
	cause := fmt.Errorf("turso api %s: %s: %s", what, resp.Status, apiError(msg))
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests:
		return true, retryAfter(resp.Header.Get("Retry-After")), app.WrapError(app.EUNAVAILABLE, "Turso's API is rate limiting us. Please try again in a moment.", cause)
	case code >= 500:
		return true, retryAfter(resp.Header.Get("Retry-After")), unavailable("Turso's API is failing. Please try again in a moment.", cause)
	case code == http.StatusNotFound:
		return false, 0, app.WrapError(app.ENOTFOUND, "This list's database is missing.", cause)
	case code == http.StatusConflict:
		return false, 0, app.WrapError(app.ECONFLICT, "This list's database already exists.", cause)
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		return false, 0, unavailable("Turso refused our API token: check TODOS_TURSO_API_TOKEN and --turso-org.", cause)
	case code == http.StatusBadRequest || code == http.StatusUnprocessableEntity:
		return false, 0, app.WrapError(app.EINVALID, "Turso refused the request: "+apiError(msg), cause)
	}
	return false, 0, cause
}

// usageCounts are one usage record of the API.
type usageCounts struct {
	RowsRead     int64 `json:"rows_read"`
	RowsWritten  int64 `json:"rows_written"`
	StorageBytes int64 `json:"storage_bytes"`
}

// StorageBytes returns the storage database name uses, from the API's
// usage (GET …/databases/{db}/usage): the largest of its instances' (each
// instance holds a whole copy; the total adds them up), or the total when
// no instance is listed. It works on a database whose reads are blocked.
// A missing database gives ENOTFOUND.
func (c *Client) StorageBytes(ctx context.Context, name string) (int64, error) {
	var out struct {
		Database struct {
			Instances []struct {
				UUID  string      `json:"uuid"`
				Usage usageCounts `json:"usage"`
			} `json:"instances"`
			Total usageCounts `json:"total"`
		} `json:"database"`
	}
	if err := c.do(ctx, http.MethodGet, c.dbPath(name, "/usage"), nil, &out); err != nil {
		return 0, err
	}
	if len(out.Database.Instances) == 0 {
		return out.Database.Total.StorageBytes, nil
	}
	var largest int64
	for _, in := range out.Database.Instances {
		largest = max(largest, in.Usage.StorageBytes)
	}
	return largest, nil
}
