package web

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"todos/app"
)

// suspendValues is the admin's suspend form for "mine".
func suspendValues(reason, confirm string) url.Values {
	return url.Values{"reason": {reason}, "confirm": {confirm}}
}

// TestAdminSuspendAsksForReason: the admin app refuses a suspension without
// a reason, with one too long or without the name typed, beside the form
// and keeping what was typed; nothing is suspended and each refusal is
// audited.
func TestAdminSuspendAsksForReason(t *testing.T) {
	env, admin := adminEnv(t)
	env.createTenant("mine")
	page := admin.get(adminURL + "/tenants/mine").Body
	mustContain(t, page, `id="admin-suspend"`, `name="reason"`, `id="suspend-confirm"`)

	long := strings.Repeat("x", app.SuspendReasonMaxLength+1)
	for _, tc := range []struct {
		name, reason, confirm, message, kept, invalid string
	}{
		{"no reason", "", "mine", "give a reason", `value=""`, `id="suspend-reason" name="reason"`},
		{"blank reason", " \t ", "mine", "give a reason", `value=""`, `id="suspend-reason" name="reason"`},
		{"too long", long, "mine", "201 characters long: keep it to 200", `value="` + long + `"`, `id="suspend-reason" name="reason"`},
		{"name not typed", "Unpaid <script>alert(1)</script>", "other", "type the tenant&#39;s name, mine, to confirm",
			`value="Unpaid &lt;script&gt;alert(1)&lt;/script&gt;"`, `id="suspend-confirm" name="confirm"`},
	} {
		r := admin.post(adminURL+"/tenants/mine/suspend", suspendValues(tc.reason, tc.confirm))
		if r.StatusCode != http.StatusSeeOther || r.Header.Get("Location") != "/tenants/mine" {
			t.Fatalf("%s: %d %q", tc.name, r.StatusCode, r.Header.Get("Location"))
		}
		body := admin.follow(r)
		mustContain(t, body, `<p class="alert" role="alert" id="suspend-error">`, tc.message, tc.kept)
		// The error is tied to the field it is about, which has the focus.
		at := strings.Index(body, tc.invalid)
		if at < 0 || !strings.Contains(body[at:at+400], `aria-invalid="true" aria-describedby="suspend-error"`) ||
			!strings.Contains(body[at:at+400], "autofocus") {
			t.Errorf("%s: %s is not marked invalid and focused", tc.name, tc.invalid)
		}
		mustNotContain(t, body, "<script>alert(1)")
		if got := env.tenant("mine"); got.Status != app.TenantActive {
			t.Fatalf("%s: suspended anyway: %+v", tc.name, got)
		}
		env.wantAudit("suspend", "mine", app.AuditFailed)
	}
	// The next visit shows the form fresh.
	mustNotContain(t, admin.get(adminURL+"/tenants/mine").Body, `id="suspend-error"`)
}

// TestAdminSuspendReasonShownToUsers: the reason reaches the list's users
// on the suspended page, escaped, from the record their request already
// reads; the admin sees it on the tenant page and in the audit log; resume
// clears it.
func TestAdminSuspendReasonShownToUsers(t *testing.T) {
	env, admin := adminEnv(t)
	user := env.browser()
	user.signUp("mine", accountEmail, accountPassword)
	if r := user.get(accountHost + "/"); r.StatusCode != http.StatusOK {
		t.Fatalf("list before: %d", r.StatusCode)
	}

	reason := `Unpaid invoice <script>alert("x")</script> & more`
	escaped := `Unpaid invoice &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; more`
	r := admin.post(adminURL+"/tenants/mine/suspend", suspendValues("  "+reason+"\n", " mine "))
	body := admin.follow(r)
	mustContain(t, body, "Suspended mine. Its users see the reason", escaped, `data-testid="suspend-reason"`, `id="admin-resume"`)
	mustNotContain(t, body, "<script>alert")
	if got := env.tenant("mine"); got.Status != app.TenantSuspended || got.SuspendReason != reason {
		t.Fatalf("tenant = %+v", got)
	}
	if e := env.wantAudit("suspend", "mine", app.AuditOK); e.Detail != reason {
		t.Errorf("audit detail = %q, want the reason", e.Detail)
	}
	mustContain(t, admin.get(adminURL+"/audit?action=suspend").Body, escaped)
	mustContain(t, admin.get(adminURL+"/").Body, `<span class="truncate reason" title="`+escaped+`">`+escaped+`</span>`)

	// The user's request reads the tenant record and writes nothing.
	before, err := env.control.TenantsVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{"/", "/login"} {
		page := user.get(accountHost + path)
		if page.StatusCode != http.StatusForbidden {
			t.Fatalf("%s while suspended: %d", path, page.StatusCode)
		}
		mustContain(t, page.Body, "This list is suspended", "Its data is safe", "Reason:", escaped)
		mustNotContain(t, page.Body, "<script>alert")
	}
	frag := user.get(accountHost+"/", "HX-Request", "true")
	mustContain(t, frag.Body, "Reason: "+escaped)
	if after, _ := env.control.TenantsVersion(context.Background()); after != before {
		t.Errorf("a suspended list's page changed the control plane: %s → %s", before, after)
	}

	body = admin.follow(admin.post(adminURL+"/tenants/mine/resume", nil))
	mustContain(t, body, "Resumed mine.", `id="admin-suspend"`)
	mustNotContain(t, body, `data-testid="suspend-reason"`)
	if got := env.tenant("mine"); got.Status != app.TenantActive || got.SuspendReason != "" {
		t.Fatalf("resumed tenant = %+v", got)
	}
	page := user.get(accountHost + "/")
	if page.StatusCode != http.StatusOK {
		t.Fatalf("list after resume: %d", page.StatusCode)
	}
	mustNotContain(t, page.Body, "Unpaid invoice")
}
