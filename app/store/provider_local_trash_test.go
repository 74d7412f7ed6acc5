package store

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"todos/app"
)

func TestLocalProviderTrash(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	p := LocalProvider{Dir: filepath.Join(root, "tenants")}
	loc, err := p.Create(ctx, "t_abc", "local")
	if err != nil {
		t.Fatal(err)
	}
	// Companions are faked on a database never opened (see TestLocalProvider).
	if err := os.WriteFile(loc+"-wal", []byte("wal"), 0o600); err != nil {
		t.Fatal(err)
	}
	if size, err := p.Size(ctx, loc); err != nil || size != 3 {
		t.Errorf("Size = %d, %v; want 3 (empty file + 3-byte wal)", size, err)
	}
	// A -wal makes Trash wait up to closeWait for a closing handle; a
	// -journal does not.
	if err := os.Rename(loc+"-wal", loc+"-journal"); err != nil {
		t.Fatal(err)
	}
	trash, err := p.Trash(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(root, "trash", "t_abc.db"); trash != want {
		t.Errorf("trash location %q, want %q", trash, want)
	}
	if files := dirFiles(t, p.Dir); len(files) != 0 {
		t.Errorf("left in service: %q", files)
	}
	if files := dirFiles(t, filepath.Join(root, "trash")); strings.Join(files, " ") != "t_abc.db t_abc.db-journal" {
		t.Errorf("trash holds %q", files)
	}
	if size, err := p.Size(ctx, trash); err != nil || size != 0 {
		t.Errorf("Size in the trash = %d, %v", size, err)
	}
	if again, err := p.Trash(ctx, loc); err != nil || again != trash {
		t.Errorf("Trash again = %q, %v", again, err)
	}
	_, err = p.Open(ctx, trash) // databases in the trash are never opened
	wantCode(t, err, app.EINVALID)
	back, err := p.Untrash(ctx, trash)
	if err != nil || back != loc {
		t.Fatalf("Untrash = %q, %v", back, err)
	}
	if files := dirFiles(t, p.Dir); strings.Join(files, " ") != "t_abc.db t_abc.db-journal" {
		t.Errorf("back in service: %q", files)
	}
	if again, err := p.Untrash(ctx, trash); err != nil || again != loc {
		t.Errorf("Untrash again = %q, %v", again, err)
	}
	// A database in both places is never overwritten.
	if _, err := p.Trash(ctx, loc); err != nil {
		t.Fatal(err)
	}
	if _, err := p.Create(ctx, "t_abc", "local"); err != nil {
		t.Fatal(err)
	}
	_, err = p.Untrash(ctx, trash)
	wantCode(t, err, app.ECONFLICT)
	for _, l := range []string{trash, loc} {
		if err := p.Remove(ctx, l); err != nil {
			t.Fatal(err)
		}
	}
	if files := dirFiles(t, filepath.Join(root, "trash")); len(files) != 0 {
		t.Errorf("trash after Remove: %q", files)
	}
	_, err = p.Untrash(ctx, trash)
	wantCode(t, err, app.ENOTFOUND)
	_, err = p.Size(ctx, trash)
	wantCode(t, err, app.ENOTFOUND)
	for _, bad := range []string{"relative.db", filepath.Join(root, "x.db"), filepath.Join(root, "trash", "x.txt")} {
		if _, err := p.Trash(ctx, bad); err == nil {
			t.Errorf("Trash(%q) succeeded", bad)
		}
		if _, err := p.Size(ctx, bad); err == nil {
			t.Errorf("Size(%q) succeeded", bad)
		}
	}
}

func TestLocalProviderTrashDir(t *testing.T) {
	ctx := context.Background()
	root := t.TempDir()
	p := LocalProvider{Dir: filepath.Join(root, "tenants"), TrashDir: filepath.Join(root, "bin")}
	loc, err := p.Create(ctx, "t_abc", "local")
	if err != nil {
		t.Fatal(err)
	}
	trash, err := p.Trash(ctx, loc)
	if err != nil || trash != filepath.Join(root, "bin", "t_abc.db") {
		t.Errorf("Trash = %q, %v", trash, err)
	}
}

func TestLocalProviderStageAndAdopt(t *testing.T) {
	ctx := context.Background()
	p := LocalProvider{Dir: filepath.Join(t.TempDir(), "tenants")}
	staged, err := p.Stage(ctx)
	if err != nil {
		t.Fatal(err)
	}
	base := filepath.Base(staged)
	if filepath.Dir(staged) != p.Dir || !strings.HasPrefix(base, "staging-") || !strings.HasSuffix(base, ".tmp") {
		t.Errorf("staged path %q", staged)
	}
	if fi, err := os.Stat(staged); err != nil || fi.Size() != 0 {
		t.Fatalf("staged file: %v", err)
	}
	if other, _ := p.Stage(ctx); other == staged {
		t.Error("Stage returned the same path twice")
	} else if err := p.Remove(ctx, other); err != nil {
		t.Errorf("Remove of a staged file: %v", err)
	}
	if err := os.WriteFile(staged, []byte("prepared"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, err = p.Adopt(ctx, "t_abc", "mars", staged)
	wantCode(t, err, app.EINVALID)
	if _, err := p.Adopt(ctx, "../evil", "local", staged); err == nil {
		t.Error("Adopt with a bad id succeeded")
	}
	if _, err := p.Adopt(ctx, "t_abc", "local", filepath.Join(p.Dir, "t_other.db")); err == nil {
		t.Error("Adopt of a file that was not staged succeeded")
	}
	loc, err := p.Adopt(ctx, "t_abc", "local", staged)
	if err != nil || loc != filepath.Join(p.Dir, "t_abc.db") {
		t.Fatalf("Adopt = %q, %v", loc, err)
	}
	if b, _ := os.ReadFile(loc); string(b) != "prepared" {
		t.Errorf("adopted file holds %q", b)
	}
	if files := dirFiles(t, p.Dir); len(files) != 1 {
		t.Errorf("files after Adopt: %q", files)
	}
	second, _ := p.Stage(ctx)
	_, err = p.Adopt(ctx, "t_abc", "local", second) // never replaces a database
	wantCode(t, err, app.ECONFLICT)
	if b, _ := os.ReadFile(loc); string(b) != "prepared" {
		t.Errorf("database replaced by %q", b)
	}
}
