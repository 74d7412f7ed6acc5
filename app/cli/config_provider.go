package cli

import (
	"flag"
	"fmt"
	"strings"
)

// Providers: where tenant databases live.
const (
	providerLocal = "local" // files under DATA/tenants
	providerSqld  = "sqld"  // namespaces of a libSQL server
)

// ProviderConfig says where tenant databases live.
type ProviderConfig struct {
	Kind         string // providerLocal or providerSqld
	SqldURL      string
	SqldAdminURL string
	SqldAuthKey  string
	Turso        TursoConfig
	Control      ControlConfig // where the control plane lives
}

// providerFlags registers --provider and the sqld flags.
func providerFlags(fs *flag.FlagSet, pc *ProviderConfig) {
	fs.StringVar(&pc.Kind, "provider", providerLocal, "where tenant databases live: local (files under --data) or sqld (a libSQL server) (env TODOS_PROVIDER)")
	fs.StringVar(&pc.SqldURL, "sqld-url", "", "with --provider sqld: the server's base URL, e.g. http://localhost:8081; tenant ns is reached at http://ns.localhost:8081 (env TODOS_SQLD_URL)")
	fs.StringVar(&pc.SqldAdminURL, "sqld-admin-url", "", "with --provider sqld: the server's admin API, e.g. http://127.0.0.1:9091 (env TODOS_SQLD_ADMIN_URL)")
	fs.StringVar(&pc.SqldAuthKey, "sqld-auth-key", "", "with --provider sqld: file with the Ed25519 private key (PEM) for per-tenant tokens; empty: no auth (env TODOS_SQLD_AUTH_KEY)")
	tursoFlags(fs, &pc.Turso)
	controlFlags(fs, &pc.Control)
}

// validate checks the provider settings.
func (pc *ProviderConfig) validate() error {
	if err := pc.Control.validate(); err != nil {
		return err
	}
	pc.Kind = strings.TrimSpace(pc.Kind)
	switch pc.Kind {
	case providerLocal:
		if pc.SqldURL != "" || pc.SqldAdminURL != "" || pc.SqldAuthKey != "" {
			return fmt.Errorf("--sqld-url, --sqld-admin-url and --sqld-auth-key need --provider sqld")
		}
	case providerSqld:
		if pc.SqldURL == "" || pc.SqldAdminURL == "" {
			return fmt.Errorf("--provider sqld needs --sqld-url and --sqld-admin-url")
		}
	case providerTurso:
		return pc.Turso.validate()
	default:
		return fmt.Errorf("invalid --provider %q: want local, sqld or turso", pc.Kind)
	}
	return nil
}
