package web

import (
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"todos/app"
)

func TestRelativeTime(t *testing.T) {
	now := time.Date(2026, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, tt := range []struct {
		t    time.Time
		want string
	}{
		{time.Time{}, "never"},
		{now.Add(-10 * time.Second), "just now"},
		{now.Add(-time.Minute), "1 minute ago"},
		{now.Add(-3*time.Minute - 50*time.Second), "3 minutes ago"},
		{now.Add(-2 * time.Hour), "2 hours ago"},
		{now.Add(-25 * time.Hour), "1 day ago"},
		{now.Add(-59 * 24 * time.Hour), "59 days ago"},
		{now.Add(-400 * 24 * time.Hour), "3 Feb 2025"},
		{now.Add(7*24*time.Hour - time.Second), "in 7 days"},
		{now.Add(90 * time.Minute), "in 2 hours"},
		{now.Add(20 * time.Second), "in less than a minute"},
	} {
		if got := relativeTime(tt.t, now); got != tt.want {
			t.Errorf("relativeTime(%v) = %q; want %q", now.Sub(tt.t), got, tt.want)
		}
	}
}

func TestHumanBytes(t *testing.T) {
	for n, want := range map[int64]string{0: "0 B", 1023: "1023 B", 1024: "1.0 KiB", 1536: "1.5 KiB",
		50 << 20: "50 MiB", 3 << 30: "3.0 GiB"} {
		if got := humanBytes(n); got != want {
			t.Errorf("humanBytes(%d) = %q; want %q", n, got, want)
		}
	}
}

func TestPager(t *testing.T) {
	q := url.Values{"q": {"a b"}}
	p := newPager("/", q, 2, 50, 120)
	if p.Pages != 3 || p.First != 51 || p.Last != 100 || p.PrevURL != "/?q=a+b" || p.NextURL != "/?page=3&q=a+b" {
		t.Errorf("page 2 of 120: %+v", p)
	}
	p = newPager("/audit", nil, 1, 50, 0)
	if p.Pages != 1 || p.First != 0 || p.PrevURL != "" || p.NextURL != "" {
		t.Errorf("empty: %+v", p)
	}
	p = newPager("/", nil, 9, 50, 60)
	if p.First != 0 || p.PrevURL != "/?page=2" || p.NextURL != "" {
		t.Errorf("past the end: %+v", p)
	}
}

func TestActivityChart(t *testing.T) {
	start := time.Date(2026, 3, 10, 0, 0, 0, 0, time.UTC)
	var points []app.ActivityPoint
	for i := range 24 {
		points = append(points, app.ActivityPoint{Hour: start.Add(time.Duration(i) * time.Hour), Writes: i % 5})
	}
	points[7].Writes = 40
	ch := newActivityChart(points)
	if ch.Max != 40 || len(ch.Bars) != 24 || len(ch.Labels) != 4 {
		t.Fatalf("chart: max %d, %d bars, %d labels", ch.Max, len(ch.Bars), len(ch.Labels))
	}
	tall := ch.Bars[7]
	if tall.Y+tall.H != ch.Baseline || tall.H < ch.Baseline-10 || ch.Bars[0].H != 0 || ch.Bars[1].H < 2 {
		t.Errorf("bars: %+v %+v %+v", tall, ch.Bars[0], ch.Bars[1])
	}
	if !strings.Contains(tall.Title, "10 Mar 07:00 UTC: 40 writes") || !strings.Contains(ch.Bars[1].Title, ": 1 write") {
		t.Errorf("titles %q %q", tall.Title, ch.Bars[1].Title)
	}
	if empty := newActivityChart(nil); empty.Max != 0 || len(empty.Bars) != 0 {
		t.Errorf("empty chart: %+v", empty)
	}
}

func TestGeneratePassword(t *testing.T) {
	re := regexp.MustCompile(`^[a-z2-9]{5}(-[a-z2-9]{5}){3}$`)
	seen := map[string]bool{}
	for range 100 {
		p := generatePassword()
		if !re.MatchString(p) || strings.ContainsAny(p, "01ilo") || app.ValidatePassword(p) != nil {
			t.Fatalf("password %q", p)
		}
		if seen[p] {
			t.Fatalf("repeated password %q", p)
		}
		seen[p] = true
	}
}
