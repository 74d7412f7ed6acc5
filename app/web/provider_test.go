package web

import (
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"todos/app/internal/sqldtest"
	"todos/app/store"
	"todos/app/store/sqld"
)

// testProviderEnv names the provider the handler tests keep tenant
// databases on: unset or "local" (files in the env's directory), or "sqld"
// (namespaces of a real libSQL server started for the test). scripts/test.sh
// runs the handler tests once more with TODOS_TEST_PROVIDER=sqld.
const testProviderEnv = "TODOS_TEST_PROVIDER"

// onSqld reports whether the tests run on the sqld provider.
func onSqld() bool { return os.Getenv(testProviderEnv) == "sqld" }

// localOnlyTests are the handler tests that reach past the app into the
// tenant's database file (or need what only local files give), with why:
// under the sqld provider they are skipped with that reason when they
// build their env. The rest of the subset scripts/test.sh runs on sqld
// goes through the app only.
var localOnlyTests = map[string]string{
	"TestAdminDashboard":                                        "expects the local provider's region label in each row",
	"TestAdminSessionsAreShorterThanTenantSessions":             "reads the session record from the tenant's database file",
	"TestSavedTodoIsNotReportedAsFailed":                        "installs a failing trigger through the tenant's database file",
	"TestSessionSpillFairAndSignOutHonoured":                    "fills the disk under the local tenant files",
	"TestSignedInReadsWriteNothingShared":                       "watches the tenant's database file for commits",
	"TestSignupCreatesTenantAndSignsIn":                         "counts the database files under DATA/tenants",
	"TestSignupRefusesBadInput":                                 "counts the database files under DATA/tenants",
	"TestTenantSuspendedByAnotherProcessIsRefusedWithinASecond": "its other process opens the tenants with a local provider",
}

// skipIfLocalOnly skips t under the sqld provider when its test is one of
// localOnlyTests, saying why.
func skipIfLocalOnly(t testing.TB) {
	t.Helper()
	if !onSqld() {
		return
	}
	name, _, _ := strings.Cut(t.Name(), "/")
	if why, ok := localOnlyTests[name]; ok {
		t.Skip("local provider only: " + why)
	}
}

// sqldServers holds the libSQL server of each data directory, so that an
// env reopened on an earlier env's directory finds its tenants' namespaces.
var sqldServers sync.Map // dir -> *sqldtest.Server

// newTestProvider returns the provider TODOS_TEST_PROVIDER names, for the
// data directory dir; staged files (imports, exports) stay under
// dir/tenants whatever the provider, as in the product.
func newTestProvider(t testing.TB, dir string) store.Provider {
	t.Helper()
	tenantsDir := filepath.Join(dir, "tenants")
	switch kind := os.Getenv(testProviderEnv); kind {
	case "", "local":
		return store.LocalProvider{Dir: tenantsDir}
	case "sqld":
		var srv *sqldtest.Server
		if s, ok := sqldServers.Load(dir); ok {
			srv = s.(*sqldtest.Server)
		} else {
			srv = sqldtest.Start(t)
			sqldServers.Store(dir, srv)
			t.Cleanup(func() { sqldServers.Delete(dir) })
		}
		p, err := sqld.New(sqld.Config{URL: srv.URL, AdminURL: srv.AdminURL, StagingDir: tenantsDir})
		if err != nil {
			t.Fatal(err)
		}
		return p
	default:
		t.Fatalf("%s=%q: want local or sqld", testProviderEnv, kind)
		return nil
	}
}

// TestSignupStoresTenantOnTheTestProvider: a tenant signed up through the
// site lives where TODOS_TEST_PROVIDER says (a namespace under sqld, a file
// otherwise), so the runs of scripts/test.sh cannot fall back to local
// files unnoticed.
func TestSignupStoresTenantOnTheTestProvider(t *testing.T) {
	env := newTestEnv(t)
	env.browser().signUp("acme", "owner@example.com", "correct horse")
	loc := env.tenant("acme").Location
	if onSqld() {
		if !strings.HasPrefix(loc, "sqld:") {
			t.Errorf("location = %q, want a sqld namespace", loc)
		}
	} else if !strings.HasPrefix(loc, filepath.Join(env.dir, "tenants")+string(filepath.Separator)) || !strings.HasSuffix(loc, ".db") {
		t.Errorf("location = %q, want a file under %s", loc, filepath.Join(env.dir, "tenants"))
	}
}
