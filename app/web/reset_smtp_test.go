package web

import (
	"bufio"
	"bytes"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
)

// testMail is one message the test SMTP server received.
type testMail struct {
	From, To string
	Data     string
}

// smtpServer is a tiny SMTP server on 127.0.0.1 that speaks just enough
// (no STARTTLS, no AUTH) for net/smtp to deliver to it.
type smtpServer struct {
	ln   net.Listener
	mu   sync.Mutex
	mail []testMail
}

// startSMTPServer starts an SMTP server that stops with the test.
func startSMTPServer(t *testing.T) *smtpServer {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	s := &smtpServer{ln: ln}
	t.Cleanup(func() { ln.Close() })
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(conn)
		}
	}()
	return s
}

// serve speaks SMTP on one connection.
func (s *smtpServer) serve(conn net.Conn) {
	defer conn.Close()
	r := bufio.NewReader(conn)
	say := func(line string) { _, _ = conn.Write([]byte(line + "\r\n")) }
	say("220 test ESMTP")
	var m testMail
	for {
		line, err := r.ReadString('\n')
		if err != nil {
			return
		}
		cmd := strings.ToUpper(strings.TrimSpace(line))
		switch {
		case strings.HasPrefix(cmd, "EHLO"), strings.HasPrefix(cmd, "HELO"):
			say("250 test")
		case strings.HasPrefix(cmd, "MAIL FROM:"):
			m = testMail{From: strings.TrimSpace(line[len("MAIL FROM:"):])}
			say("250 OK")
		case strings.HasPrefix(cmd, "RCPT TO:"):
			m.To = strings.TrimSpace(line[len("RCPT TO:"):])
			say("250 OK")
		case cmd == "DATA":
			say("354 go on")
			var data strings.Builder
			for {
				l, err := r.ReadString('\n')
				if err != nil {
					return
				}
				if l == ".\r\n" {
					break
				}
				data.WriteString(l)
			}
			m.Data = data.String()
			s.mu.Lock()
			s.mail = append(s.mail, m)
			s.mu.Unlock()
			say("250 OK")
		case cmd == "QUIT":
			say("221 bye")
			return
		default:
			say("250 OK")
		}
	}
}

// received returns the messages received so far.
func (s *smtpServer) received() []testMail {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]testMail(nil), s.mail...)
}

// smtpOwner is accountOwner on a server that mails through a test SMTP
// server.
func smtpOwner(t *testing.T) (*testEnv, *smtpServer) {
	mail := startSMTPServer(t)
	env := newTestEnvWith(t, func(c *Config) {
		c.SMTPURL = "smtp://" + mail.ln.Addr().String()
		c.MailFrom = "TODOs <todos@example.com>"
	})
	env.browser().signUp("mine", accountEmail, accountPassword)
	return env, mail
}

// lockedBuffer is a log destination that goroutines may share.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// captureLogs sends the server's log to a buffer it returns.
func captureLogs(env *testEnv) *lockedBuffer {
	var logs lockedBuffer
	env.srv.logger = slog.New(slog.NewTextHandler(&logs, nil))
	return &logs
}

func TestForgotWithSMTPMailsALink(t *testing.T) {
	env, mail := smtpOwner(t)
	logs := captureLogs(env)
	v := env.browser()
	page := v.get(accountHost + "/forgot")
	mustContain(t, page.Body, `<form id="forgot" method="post" action="/forgot">`)
	mustNotContain(t, page.Body, "Ask the operator")

	unknown := v.post(accountHost+"/forgot", url.Values{"email": {"nobody@example.com"}})
	known := v.post(accountHost+"/forgot", url.Values{"email": {"  Owner@Example.com "}})
	env.srv.mail.sent.Wait()
	for _, r := range []*response{unknown, known} {
		if r.StatusCode != http.StatusOK {
			t.Errorf("forgot: %d", r.StatusCode)
		}
		mustContain(t, r.Body, "If an account exists for that address, we sent a link")
	}
	if unknown.Body != known.Body {
		t.Errorf("the answers differ for a known and an unknown address")
	}
	got := mail.received()
	if len(got) != 1 {
		t.Fatalf("got %d mails, want 1 (to the owner only): %+v", len(got), got)
	}
	if got[0].To != "<"+accountEmail+">" || got[0].From != "<todos@example.com>" {
		t.Errorf("mail from %s to %s", got[0].From, got[0].To)
	}
	link := resetLinkRE.FindString(got[0].Data)
	if link == "" {
		t.Fatalf("no link in the mail:\n%s", got[0].Data)
	}
	if r := v.post(link, url.Values{"new_password": {"a brand new secret"}}); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("reset: %d %s", r.StatusCode, clipBody(r.Body))
	}
	if signsIn(env, accountPassword) || !signsIn(env, "a brand new secret") {
		t.Errorf("the mailed link did not set the password")
	}
	wantLinkRefused(t, env, link, "a brand new secret")
	token := link[strings.LastIndexByte(link, '/')+1:]
	if l := logs.String(); strings.Contains(l, token) || !strings.Contains(l, "/reset/[token]") {
		t.Errorf("the log shows the token, or no reset request:\n%s", l)
	}
}

