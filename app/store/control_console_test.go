package store

import (
	"context"
	"fmt"
	"testing"
	"time"

	"todos/app"
)

func TestConsoleHistory(t *testing.T) {
	ctx := context.Background()
	c := openTestControl(t)
	at := time.UnixMilli(1_800_000_000_000).UTC()
	entries := []app.ConsoleEntry{
		{At: at, TenantID: "t_a", Admin: "ann@example.com", SQL: "SELECT * FROM todos", Rows: 3},
		{At: at.Add(time.Second), TenantID: "t_b", Admin: "bob@example.com", SQL: "SELECT 1", Rows: 1},
		{At: at.Add(2 * time.Second), TenantID: "t_a", Admin: "ann@example.com", SQL: "DELETE FROM todos WHERE id = 1",
			Write: true, Rows: 1},
		{TenantID: "t_a", Admin: "ann@example.com", SQL: "SELECT '2024-01-02'", Error: "no such table: nope"},
	}
	for _, e := range entries {
		if err := c.RecordConsole(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	got, err := c.ListConsole(ctx, "t_a", 0)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 3 {
		t.Fatalf("t_a history has %d entries, want 3", len(got))
	}
	if got[0].SQL != "SELECT '2024-01-02'" || got[0].Error != "no such table: nope" || got[0].At.IsZero() {
		t.Errorf("newest entry %+v", got[0])
	}
	want := entries[2]
	want.ID = got[1].ID
	if got[1] != want {
		t.Errorf("entry = %+v, want %+v", got[1], want)
	}
	if got[2].SQL != "SELECT * FROM todos" || got[2].Write || got[2].Rows != 3 {
		t.Errorf("oldest entry %+v", got[2])
	}
	if got, _ := c.ListConsole(ctx, "t_a", 2); len(got) != 2 || got[0].SQL != "SELECT '2024-01-02'" {
		t.Errorf("limit 2: %+v", got)
	}
	if got, _ := c.ListConsole(ctx, "t_b", 10); len(got) != 1 || got[0].Admin != "bob@example.com" {
		t.Errorf("t_b history %+v", got)
	}
	if got, err := c.ListConsole(ctx, "t_none", 10); err != nil || len(got) != 0 {
		t.Errorf("empty history = %+v, %v", got, err)
	}
}

func TestConsoleHistoryKeepsTheNewest(t *testing.T) {
	ctx := context.Background()
	c := openTestControl(t)
	for i := range consoleHistoryKept + 5 {
		if err := c.RecordConsole(ctx, app.ConsoleEntry{TenantID: "t_a", Admin: "a@example.com",
			SQL: fmt.Sprintf("SELECT %d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	if err := c.RecordConsole(ctx, app.ConsoleEntry{TenantID: "t_b", Admin: "a@example.com", SQL: "SELECT 1"}); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := c.db.QueryRow("SELECT count(*) FROM console_history WHERE tenant_id = 't_a'").Scan(&n); err != nil {
		t.Fatal(err)
	}
	if n != consoleHistoryKept {
		t.Errorf("%d entries kept, want %d", n, consoleHistoryKept)
	}
	got, _ := c.ListConsole(ctx, "t_a", 1000)
	if len(got) != 500 || got[0].SQL != fmt.Sprintf("SELECT %d", consoleHistoryKept+4) || got[499].SQL != "SELECT 5" {
		t.Errorf("kept %d entries, from %q to %q", len(got), got[0].SQL, got[len(got)-1].SQL)
	}
	if got, _ := c.ListConsole(ctx, "t_b", 10); len(got) != 1 {
		t.Errorf("other tenant's history: %d entries", len(got))
	}
}
