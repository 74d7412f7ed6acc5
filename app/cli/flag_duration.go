package cli

import (
	"errors"
	"flag"
	"strconv"
	"strings"
	"time"
)

// day is the length of the "d" unit durations accept.
const day = 24 * time.Hour

// errDurationFormat says what a duration looks like.
var errDurationFormat = errors.New("want a duration such as 90s, 15m, 12h, 1h30m or 7d (d: days)")

// durationValue is the flag value of every duration flag: Go's durations
// (90s, 15m, 1h30m) plus whole days written first, as in 7d or 1d12h.
type durationValue time.Duration

// durationFlag registers a duration flag named name with default value.
func durationFlag(fs *flag.FlagSet, p *time.Duration, name string, value time.Duration, usage string) {
	*p = value
	fs.Var((*durationValue)(p), name, usage)
}

// Set parses s: an optional number of days ("7d") followed by a Go
// duration ("12h"), or a Go duration alone.
func (d *durationValue) Set(s string) error {
	v, err := parseDuration(s)
	if err != nil {
		return err
	}
	*d = durationValue(v)
	return nil
}

// String writes the duration in days when it is a whole number of them.
func (d *durationValue) String() string {
	if d == nil {
		return "0s"
	}
	return formatDuration(time.Duration(*d))
}

// formatDuration writes v as a person would type it: 7d, 15m, 1h30m,
// 1m30s (not 168h0m0s, 15m0s, 1h30m0s).
func formatDuration(v time.Duration) string {
	if v > 0 && v%day == 0 {
		return strconv.FormatInt(int64(v/day), 10) + "d"
	}
	s := v.String()
	for _, zero := range []string{"m0s", "h0m"} {
		if strings.HasSuffix(s, zero) {
			s = strings.TrimSuffix(s, zero[1:])
		}
	}
	return s
}

// typeName names the value in the help: --trash-retention DURATION.
func (d *durationValue) typeName() string { return "DURATION" }

// parseDuration parses a duration with an optional leading count of days.
func parseDuration(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	days, rest, hasDays := strings.Cut(s, "d")
	if !hasDays {
		v, err := time.ParseDuration(s)
		if err != nil {
			return 0, errDurationFormat
		}
		return v, nil
	}
	n, err := strconv.ParseUint(days, 10, 16)
	if err != nil || days == "" {
		return 0, errDurationFormat
	}
	v := time.Duration(n) * day
	if rest != "" {
		r, err := time.ParseDuration(rest)
		if err != nil || strings.HasPrefix(rest, "-") || strings.HasPrefix(rest, "+") {
			return 0, errDurationFormat
		}
		v += r
	}
	return v, nil
}