func TestForgotMailFailureIsLoggedNotShown(t *testing.T) {
	mail := startSMTPServer(t)
	env := newTestEnvWith(t, func(c *Config) {
		// The test server offers no AUTH: with credentials, the send fails.
		c.SMTPURL = "smtp://todos:s3cret-smtp-pass@" + mail.ln.Addr().String()
		c.MailFrom = "todos@example.com"
	})
	env.browser().signUp("mine", accountEmail, accountPassword)
	logs := captureLogs(env)
	r := env.browser().post(accountHost+"/forgot", url.Values{"email": {accountEmail}})
	env.srv.mail.sent.Wait()
	if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "If an account exists for that address, we sent a link") {
		t.Errorf("forgot: %d %s", r.StatusCode, clipBody(r.Body))
	}
	l := logs.String()
	if !strings.Contains(l, "password reset mail not sent") || strings.Contains(l, "s3cret-smtp-pass") || strings.Contains(l, "/reset/") {
		t.Errorf("log:\n%s", l)
	}
	if len(mail.received()) != 0 {
		t.Errorf("a mail was delivered")
	}
}

func TestForgotIsRateLimited(t *testing.T) {
	env, mail := smtpOwner(t)
	v := env.browser()
	// Per account: past its allowance, the same answer and no mail.
	for i := 0; i < resetPerAccountPerHour+1; i++ {
		r := v.post(accountHost+"/forgot", url.Values{"email": {accountEmail}})
		if r.StatusCode != http.StatusOK || !strings.Contains(r.Body, "If an account exists") {
			t.Fatalf("request %d: %d %s", i+1, r.StatusCode, clipBody(r.Body))
		}
	}
	env.srv.mail.sent.Wait()
	if n := len(mail.received()); n != resetPerAccountPerHour {
		t.Errorf("%d mails, want %d", n, resetPerAccountPerHour)
	}
	// Per client: past its allowance, refused with a wait.
	var last *response
	for i := resetPerAccountPerHour + 2; i <= resetPerClientPerHour; i++ {
		last = v.post(accountHost+"/forgot", url.Values{"email": {"someone@example.com"}})
	}
	if last.StatusCode != http.StatusOK {
		t.Fatalf("within the client's allowance: %d", last.StatusCode)
	}
	last = v.post(accountHost+"/forgot", url.Values{"email": {"someone-else@example.com"}})
	if last.StatusCode != http.StatusTooManyRequests || !strings.Contains(last.Body, "Too many requests") {
		t.Errorf("past the client's allowance: %d %s", last.StatusCode, clipBody(last.Body))
	}
}

func TestMailConfigIsChecked(t *testing.T) {
	for _, c := range []struct{ url, from string }{
		{"http://host:25", "a@example.com"},
		{"smtp://", "a@example.com"},
		{"smtp://host:25", ""},
		{"smtp://host:25", "not an address"},
	} {
		err := CheckMailConfig(c.url, c.from)
		if err == nil {
			t.Errorf("CheckMailConfig(%q, %q) accepted", c.url, c.from)
		}
	}
	if err := CheckMailConfig("smtp://user:s3cret-pass@host:587", "bad"); err == nil || strings.Contains(err.Error(), "s3cret-pass") {
		t.Errorf("error %v (must exist and not show the password)", err)
	}
	if err := CheckMailConfig("smtp://user:pass@host:587", "TODOs <todos@example.com>"); err != nil {
		t.Errorf("good config refused: %v", err)
	}
}
