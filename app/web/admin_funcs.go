package web

import (
	"fmt"
	"strconv"
	"time"
)

func init() {
	// timeAgo says how long ago (or how far ahead) t is: "3 minutes ago",
	// "in 6 days", "never" for the zero time.
	viewFuncs["timeAgo"] = func(t time.Time) string { return relativeTime(t, time.Now()) }
	// bytes formats a size in binary units: "1.5 MiB".
	viewFuncs["bytes"] = humanBytes
	// days formats a duration in whole days (or hours below a day).
	viewFuncs["days"] = humanDays
	// millis formats a duration in milliseconds.
	viewFuncs["millis"] = func(d time.Duration) string {
		return strconv.FormatFloat(float64(d.Microseconds())/1000, 'f', 1, 64) + " ms"
	}
	// utc formats t for people, in UTC.
	viewFuncs["utc"] = func(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") }
}

// relativeTime says how far t is from now in the largest whole unit.
func relativeTime(t, now time.Time) string {
	if t.IsZero() {
		return "never"
	}
	d := now.Sub(t)
	future := d < 0
	if future {
		// Times ahead (a purge date) round to the nearest unit: "in 7
		// days" rather than "in 6 days" a second after deleting.
		d = -d
		switch {
		case d >= 24*time.Hour:
			d = d.Round(24 * time.Hour)
		case d >= time.Hour:
			d = d.Round(time.Hour)
		default:
			d = d.Round(time.Minute)
		}
	}
	var s string
	switch {
	case d < time.Minute:
		if future {
			return "in less than a minute"
		}
		return "just now"
	case d < time.Hour:
		s = countOf(int(d/time.Minute), "minute")
	case d < 24*time.Hour:
		s = countOf(int(d/time.Hour), "hour")
	case d < 60*24*time.Hour:
		s = countOf(int(d/(24*time.Hour)), "day")
	default:
		return t.UTC().Format("2 Jan 2006")
	}
	if future {
		return "in " + s
	}
	return s + " ago"
}

// countOf is "1 minute", "2 minutes".
func countOf(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}

// humanBytes formats n bytes in binary units.
func humanBytes(n int64) string {
	if n < 1024 {
		return strconv.FormatInt(n, 10) + " B"
	}
	units := []string{"KiB", "MiB", "GiB", "TiB"}
	v, i := float64(n)/1024, 0
	for v >= 1024 && i < len(units)-1 {
		v /= 1024
		i++
	}
	if v < 10 {
		return fmt.Sprintf("%.1f %s", v, units[i])
	}
	return fmt.Sprintf("%.0f %s", v, units[i])
}

// humanDays formats a retention period.
func humanDays(d time.Duration) string {
	if d < 24*time.Hour {
		return countOf(int(d/time.Hour), "hour")
	}
	return countOf(int(d/(24*time.Hour)), "day")
}
