package cli

import (
	"flag"
	"fmt"
	"strings"
	"unicode"

	"todos/app"
)

// RegionConfig says where this instance runs and which regions tenants may
// choose (--region, --regions).
type RegionConfig struct {
	// Here is the region this instance runs in (--region, TODOS_REGION,
	// else FLY_REGION); empty: not known.
	Here string
	// Offered lists the regions offered at sign-up (--regions); nil: the
	// provider's one default region, "local".
	Offered regionList
}

// regionList is the value of --regions: "name=Label" pairs, comma-separated.
type regionList []app.Region

// String returns the list as it is written on the command line.
func (l *regionList) String() string {
	if l == nil {
		return ""
	}
	parts := make([]string, len(*l))
	for i, r := range *l {
		parts[i] = r.Code + "=" + r.Name
	}
	return strings.Join(parts, ",")
}

// Set parses "ams=Amsterdam,iad=Virginia".
func (l *regionList) Set(s string) error {
	var out regionList
	seen := map[string]bool{}
	for _, part := range strings.Split(s, ",") {
		code, label, ok := strings.Cut(strings.TrimSpace(part), "=")
		code, label = strings.TrimSpace(code), strings.TrimSpace(label)
		if !ok {
			return fmt.Errorf("region %q: want name=Label, e.g. ams=Amsterdam", part)
		}
		if err := checkRegionCode(code); err != nil {
			return err
		}
		if err := checkRegionLabel(code, label); err != nil {
			return err
		}
		if seen[code] {
			return fmt.Errorf("region %q is listed twice", code)
		}
		seen[code] = true
		out = append(out, app.Region{Code: code, Name: label})
	}
	*l = out
	return nil
}

// checkRegionCode accepts a region name usable as a DNS label: 1 to 63
// lowercase letters, digits and inner hyphens (Fly's "ams", a Turso group).
func checkRegionCode(code string) error {
	bad := code == "" || len(code) > 63 || code[0] == '-' || code[len(code)-1] == '-'
	for i := 0; i < len(code) && !bad; i++ {
		c := code[i]
		bad = !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')
	}
	if bad {
		return fmt.Errorf("invalid region name %q: want lowercase letters, digits and inner hyphens, e.g. ams", code)
	}
	return nil
}

// checkRegionLabel accepts a non-empty label of printable characters, at
// most 64.
func checkRegionLabel(code, label string) error {
	if label == "" {
		return fmt.Errorf("region %q has an empty label: want name=Label, e.g. ams=Amsterdam", code)
	}
	if len([]rune(label)) > 64 || strings.IndexFunc(label, func(r rune) bool { return !unicode.IsPrint(r) }) >= 0 {
		return fmt.Errorf("region %q: its label must be at most 64 printable characters", code)
	}
	return nil
}

// regionsFlag registers --regions, which every command that opens the
// storage takes: the regions a tenant may be placed in.
func regionsFlag(fs *flag.FlagSet, rc *RegionConfig) {
	fs.Var(&rc.Offered, "regions", "regions offered at sign-up, name=Label comma-separated, e.g. ams=Amsterdam,iad=Virginia; default: one region, local (env TODOS_REGIONS)")
}

// regionFlag registers --region, the region the server runs in.
func regionFlag(fs *flag.FlagSet, rc *RegionConfig) {
	fs.StringVar(&rc.Here, "region", "", "the region this server runs in; requests for tenants of other regions get fly-replay (env TODOS_REGION, else FLY_REGION)")
}

// validate checks --region against --regions.
func (rc *RegionConfig) validate() error {
	rc.Here = strings.TrimSpace(rc.Here)
	if rc.Here == "" {
		return nil
	}
	if err := checkRegionCode(rc.Here); err != nil {
		return fmt.Errorf("invalid --region: %v", err)
	}
	if rc.Offered != nil && !rc.offers(rc.Here) {
		return fmt.Errorf("--region %s is not one of --regions (%s)", rc.Here, rc.Offered.String())
	}
	return nil
}

// offers reports whether code is one of the offered regions.
func (rc *RegionConfig) offers(code string) bool {
	for _, r := range rc.Offered {
		if r.Code == code {
			return true
		}
	}
	return false
}

// Routing returns the region whose tenants this server serves itself,
// replaying the others' requests: Here when --regions is set, else ""
// (no routing: one region, or every region served here).
func (rc *RegionConfig) Routing() string {
	if rc.Offered == nil {
		return ""
	}
	return rc.Here
}
