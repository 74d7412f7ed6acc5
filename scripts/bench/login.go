package main

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"sync"
)

// csrfField finds the hidden "_csrf" input of a form.
var csrfField = regexp.MustCompile(`name="_csrf" value="([^"]*)"`)

// signIn signs in on host (a tenant or the admin host) of the product at
// addr as a browser would: GET /login for the CSRF cookie and the form's
// token, then POST /login, which must answer 303 with a session cookie.
func signIn(ctx context.Context, c *http.Client, addr, host, email, password string) (*session, error) {
	s := newSession(host)
	r, err := send(ctx, c, addr, http.MethodGet, "/login", s, nil)
	if err != nil {
		return nil, err
	}
	m := csrfField.FindSubmatch(r.body)
	if r.status != http.StatusOK || m == nil || s.cookie("todos_csrf") == "" {
		return nil, fmt.Errorf("GET %s/login: status %d, no CSRF cookie or field: %s", host, r.status, clip(r.body, 160))
	}
	s.csrf = string(m[1])
	r, err = send(ctx, c, addr, http.MethodPost, "/login", s, url.Values{
		"email": {email}, "password": {password}, "_csrf": {s.csrf},
	})
	if err != nil {
		return nil, err
	}
	if r.status != http.StatusSeeOther || s.cookie("todos_session") == "" {
		return nil, fmt.Errorf("POST %s/login: status %d%s, session cookie %t: %s", host, r.status,
			locationOf(r), s.cookie("todos_session") != "", clip(r.body, 160))
	}
	return s, nil
}

// signInTenants signs in the owner of each tenant in names (email from
// emailOf) on the product at addr, a few at a time.
func signInTenants(ctx context.Context, addr string, port int, names []string, emailOf func(string) string) ([]*session, error) {
	c := newHTTPClient(seedWorkers * 2)
	defer c.CloseIdleConnections()
	out := make([]*session, len(names))
	var mu sync.Mutex
	err := parallel(ctx, len(names), seedWorkers*2, func(i int) error {
		name := names[i-1]
		s, err := signIn(ctx, c, addr, tenantHost(name, port), emailOf(name), ownerPassword)
		if err != nil {
			return err
		}
		mu.Lock()
		out[i-1] = s
		mu.Unlock()
		return nil
	})
	return out, err
}

// plainSessions returns cookie-less sessions for the comparison servers.
func plainSessions(names []string, port int) []*session {
	out := make([]*session, len(names))
	for i, n := range names {
		out[i] = newSession(tenantHost(n, port))
	}
	return out
}
