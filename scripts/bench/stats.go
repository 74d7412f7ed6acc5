package main

import (
	"fmt"
	"math"
	"slices"
	"time"
)

// latencies are the measured latencies of one run, sorted.
type latencies []time.Duration

// sortLatencies sorts l in place and returns it.
func sortLatencies(l []time.Duration) latencies {
	slices.Sort(l)
	return l
}

// quantile returns the q-quantile (0 < q <= 1) by nearest rank, or 0.
func (l latencies) quantile(q float64) time.Duration {
	if len(l) == 0 {
		return 0
	}
	i := int(math.Ceil(q*float64(len(l)))) - 1
	return l[min(max(i, 0), len(l)-1)]
}

// max returns the largest latency, or 0.
func (l latencies) max() time.Duration {
	if len(l) == 0 {
		return 0
	}
	return l[len(l)-1]
}

// ms formats a duration in milliseconds.
func ms(d time.Duration) string {
	v := float64(d) / float64(time.Millisecond)
	switch {
	case v >= 100:
		return fmt.Sprintf("%.0f ms", v)
	case v >= 10:
		return fmt.Sprintf("%.1f ms", v)
	default:
		return fmt.Sprintf("%.2f ms", v)
	}
}
