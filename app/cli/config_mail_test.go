package cli

import (
	"strings"
	"testing"
)

func TestMailFromFlagsAndEnv(t *testing.T) {
	cfg, err := parseServe(t, nil, nil)
	if err != nil || cfg.Mail != (MailConfig{}) {
		t.Fatalf("default: %+v %v; want no mail", cfg.Mail, err)
	}
	cfg, err = parseServe(t, nil, map[string]string{
		"TODOS_SMTP_URL": "smtp://user:pass@mail.example.com:587", "TODOS_MAIL_FROM": "todos@example.com",
	})
	if err != nil || cfg.Mail.SMTPURL != "smtp://user:pass@mail.example.com:587" || cfg.Mail.MailFrom != "todos@example.com" {
		t.Errorf("env: %+v %v", cfg.Mail, err)
	}
	cfg, err = parseServe(t, []string{"--smtp-url", "smtp://localhost:25", "--mail-from", "TODOs <todos@example.com>"}, nil)
	if err != nil || cfg.Mail.SMTPURL != "smtp://localhost:25" {
		t.Errorf("flags: %+v %v", cfg.Mail, err)
	}
	for _, bad := range [][]string{
		{"--smtp-url", "smtp://localhost:25"}, // no From
		{"--mail-from", "todos@example.com"},  // no SMTP
		{"--smtp-url", "https://mail.example.com", "--mail-from", "todos@example.com"},
		{"--smtp-url", "smtp://user:hunter2-secret@localhost:25", "--mail-from", "nope"},
	} {
		_, err := parseServe(t, bad, nil)
		if err == nil {
			t.Errorf("%v accepted", bad)
		} else if strings.Contains(err.Error(), "hunter2-secret") {
			t.Errorf("%v: the error shows the SMTP password: %v", bad, err)
		}
	}
}
