package turso

import (
	"encoding/json"
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"

	"todos/app"
)

// formatExpiration writes d in the API's expiration syntax (2w, 1d, 30m,
// 90s), in the largest unit that divides it.
func formatExpiration(d time.Duration) string {
	d = d.Round(time.Second)
	for _, u := range []struct {
		unit time.Duration
		sfx  string
	}{{7 * 24 * time.Hour, "w"}, {24 * time.Hour, "d"}, {time.Hour, "h"}, {time.Minute, "m"}} {
		if d >= u.unit && d%u.unit == 0 {
			return strconv.FormatInt(int64(d/u.unit), 10) + u.sfx
		}
	}
	return strconv.FormatInt(int64(max(d/time.Second, 1)), 10) + "s"
}

// unavailable returns an EUNAVAILABLE error with message and cause.
func unavailable(message string, cause error) error {
	return app.WrapError(app.EUNAVAILABLE, message, cause)
}

// apiError returns the "error" of an API error body, or the body itself,
// short.
func apiError(body []byte) string {
	var e struct {
		Error string `json:"error"`
	}
	if json.Unmarshal(body, &e) == nil && e.Error != "" {
		return e.Error
	}
	s := strings.TrimSpace(string(body))
	if len(s) > 200 {
		s = s[:200] + "…"
	}
	return s
}

// retryAfter parses a Retry-After in seconds (0 when absent or not a
// number of seconds).
func retryAfter(h string) time.Duration {
	n, err := strconv.Atoi(strings.TrimSpace(h))
	if err != nil || n < 0 {
		return 0
	}
	return time.Duration(n) * time.Second
}

// scrub returns err without the request URL's query (none carries a
// secret today; kept so that none ever does).
func scrub(err error) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		u, perr := url.Parse(ue.URL)
		if perr == nil {
			u.RawQuery = ""
			return &url.Error{Op: ue.Op, URL: u.String(), Err: ue.Err}
		}
	}
	return err
}

// validName reports whether s is a valid organisation, group or database
// name: 1 to 64 lowercase letters, digits and dashes.
func validName(s string) bool {
	if s == "" || len(s) > 64 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}
