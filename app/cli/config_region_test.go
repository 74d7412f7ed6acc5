package cli

import (
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"todos/app"
	"todos/app/internal/sqldtest"
)

func TestRegionConfig(t *testing.T) {
	two := []app.Region{{Code: "ams", Name: "Amsterdam"}, {Code: "iad", Name: "Virginia"}}
	for _, tc := range []struct {
		name    string
		args    []string
		vars    map[string]string
		here    string
		offered []app.Region
		routing string
		err     string
	}{
		{name: "defaults: one region, no routing"},
		{name: "flags", args: []string{"--regions", "ams=Amsterdam, iad = Virginia", "--region", "iad"},
			here: "iad", offered: two, routing: "iad"},
		{name: "env", vars: map[string]string{"TODOS_REGIONS": "ams=Amsterdam,iad=Virginia", "TODOS_REGION": "ams"},
			here: "ams", offered: two, routing: "ams"},
		{name: "FLY_REGION when TODOS_REGION is unset", vars: map[string]string{"TODOS_REGIONS": "ams=Amsterdam,iad=Virginia", "FLY_REGION": "iad"},
			here: "iad", offered: two, routing: "iad"},
		{name: "TODOS_REGION wins over FLY_REGION", vars: map[string]string{"TODOS_REGIONS": "ams=Amsterdam,iad=Virginia", "TODOS_REGION": "ams", "FLY_REGION": "iad"},
			here: "ams", offered: two, routing: "ams"},
		{name: "the flag wins over the env", args: []string{"--region", "ams"}, vars: map[string]string{"TODOS_REGIONS": "ams=Amsterdam,iad=Virginia", "FLY_REGION": "iad"},
			here: "ams", offered: two, routing: "ams"},
		{name: "a region without --regions routes nothing", vars: map[string]string{"FLY_REGION": "ams"}, here: "ams"},
		{name: "labels may hold spaces", args: []string{"--regions", "fra=Frankfurt am Main"},
			offered: []app.Region{{Code: "fra", Name: "Frankfurt am Main"}}},
		{name: "not offered", args: []string{"--regions", "ams=Amsterdam", "--region", "iad"}, err: "--region iad is not one of --regions (ams=Amsterdam)"},
		{name: "FLY_REGION not offered", vars: map[string]string{"TODOS_REGIONS": "ams=Amsterdam", "FLY_REGION": "syd"}, err: "--region syd is not one of --regions"},
		{name: "bad --region", args: []string{"--region", "Ams!"}, err: "invalid --region"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg, err := parseServe(t, tc.args, tc.vars)
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("err = %v; want %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			rc := cfg.Regions
			if rc.Here != tc.here || rc.Routing() != tc.routing || len(rc.Offered) != len(tc.offered) {
				t.Fatalf("got %+v routing %q", rc, rc.Routing())
			}
			for i := range tc.offered {
				if rc.Offered[i] != tc.offered[i] {
					t.Errorf("region %d = %+v; want %+v", i, rc.Offered[i], tc.offered[i])
				}
			}
		})
	}
}

func TestRegionListRefused(t *testing.T) {
	for in, want := range map[string]string{
		"ams":                    "want name=Label",
		"ams=":                   `region "ams" has an empty label`,
		"=Amsterdam":             `invalid region name ""`,
		"AMS=Amsterdam":          `invalid region name "AMS"`,
		"am s=Amsterdam":         `invalid region name "am s"`,
		"-ams=Amsterdam":         `invalid region name "-ams"`,
		"ams=Amsterdam,ams=Also": `region "ams" is listed twice`,
		"ams=Amsterdam,":         `want name=Label`,
		"ams=Am\x00sterdam":      "printable",
	} {
		var l regionList
		if err := l.Set(in); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("--regions %q: %v; want %q", in, err, want)
		}
	}
	// A bad list is a usage error of every command that opens the storage.
	code, _, errs := run(t, []string{"tenants", "list"}, "", map[string]string{"TODOS_DATA": t.TempDir(), "TODOS_REGIONS": "ams"})
	if code != 2 || !strings.Contains(errs, "TODOS_REGIONS") || !strings.Contains(errs, "want name=Label") {
		t.Errorf("tenants list with a bad TODOS_REGIONS: %d %q", code, errs)
	}
}

