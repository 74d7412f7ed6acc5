package web

import (
	"bytes"
	"context"
	"net/http"
	"net/url"
	"testing"
)

// lookAlike is shown by browsers as "аррӏе", in Cyrillic.
const lookAlike = "xn--80ak6aa92e"

func TestLookAlikeNamesAreRefusedOnEveryPath(t *testing.T) {
	env, admin := adminEnv(t)
	env.createTenant("acme")
	var file bytes.Buffer
	if _, err := env.tenants.ExportTenant(context.Background(), "acme", &file); err != nil {
		t.Fatal(err)
	}

	r := env.browser().post("http://localhost:8080/signup", url.Values{
		"name": {lookAlike}, "email": {"o@example.com"}, "password": {"correct horse"}, "region": {"local"}})
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("sign-up: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "punycode")

	r = env.browser().get("http://localhost:8080/find?name=" + lookAlike)
	if r.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("find: %d", r.StatusCode)
	}
	mustContain(t, r.Body, "punycode")

	r = admin.post(adminURL+"/tenants", url.Values{"name": {lookAlike}, "region": {"local"}, "email": {"boss@example.com"}})
	mustContain(t, admin.follow(r), "punycode")

	r = admin.post(adminURL+"/tenants/acme/clone", url.Values{"name": {lookAlike}})
	mustContain(t, admin.follow(r), "punycode")

	r = admin.upload(adminURL+"/tenants/import", map[string]string{"name": lookAlike, "region": "local"}, "acme.db", file.Bytes())
	mustContain(t, admin.follow(r), "punycode")

	if n := env.tenantCount(); n != 1 {
		t.Errorf("%d tenants; want only acme", n)
	}
}

func TestHostsThatNameNoTenantAreNeverLookedUp(t *testing.T) {
	env := newTestEnv(t)
	before := env.tenants.CacheStats()
	for _, host := range []string{lookAlike + ".localhost:8080", "XN--PPLE-43D.localhost:8080", "ab--cd.localhost",
		"api.localhost:8080", "wpad.localhost", "a_b.localhost"} {
		r := env.browser().get("http://" + host + "/")
		if r.StatusCode != http.StatusNotFound {
			t.Errorf("%s: %d", host, r.StatusCode)
		}
		mustContain(t, r.Body, "no TODO list at this address")
	}
	if after := env.tenants.CacheStats(); after != before {
		t.Errorf("tenant lookups: %+v, then %+v", before, after)
	}
}
