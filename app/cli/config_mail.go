package cli

import (
	"flag"
	"fmt"

	"todos/app/web"
)

// MailConfig is where forgot-password mails are sent from. Without an SMTP
// URL no mail is sent: the sign-in page tells users to ask the operator,
// who issues reset links in the admin app.
type MailConfig struct {
	SMTPURL  string // smtp://user:password@host:587 or smtp://host:25
	MailFrom string // the From address
}

// mailFlags registers the mail flags.
func mailFlags(fs *flag.FlagSet, m *MailConfig) {
	fs.StringVar(&m.SMTPURL, "smtp-url", "", "send forgot-password links through this SMTP server, e.g. smtp://user:password@host:587 (STARTTLS when offered); empty: users ask the operator (env TODOS_SMTP_URL)")
	fs.StringVar(&m.MailFrom, "mail-from", "", "the From address of forgot-password mails; needed with --smtp-url (env TODOS_MAIL_FROM)")
}

// validate checks the mail flags; its errors never show the SMTP password.
func (m MailConfig) validate() error {
	if m.SMTPURL == "" {
		if m.MailFrom != "" {
			return fmt.Errorf("--mail-from needs --smtp-url")
		}
		return nil
	}
	if err := web.CheckMailConfig(m.SMTPURL, m.MailFrom); err != nil {
		return fmt.Errorf("invalid --smtp-url or --mail-from: %v", err)
	}
	return nil
}