// TestRegionsOnOneSqldServer: with sqld, every offered region maps to the
// one server; each tenant keeps its region in the control plane, and two
// serves in different regions over one data directory replay each other's
// tenants to their home.
func TestRegionsOnOneSqldServer(t *testing.T) {
	srv := sqldtest.Start(t)
	dir := t.TempDir()
	regions := "ams=Amsterdam,iad=Virginia"
	vars := map[string]string{
		"TODOS_DATA": dir, "TODOS_PROVIDER": "sqld", "TODOS_SQLD_URL": srv.URL, "TODOS_SQLD_ADMIN_URL": srv.AdminURL,
		"TODOS_REGIONS": regions,
	}
	for _, tn := range []struct{ name, region string }{{"dutch", "ams"}, {"yankee", "iad"}} {
		code, out, errs := run(t, []string{"tenants", "create", tn.name, "--email", "o@example.com", "--region", tn.region}, "a long enough password\n", vars)
		if code != 0 || !strings.Contains(out, "in region "+tn.region) {
			t.Fatalf("tenants create %s: %d\n%s%s", tn.name, code, out, errs)
		}
	}
	// A clone stays in its source's region, through the server's own
	// snapshot (sqld refuses VACUUM INTO): the region mapping keeps it.
	code, out, errs := run(t, []string{"tenants", "clone", "dutch", "dutchcopy"}, "", vars)
	if code != 0 {
		t.Fatalf("tenants clone: %d\n%s%s", code, out, errs)
	}
	if _, out, _ = run(t, []string{"tenants", "list"}, "", vars); !regexp.MustCompile(`(?m)^dutchcopy +ams `).MatchString(out) {
		t.Errorf("the clone's region:\n%s", out)
	}
	if ns := namespacesOf(t, srv.Dir); len(ns) != 3 {
		t.Fatalf("namespaces on the one server: %q", ns)
	}
	code, _, errs = run(t, []string{"tenants", "create", "nowhere", "--email", "o@example.com", "--region", "syd"}, "a long enough password\n", vars)
	if code == 0 || !strings.Contains(errs, "ams, iad") {
		t.Errorf("a region not offered: %d %q", code, errs)
	}

	common := []string{"--provider", "sqld", "--sqld-url", srv.URL, "--sqld-admin-url", srv.AdminURL, "--regions", regions}
	ams := startServe(t, dir, append(common, "--region", "ams")...)
	t.Cleanup(func() { ams.stop(t) })
	iad := startServe(t, dir, append(common, "--region", "iad")...)
	t.Cleanup(func() { iad.stop(t) })
	get := func(port, host string, hdrs ...string) (*http.Response, string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, "http://127.0.0.1:"+port+"/login", nil)
		req.Host = host + ":" + port
		for i := 0; i+1 < len(hdrs); i += 2 {
			req.Header.Set(hdrs[i], hdrs[i+1])
		}
		resp, err := http.DefaultTransport.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp, string(body)
	}
	for _, c := range []struct{ port, tenant, home string }{{ams.port, "yankee", "iad"}, {iad.port, "dutch", "ams"}} {
		resp, body := get(c.port, c.tenant+".localhost")
		if resp.StatusCode != http.StatusConflict || resp.Header.Get("Fly-Replay") != "region="+c.home || body != "" {
			t.Errorf("%s in the wrong region: %d %q %q", c.tenant, resp.StatusCode, resp.Header.Get("Fly-Replay"), body)
		}
		resp, _ = get(c.port, c.tenant+".localhost", "Fly-Replay-Src", "region=x;t=1")
		if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Fly-Replay") != "" {
			t.Errorf("%s replayed into the wrong region: %d %q", c.tenant, resp.StatusCode, resp.Header.Get("Fly-Replay"))
		}
	}
	for _, c := range []struct{ port, tenant string }{{ams.port, "dutch"}, {iad.port, "yankee"}} {
		if resp, _ := get(c.port, c.tenant+".localhost"); resp.StatusCode != http.StatusOK {
			t.Errorf("%s in its region: %d", c.tenant, resp.StatusCode)
		}
	}
}
