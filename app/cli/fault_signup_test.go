package cli

import (
	"database/sql"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// signupAttempt is one sign-up sent to the server and its answer.
type signupAttempt struct {
	name, password string
	answer         faultAnswer
}

// TestFaultKillDuringSignUps kills the real binary with SIGKILL while
// parallel sign-ups run through the bare domain's form (one cycle; three
// with TODOS_FAULT_LONG=1), at a moment when a creation is half made, and
// starts it again. Every sign-up that was answered with success works (its
// hand-off link lands, or its owner signs in); no name is left blocked: a
// name whose sign-up was cut off can be signed up again once its creation
// counts as abandoned (or, if the creation had finished, its owner signs
// in); no half-made record or orphaned database file is left; and every
// database file passes integrity_check.
//
// A creation counts as abandoned a minute after its creator died, and the
// server has no setting to shorten that minute: the short variant ages the
// half-made records in control.db by two minutes, as the clock would; the
// long one waits for the real minute.
func TestFaultKillDuringSignUps(t *testing.T) {
	bin := faultBinary(t)
	cycles, workers, before := faultSize(1, 3), faultSize(8, 12), faultSize(6, 16)
	dir := filepath.Join(t.TempDir(), "data")
	srv := startFaultServer(t, bin, dir, "--signup-per-hour", "0")
	for cycle := range cycles {
		attempts := signUpUntilKilled(t, srv, dir, cycle, workers, before)
		var succeeded, cut []signupAttempt
		for _, a := range attempts {
			switch {
			case a.answer.err != nil:
				cut = append(cut, a)
			case a.answer.status == http.StatusSeeOther && strings.Contains(a.answer.location, "/auth/handoff?token="):
				succeeded = append(succeeded, a)
			default:
				t.Errorf("sign-up of %s before the kill answered %s", a.name, a.answer)
			}
		}

		// The restarted server finds the files as the kill left them (a
		// look at them before would checkpoint them).
		srv = srv.restart(bin, dir, "--signup-per-hour", "0")
		t.Logf("cycle %d: %d sign-ups succeeded, %d were cut off by the kill; %d half-made creations left",
			cycle+1, len(succeeded), len(cut), countTenants(t, dir, "status = 'creating'"))
		for _, a := range succeeded {
			if err := landsOrSignsIn(t, srv.port, a); err != nil {
				t.Errorf("sign-up of %s was answered with success before the kill, but after the restart %v", a.name, err)
			}
		}
		if !faultLong() {
			// What the clock does in a minute: the creators died with the
			// process, so their leases are not renewed.
			ageCreations(t, dir, 2*time.Minute)
		}
		deadline := time.Now().Add(faultSize(30*time.Second, 3*time.Minute))
		for _, a := range cut {
			if err := signUpAgain(t, srv.port, a, deadline); err != nil {
				t.Errorf("the name %s, whose sign-up the kill cut off, is blocked: %v", a.name, err)
			}
		}
	}
	if n := countTenants(t, dir, "status = 'creating'"); n != 0 {
		t.Errorf("%d half-made creations are left after every cut-off name was signed up again", n)
	}
	if err := srv.term(); err != nil {
		t.Errorf("SIGTERM after the sign-ups: exit %v; log:\n%s", err, srv.logTail(20))
	}
	wantIntact(t, "after the kills during sign-ups", dir)
	if orphans := orphanedDatabases(t, dir); len(orphans) > 0 {
		t.Errorf("tenant database files that no tenant record names (left by killed creations): %q", orphans)
	}
}

// signUpUntilKilled runs workers that sign up new names on srv until at
// least successes have succeeded and a creation is under way, then kills
// the server with SIGKILL and returns every sign-up that was sent.
func signUpUntilKilled(t *testing.T, srv *faultServer, dir string, cycle, workers, successes int) []signupAttempt {
	t.Helper()
	var (
		mu       sync.Mutex
		attempts []signupAttempt
		ok       atomic.Int64
		wg       sync.WaitGroup
		done     = make(chan struct{})
	)
	for w := range workers {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				name, password := fmt.Sprintf("c%dw%dn%d", cycle, w, i), fmt.Sprintf("password-c%dw%dn%d", cycle, w, i)
				a, sent := signUp(srv.port, name, password)
				if sent {
					mu.Lock()
					attempts = append(attempts, signupAttempt{name: name, password: password, answer: a})
					mu.Unlock()
				}
				if a.err == nil && a.status == http.StatusSeeOther {
					ok.Add(1)
				} else if a.err != nil {
					time.Sleep(20 * time.Millisecond)
				}
			}
		})
	}
	for deadline := time.Now().Add(2 * time.Minute); ok.Load() < int64(successes); time.Sleep(10 * time.Millisecond) {
		if time.Now().After(deadline) {
			t.Fatalf("only %d sign-ups succeeded in two minutes; log:\n%s", ok.Load(), srv.logTail(20))
		}
	}
	// Kill while a creation holds its name half-made, if one is seen
	// within a few seconds.
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); {
		if countTenants(t, dir, "status = 'creating'") > 0 {
			break
		}
		time.Sleep(time.Millisecond)
	}
	srv.kill9()
	close(done)
	wg.Wait()
	return attempts
}

