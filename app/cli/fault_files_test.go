package cli

import (
	"database/sql"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// withDBFile opens the SQLite file at path (see openWaitingDB), runs fn and
// closes it again, so that no handle of the test outlives the look.
func withDBFile(t *testing.T, path string, fn func(db *sql.DB) error) error {
	t.Helper()
	db := openWaitingDB(t, path)
	defer db.Close()
	return fn(db)
}

// integrityProblems runs PRAGMA integrity_check on every *.db file under
// dir and returns one line per file that is not "ok", and how many files
// it checked.
func integrityProblems(t *testing.T, dir string) (problems []string, checked int) {
	t.Helper()
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".db") {
			return err
		}
		checked++
		var got []string
		err = withDBFile(t, path, func(db *sql.DB) error {
			rows, err := db.Query("SELECT CAST(integrity_check AS BLOB) FROM pragma_integrity_check")
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var b []byte
				if err := rows.Scan(&b); err != nil {
					return err
				}
				got = append(got, string(b))
			}
			return rows.Err()
		})
		if err != nil || !slices.Equal(got, []string{"ok"}) {
			problems = append(problems, fmt.Sprintf("%s: integrity_check %q, %v", path, got, err))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return problems, checked
}

// wantIntact fails the test unless every *.db file under dir (control.db
// and each tenant's) passes integrity_check; what says when.
func wantIntact(t *testing.T, what, dir string) {
	t.Helper()
	problems, checked := integrityProblems(t, dir)
	if len(problems) > 0 {
		t.Errorf("%s: %d of %d database files fail integrity_check:\n  %s", what, len(problems), checked, strings.Join(problems, "\n  "))
	}
	if checked < 2 {
		t.Errorf("%s: only %d database files under %s", what, checked, dir)
	}
}

// copyFiles copies every file under from whose name ends in one of
// suffixes to the same place under to.
func copyFiles(t *testing.T, from, to string, suffixes ...string) {
	t.Helper()
	err := filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !slices.ContainsFunc(suffixes, func(s string) bool { return strings.HasSuffix(path, s) }) {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if err := os.MkdirAll(filepath.Dir(filepath.Join(to, rel)), 0o700); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(to, rel), b, 0o600)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// faultTenantRecord is a live tenant as control.db records it.
type faultTenantRecord struct {
	name, location  string
	todos, complete int // the control plane's counters
}

// liveTenants returns the active tenants recorded in dir's control.db.
func liveTenants(t *testing.T, dir string) []faultTenantRecord {
	t.Helper()
	var ts []faultTenantRecord
	err := withDBFile(t, filepath.Join(dir, "control.db"), func(db *sql.DB) error {
		rows, err := db.Query(`SELECT CAST(name AS BLOB), CAST(location AS BLOB), todo_count, completed_count
			FROM tenants WHERE status = 'active' ORDER BY name`)
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var name, loc []byte
			var r faultTenantRecord
			if err := rows.Scan(&name, &loc, &r.todos, &r.complete); err != nil {
				return err
			}
			r.name, r.location = string(name), string(loc)
			ts = append(ts, r)
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatalf("reading the tenant records of %s: %v", filepath.Join(dir, "control.db"), err)
	}
	return ts
}

// storedState returns every live tenant's todos as stored in the files
// under dir. The locations in dir's control.db name files under named (the
// data directory the server ran on; dir may be a copy of it).
func storedState(t *testing.T, dir, named string) map[string]storedTodos {
	t.Helper()
	state := map[string]storedTodos{}
	for _, r := range liveTenants(t, dir) {
		rel, err := filepath.Rel(named, r.location)
		if err != nil || strings.HasPrefix(rel, "..") {
			t.Fatalf("%s's location %s is not in %s", r.name, r.location, named)
		}
		todos := storedTodos{}
		err = withDBFile(t, filepath.Join(dir, rel), func(db *sql.DB) error {
			rows, err := db.Query("SELECT CAST(title AS BLOB), completed FROM todos")
			if err != nil {
				return err
			}
			defer rows.Close()
			for rows.Next() {
				var title []byte
				var done int64
				if err := rows.Scan(&title, &done); err != nil {
					return err
				}
				todos[string(title)] = done == 1
			}
			return rows.Err()
		})
		if err != nil {
			t.Fatalf("reading %s's todos from %s: %v", r.name, rel, err)
		}
		state[r.name] = todos
	}
	return state
}

// counterDrift compares the control plane's counters of every live tenant
// in dir with what its database holds and returns one line per tenant
// whose counters are wrong.
func counterDrift(t *testing.T, dir string) []string {
	t.Helper()
	var drift []string
	for _, r := range liveTenants(t, dir) {
		var todos, complete int
		err := withDBFile(t, r.location, func(db *sql.DB) error {
			return db.QueryRow("SELECT count(*), coalesce(sum(completed), 0) FROM todos").Scan(&todos, &complete)
		})
		if err != nil {
			t.Fatalf("counting %s's todos: %v", r.name, err)
		}
		if todos != r.todos || complete != r.complete {
			drift = append(drift, fmt.Sprintf("%s: the control plane counts %d todos (%d completed), the database holds %d (%d completed)",
				r.name, r.todos, r.complete, todos, complete))
		}
	}
	return drift
}
