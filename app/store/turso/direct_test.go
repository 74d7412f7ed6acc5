package turso

import (
	"encoding/base64"
	"encoding/json"
	"strings"
	"testing"

	"todos/app"
)

// TestDirectAccess checks the SQL console's access to a database: a
// read-only token (authorization=read-only) without write, a full-access
// one with it, each cached like Open's; the trash refuses.
func TestDirectAccess(t *testing.T) {
	f := startFake(t)
	p := newTestProvider(t, f, Config{})
	loc := mustCreate(t, p, "t_acme")
	access := func(tok string) string {
		raw, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
		var c struct {
			A string `json:"a"`
		}
		_ = json.Unmarshal(raw, &c)
		return c.A
	}
	issued := f.TokensIssued()
	ro, err := p.DirectAccess(ctx, loc, false)
	if err != nil {
		t.Fatal(err)
	}
	if !ro.ReadOnly || access(ro.AuthToken) != "ro" || !f.Valid(ro.AuthToken, "t-acme") || !strings.Contains(ro.URL, "t-acme.localhost:") {
		t.Errorf("read-only access %v (read-only %v, claim a=%q)", ro, ro.ReadOnly, access(ro.AuthToken))
	}
	rw, err := p.DirectAccess(ctx, loc, true)
	if err != nil {
		t.Fatal(err)
	}
	if rw.ReadOnly || access(rw.AuthToken) != "rw" {
		t.Errorf("write access: read-only %v, claim a=%q", rw.ReadOnly, access(rw.AuthToken))
	}
	again, err := p.DirectAccess(ctx, loc, false)
	if err != nil || again.AuthToken != ro.AuthToken {
		t.Errorf("read-only token not cached: %v", err)
	}
	if n := f.TokensIssued() - issued; n != 2 {
		t.Errorf("%d tokens issued, want 2", n)
	}
	trash, err := p.Trash(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	_, err = p.DirectAccess(ctx, trash, false)
	wantCode(t, err, app.EINVALID)
}