// countTenants counts the tenant records in dir's control.db that match
// where.
func countTenants(t *testing.T, dir, where string) int {
	t.Helper()
	var n int
	err := withDBFile(t, filepath.Join(dir, "control.db"), func(db *sql.DB) error {
		return db.QueryRow("SELECT count(*) FROM tenants WHERE " + where).Scan(&n)
	})
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// ageCreations moves the leases of every half-made creation in dir back by
// age, as time passing without their (dead) creators renewing them would.
func ageCreations(t *testing.T, dir string, age time.Duration) {
	t.Helper()
	err := withDBFile(t, filepath.Join(dir, "control.db"), func(db *sql.DB) error {
		_, err := db.Exec("UPDATE tenants SET last_active_at = last_active_at - ? WHERE status = 'creating'", age.Milliseconds())
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
}

// landsOrSignsIn checks that a sign-up answered with success works after
// the restart: its hand-off link signs the owner in, or (the link may have
// expired) the owner signs in with the password.
func landsOrSignsIn(t *testing.T, port string, a signupAttempt) error {
	_, herr := followHandoff(t, port, a.name, a.password, a.answer.location)
	if herr == nil {
		return nil
	}
	if _, err := signIn(t, port, a.name, a.password); err != nil {
		return fmt.Errorf("the hand-off did not land (%v) and the owner cannot sign in (%v)", herr, err)
	}
	return nil
}

// signUpAgain signs up the name of a sign-up that was cut off, with a new
// password, until it succeeds (the abandoned creation is taken over) or
// deadline passes. An answer that the name is taken is right only if the
// cut-off creation had finished: then its owner signs in with the first
// password.
func signUpAgain(t *testing.T, port string, cut signupAttempt, deadline time.Time) error {
	again := signupAttempt{name: cut.name, password: cut.password + "-again"}
	for {
		a, _ := signUp(port, cut.name, again.password)
		switch {
		case a.err == nil && a.status == http.StatusSeeOther:
			again.answer = a
			if err := landsOrSignsIn(t, port, again); err != nil {
				return fmt.Errorf("signed up again, but %v", err)
			}
			return nil
		case a.err == nil && a.status == http.StatusConflict:
			if _, err := signIn(t, port, cut.name, cut.password); err == nil {
				return nil // the cut-off creation had finished
			}
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("sign-up answers %s, and the owner of the cut-off sign-up cannot sign in", a)
		}
		time.Sleep(2 * time.Second)
	}
}

// orphanedDatabases returns the tenant database files in dir that no
// tenant record of its control.db names.
func orphanedDatabases(t *testing.T, dir string) []string {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "tenants", "*.db"))
	if err != nil {
		t.Fatal(err)
	}
	var named []string
	err = withDBFile(t, filepath.Join(dir, "control.db"), func(db *sql.DB) error {
		rows, err := db.Query("SELECT CAST(location AS BLOB) FROM tenants")
		if err != nil {
			return err
		}
		defer rows.Close()
		for rows.Next() {
			var loc []byte
			if err := rows.Scan(&loc); err != nil {
				return err
			}
			named = append(named, string(loc))
		}
		return rows.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	var orphans []string
	for _, f := range files {
		if !slices.Contains(named, f) {
			if _, err := os.Stat(f); err == nil {
				orphans = append(orphans, filepath.Base(f))
			}
		}
	}
	return orphans
}
