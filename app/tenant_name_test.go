package app

import (
	"strings"
	"testing"
)

func TestTenantNamesRefuseLookAlikes(t *testing.T) {
	tests := []struct{ in, says string }{
		// Punycode: a browser shows xn--80ak6aa92e as "аррӏе" in Cyrillic.
		{"xn--80ak6aa92e", "punycode"},
		{"XN--PPLE-43D", "punycode"},
		{" xn--abc ", "punycode"},
		// The rest of IDNA's reserved form: "--" in third and fourth place.
		{"ab--cd", "third and fourth"},
		{"zz--top", "third and fourth"},
		// Hosts that clients look up on their own.
		{"mta-sts", "reserved"},
		{"autodiscover", "reserved"},
		{"autoconfig", "reserved"},
		{"wpad", "reserved"},
		{"webmail", "reserved"},
		// Characters that lowercase into ASCII are not ASCII.
		{"\u212Aacme", "not a valid name"}, // KELVIN SIGN lowercases to "k"
		{"acme\u0130", "not a valid name"}, // LATIN CAPITAL I WITH DOT ABOVE
		{"-acme", "not a valid name"},
		{"acme-", "not a valid name"},
	}
	for _, tt := range tests {
		_, err := NormalizeTenantName(tt.in)
		if ErrorCode(err) != EINVALID || !strings.Contains(ErrorMessage(err), tt.says) {
			t.Errorf("NormalizeTenantName(%q) = %v; want EINVALID saying %q", tt.in, err, tt.says)
		}
		if name := strings.ToLower(strings.TrimSpace(tt.in)); isASCII(tt.in) && CheckTenantName(name) == nil {
			t.Errorf("CheckTenantName(%q) = nil", name)
		}
	}
	for _, ok := range []string{"a-b--c", "ab-cd", "x-n--a", "xn-abc", "xnxx", "2024-01-02"} {
		if _, err := NormalizeTenantName(ok); err != nil {
			t.Errorf("NormalizeTenantName(%q) = %v; want it accepted", ok, err)
		}
		if err := CheckTenantName(ok); err != nil {
			t.Errorf("CheckTenantName(%q) = %v", ok, err)
		}
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func TestNormalizeTenantLookupFindsOlderNames(t *testing.T) {
	for in, want := range map[string]string{"XN--80ak6aa92e": "xn--80ak6aa92e", " ab--cd ": "ab--cd", "wpad": "wpad", "Acme": "acme"} {
		if got, err := NormalizeTenantLookup(in); err != nil || got != want {
			t.Errorf("NormalizeTenantLookup(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
	for _, in := range []string{"", "ab", "-abc", "abc-", "a_b", "../abc", "\u212Aacme", strings.Repeat("z", 31)} {
		if _, err := NormalizeTenantLookup(in); ErrorCode(err) != EINVALID {
			t.Errorf("NormalizeTenantLookup(%q) = %v; want EINVALID", in, err)
		}
	}
}
