package app

import (
	"errors"
	"strings"
	"testing"
)

func TestNormalizeTenantName(t *testing.T) {
	good := map[string]string{"acme": "acme", "ACME": "acme", " a-1 ": "a-1", "abc": "abc", strings.Repeat("z", 30): strings.Repeat("z", 30), "2024-01-02": "2024-01-02"}
	for in, want := range good {
		got, err := NormalizeTenantName(in)
		if err != nil || got != want {
			t.Errorf("NormalizeTenantName(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	bad := []string{"", "ab", strings.Repeat("z", 31), "-abc", "abc-", "a_b", "a.b", "a/b", "..", "../abc", "a b", "émile", "ａｂｃ", "admin", "WWW", "api", "static", "blog", "abc\x00"}
	for _, in := range bad {
		if _, err := NormalizeTenantName(in); ErrorCode(err) != EINVALID {
			t.Errorf("NormalizeTenantName(%q) error = %v; want EINVALID", in, err)
		}
	}
}

func TestNormalizeTitle(t *testing.T) {
	tests := []struct{ in, want string }{
		{"  hello  ", "hello"},
		{"\t<b>x</b> & \"y\"\n", `<b>x</b> & "y"`},
		{"   ", ""},
		{"日本語 🚀", "日本語 🚀"},
		{strings.Repeat("é", TitleMaxLength), strings.Repeat("é", TitleMaxLength)},
	}
	for _, tt := range tests {
		got, err := NormalizeTitle(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("NormalizeTitle(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
	}
	for _, in := range []string{strings.Repeat("x", TitleMaxLength+1), "bad \xff", "nul \x00 byte"} {
		if _, err := NormalizeTitle(in); ErrorCode(err) != EINVALID {
			t.Errorf("NormalizeTitle(%q) error = %v; want EINVALID", in, err)
		}
	}
}

func TestNormalizeEmailAndPassword(t *testing.T) {
	if got, err := NormalizeEmail(" Me@Example.COM "); err != nil || got != "me@example.com" {
		t.Errorf("NormalizeEmail = %q, %v", got, err)
	}
	for _, in := range []string{"", "me", "me@", "@example.com", "Me <me@example.com>", "me@example", strings.Repeat("a", 250) + "@example.com"} {
		if _, err := NormalizeEmail(in); ErrorCode(err) != EINVALID {
			t.Errorf("NormalizeEmail(%q) error = %v; want EINVALID", in, err)
		}
	}
	if err := ValidatePassword("1234567"); ErrorCode(err) != EINVALID {
		t.Errorf("short password accepted")
	}
	if err := ValidatePassword(strings.Repeat("p", PasswordMaxLength+1)); ErrorCode(err) != EINVALID {
		t.Errorf("long password accepted")
	}
	if err := ValidatePassword("correct horse"); err != nil {
		t.Errorf("good password refused: %v", err)
	}
}

func TestPasswordHash(t *testing.T) {
	p := PasswordParams{Time: 1, Memory: 1024, Threads: 1}
	h, err := HashPassword("correct horse", p)
	if err != nil {
		t.Fatal(err)
	}
	h2, _ := HashPassword("correct horse", p)
	if h == h2 {
		t.Errorf("two hashes of one password are equal: salt missing")
	}
	if !strings.HasPrefix(h, "$argon2id$v=19$m=1024,t=1,p=1$") {
		t.Errorf("hash format = %q", h)
	}
	if !CheckPassword(h, "correct horse") || CheckPassword(h, "correct horsE") || CheckPassword("garbage", "x") || CheckPassword("", "") {
		t.Errorf("CheckPassword gives wrong answers")
	}
}

func TestFilter(t *testing.T) {
	done, open := Todo{Completed: true}, Todo{}
	if ParseFilter("/active") != FilterActive || ParseFilter("completed") != FilterCompleted || ParseFilter("x") != FilterAll {
		t.Errorf("ParseFilter")
	}
	if !FilterActive.Matches(open) || FilterActive.Matches(done) || !FilterCompleted.Matches(done) || !FilterAll.Matches(done) {
		t.Errorf("Matches")
	}
	if FilterAll.Path() != "/" || FilterActive.Path() != "/active" {
		t.Errorf("Path")
	}
	s := TodoStats{Total: 3, Completed: 3}
	if s.Active() != 0 || !s.AllCompleted() || (TodoStats{}).AllCompleted() {
		t.Errorf("TodoStats")
	}
}

func TestErrors(t *testing.T) {
	base := errors.New("disk on fire")
	err := WrapError(EINTERNAL, "Could not save.", base)
	wrapped := errors.Join(errors.New("context"), err)
	if ErrorCode(wrapped) != EINTERNAL || ErrorMessage(wrapped) != "Could not save." || !errors.Is(wrapped, base) {
		t.Errorf("wrapped error lost its code, message or cause")
	}
	if ErrorCode(base) != EINTERNAL || strings.Contains(ErrorMessage(base), "fire") {
		t.Errorf("plain errors must be internal and never shown")
	}
	if ErrorCode(nil) != "" {
		t.Errorf("nil error has a code")
	}
}
