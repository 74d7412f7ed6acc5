package web

import (
	"fmt"
	"net"
	"net/mail"
	"net/smtp"
	"net/url"
	"strings"
	"sync"
	"time"
)

// mailer sends password reset links by SMTP (net/smtp: STARTTLS when the
// server offers it, PLAIN auth when the URL has credentials). Sends run in
// the background so that an answer takes as long whether or not an account
// exists; a failed send is logged, never shown.
type mailer struct {
	addr string    // host:port
	host string    // for auth and TLS
	auth smtp.Auth // nil without credentials
	from string
	sent sync.WaitGroup // sends in flight, for tests and shutdown
}

// newMailer returns the mailer of an smtp:// URL and a From address, or
// nil when smtpURL is empty (no mail: the forgot page says to ask the
// operator). Errors never include the URL's password.
func newMailer(smtpURL, from string) (*mailer, error) {
	if smtpURL == "" {
		return nil, nil
	}
	u, err := url.Parse(smtpURL)
	if err != nil || u.Scheme != "smtp" || u.Hostname() == "" {
		return nil, fmt.Errorf("the SMTP URL must look like smtp://user:password@host:587 or smtp://host:25")
	}
	a, err := mail.ParseAddress(from)
	if from == "" || err != nil {
		return nil, fmt.Errorf("a valid --mail-from address is needed with --smtp-url (got %q)", from)
	}
	m := &mailer{host: u.Hostname(), from: a.Address}
	port := u.Port()
	if port == "" {
		port = "25"
	}
	m.addr = net.JoinHostPort(m.host, port)
	if u.User != nil {
		pass, _ := u.User.Password()
		m.auth = smtp.PlainAuth("", u.User.Username(), pass, m.host)
	}
	return m, nil
}

// CheckMailConfig reports whether an SMTP URL and From address (as the
// --smtp-url and --mail-from flags give them) can be used.
func CheckMailConfig(smtpURL, from string) error {
	_, err := newMailer(smtpURL, from)
	return err
}

// sendResetLink sends link to the address to in the background; log gets
// a failure (without the link).
func (m *mailer) sendResetLink(to, listName, link string, log func(msg string, args ...any)) {
	msg := strings.Join([]string{
		"From: " + m.from,
		"To: " + to,
		"Subject: Reset your password for " + listName,
		"Date: " + time.Now().UTC().Format(time.RFC1123Z),
		"MIME-Version: 1.0",
		"Content-Type: text/plain; charset=utf-8",
		"",
		"Someone (hopefully you) asked to reset the password of your TODO list " + listName + ".",
		"",
		"Open this link within an hour to choose a new password; it works once:",
		"",
		link,
		"",
		"If you did not ask for this, ignore this message: your password stays as it is.",
		"",
	}, "\r\n")
	m.sent.Add(1)
	go func() {
		defer m.sent.Done()
		if err := smtp.SendMail(m.addr, m.auth, m.from, []string{to}, []byte(msg)); err != nil {
			log("password reset mail not sent", "list", listName, "smtp", m.addr, "error", err)
		}
	}()
}
