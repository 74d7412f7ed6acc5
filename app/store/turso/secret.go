package turso

import "log/slog"

// Secret is a credential: it is sent where it must go and nowhere else.
// Printed or logged in any way, it shows only that it is set.
type Secret string

// String redacts the secret.
func (s Secret) String() string {
	if s == "" {
		return "(none)"
	}
	return "(redacted)"
}

// GoString redacts the secret from %#v.
func (s Secret) GoString() string { return s.String() }

// LogValue redacts the secret from slog.
func (s Secret) LogValue() slog.Value { return slog.StringValue(s.String()) }

// reveal returns the secret itself, for an Authorization header or a DSN.
func (s Secret) reveal() string { return string(s) }

// String describes the client without its token.
func (c *Client) String() string {
	return "turso.Client{api: " + c.base + ", org: " + c.org + ", token: " + c.token.String() + "}"
}

// GoString is String, for %#v.
func (c *Client) GoString() string { return c.String() }
