package store

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"todos/app"
)

func TestAuditLog(t *testing.T) {
	ctx := context.Background()
	c := openTestControl(t)
	base := time.UnixMilli(1_800_000_000_000).UTC()
	for i := range 25 {
		e := app.AuditEntry{
			At:     base.Add(time.Duration(i) * time.Minute),
			Actor:  []string{"ann@example.com", "bob@example.com", "cli"}[i%3],
			Action: []string{"create", "suspend", "clone", "console-query", "sign-in"}[i%5],
			Tenant: fmt.Sprintf("list-%d", i%4),
			Detail: fmt.Sprintf("detail %d", i),
		}
		if i%7 == 0 {
			e.Outcome, e.Error = app.AuditFailed, "The name is taken."
		}
		if err := c.RecordAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}

	all, total, err := c.ListAudit(ctx, app.AuditFilter{})
	if err != nil || total != 25 || len(all) != 25 {
		t.Fatalf("ListAudit = %d entries of %d, %v", len(all), total, err)
	}
	for i := 1; i < len(all); i++ {
		if !all[i-1].At.After(all[i].At) {
			t.Fatalf("not newest first at %d: %v then %v", i, all[i-1].At, all[i].At)
		}
	}
	newest := all[0]
	if newest.Detail != "detail 24" || newest.Actor != "ann@example.com" || newest.Action != "sign-in" || newest.Tenant != "list-0" ||
		newest.Outcome != app.AuditOK || newest.Error != "" || !newest.At.Equal(base.Add(24*time.Minute)) || newest.ID == 0 {
		t.Errorf("newest entry %+v", newest)
	}
	if failed := all[len(all)-1]; failed.Outcome != app.AuditFailed || failed.Error != "The name is taken." {
		t.Errorf("oldest entry %+v", failed)
	}

	tests := []struct {
		name  string
		f     app.AuditFilter
		total int
		first string // detail of the first entry of the page
		n     int
	}{
		{"actor", app.AuditFilter{Actor: "cli"}, 8, "detail 23", 8},
		{"action", app.AuditFilter{Action: "clone"}, 5, "detail 22", 5},
		{"tenant", app.AuditFilter{Tenant: "list-1"}, 6, "detail 21", 6},
		{"actor and action", app.AuditFilter{Actor: "ann@example.com", Action: "create"}, 2, "detail 15", 2},
		{"no match", app.AuditFilter{Actor: "nobody"}, 0, "", 0},
		{"page", app.AuditFilter{Limit: 10, Offset: 10}, 25, "detail 14", 10},
		{"last page", app.AuditFilter{Limit: 10, Offset: 20}, 25, "detail 4", 5},
		{"past the end", app.AuditFilter{Limit: 10, Offset: 30}, 25, "", 0},
		{"negative offset", app.AuditFilter{Limit: 3, Offset: -5}, 25, "detail 24", 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, total, err := c.ListAudit(ctx, tt.f)
			if err != nil {
				t.Fatal(err)
			}
			if total != tt.total || len(got) != tt.n {
				t.Fatalf("got %d entries of %d, want %d of %d", len(got), total, tt.n, tt.total)
			}
			if tt.n > 0 && got[0].Detail != tt.first {
				t.Errorf("first entry %q, want %q", got[0].Detail, tt.first)
			}
		})
	}
}

func TestAuditDefaultsAndText(t *testing.T) {
	ctx := context.Background()
	c := openTestControl(t)
	before := time.Now().Add(-time.Second)
	// Text that go-libsql would turn into a time if it were read as TEXT.
	if err := c.RecordAudit(ctx, app.AuditEntry{Actor: "cli", Action: "console-query", Tenant: "2024-01-02",
		Detail: "2024-01-02"}); err != nil {
		t.Fatal(err)
	}
	got, _, err := c.ListAudit(ctx, app.AuditFilter{Tenant: "2024-01-02"})
	if err != nil || len(got) != 1 {
		t.Fatalf("ListAudit = %+v, %v", got, err)
	}
	if e := got[0]; e.Detail != "2024-01-02" || e.Tenant != "2024-01-02" || e.Outcome != app.AuditOK || e.At.Before(before) {
		t.Errorf("entry %+v", e)
	}
}

func TestAuditPageSizeLimits(t *testing.T) {
	ctx := context.Background()
	c := openTestControl(t)
	tx, err := c.db.Begin()
	if err != nil {
		t.Fatal(err)
	}
	for i := range 600 {
		if _, err := tx.Exec("INSERT INTO audit (at, actor, action, outcome) VALUES (?, 'cli', 'create', 'ok')", i); err != nil {
			t.Fatal(err)
		}
	}
	if err := tx.Commit(); err != nil {
		t.Fatal(err)
	}
	for limit, want := range map[int]int{0: 50, -1: 50, 10: 10, 500: 500, 10_000: 500} {
		got, total, err := c.ListAudit(ctx, app.AuditFilter{Limit: limit})
		if err != nil || len(got) != want || total != 600 {
			t.Errorf("Limit %d: %d entries of %d, %v; want %d", limit, len(got), total, err, want)
		}
	}
}

// Text a stranger typed (an email at a failed sign-in) may be invalid
// UTF-8 or huge: the entry is still recorded, cleaned and cut.
func TestAuditKeepsInvalidAndHugeText(t *testing.T) {
	ctx := context.Background()
	c := openTestControl(t)
	huge := strings.Repeat("é", 5000)
	if err := c.RecordAudit(ctx, app.AuditEntry{Actor: "a\xffb@example.com", Action: "login", Tenant: "acme",
		Detail: huge, Outcome: app.AuditFailed}); err != nil {
		t.Fatalf("RecordAudit with invalid UTF-8: %v", err)
	}
	got, _, err := c.ListAudit(ctx, app.AuditFilter{Tenant: "acme"})
	if err != nil || len(got) != 1 {
		t.Fatalf("ListAudit = %+v, %v", got, err)
	}
	if e := got[0]; e.Actor != "a\uFFFDb@example.com" || len(e.Detail) > auditMaxText+len("…") || !utf8.ValidString(e.Detail) {
		t.Errorf("entry actor %q, detail of %d bytes (valid %v)", e.Actor, len(e.Detail), utf8.ValidString(e.Detail))
	}
}
