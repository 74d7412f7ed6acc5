package sqld

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"todos/app"
	"todos/app/internal/sqldtest"
	"todos/app/store"
)

// TestDirectAccess checks what the SQL console is given: the namespace's
// URL and, with auth, a token for that namespace alone, read-only unless
// it asked to write; none without auth. Live namespaces only.
func TestDirectAccess(t *testing.T) {
	ctx := context.Background()
	srv := sqldtest.StartWithAuth(t)
	p := newTestProvider(t, srv, Config{AuthKeyFile: srv.AuthKeyFile})
	loc, err := p.Create(ctx, "t_acme", store.LocalRegion.Code)
	if err != nil {
		t.Fatal(err)
	}
	if !p.ReadOnlyTokens() {
		t.Error("ReadOnlyTokens = false with auth")
	}
	for _, write := range []bool{false, true} {
		a, err := p.DirectAccess(ctx, loc, write)
		if err != nil {
			t.Fatal(err)
		}
		if a.URL != p.namespaceURL("t_acme") || a.ReadOnly == write {
			t.Errorf("write %v: %v read-only %v", write, a, a.ReadOnly)
		}
		parts := strings.Split(a.AuthToken, ".")
		raw, _ := base64.RawURLEncoding.DecodeString(parts[1])
		var c tokenClaims
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		want := accessReadOnly
		if write {
			want = accessReadWrite
		}
		if c.Namespace != "t_acme" || c.Access != want {
			t.Errorf("write %v: claims %+v", write, c)
		}
		if s := fmt.Sprintf("%v %#v", a, a); strings.Contains(s, a.AuthToken) {
			t.Errorf("printed access shows its token: %s", s)
		}
	}
	trash, err := p.Trash(ctx, loc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := p.DirectAccess(ctx, trash, false); app.ErrorCode(err) != app.EINVALID {
		t.Errorf("in the trash: %v", err)
	}
	if _, err := p.DirectAccess(ctx, livePrefix+"t_nosuch", false); app.ErrorCode(err) != app.ENOTFOUND {
		t.Errorf("missing: %v", err)
	}

	plain := newTestProvider(t, sqldtest.Start(t), Config{})
	loc, err = plain.Create(ctx, "t_acme", store.LocalRegion.Code)
	if err != nil {
		t.Fatal(err)
	}
	a, err := plain.DirectAccess(ctx, loc, false)
	if err != nil || a.AuthToken != "" || a.ReadOnly || plain.ReadOnlyTokens() {
		t.Errorf("without auth: %v, %v (read-only %v)", a, err, a.ReadOnly)
	}
}
