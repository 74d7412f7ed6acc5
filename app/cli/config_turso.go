package cli

import (
	"flag"
	"fmt"
	"strings"

	"todos/app/store/turso"
)

// providerTurso keeps tenant databases on Turso Cloud.
const providerTurso = "turso"

// tursoTokenEnv holds the platform API token: environment only, never a
// flag (a flag shows in ps and in shell history), never logged.
const tursoTokenEnv = "TODOS_TURSO_API_TOKEN"

// TursoConfig says which Turso organisation holds the tenant databases.
type TursoConfig struct {
	Org      string
	APIURL   string
	APIToken turso.Secret // from TODOS_TURSO_API_TOKEN only; redacts itself
}

func init() {
	envNames["turso-org"] = "TODOS_TURSO_ORG"
	envNames["turso-api-url"] = "TODOS_TURSO_API_URL"
}

// tursoFlags registers --turso-org and --turso-api-url. The flag value of
// --turso-org also loads the API token from the environment (see
// loadEnvOnly), so that every command that takes the flags gets it.
func tursoFlags(fs *flag.FlagSet, tc *TursoConfig) {
	fs.Var(&tursoOrg{tc}, "turso-org", "with --provider turso: the Turso organisation; its platform API token comes from TODOS_TURSO_API_TOKEN only (env TODOS_TURSO_ORG)")
	fs.StringVar(&tc.APIURL, "turso-api-url", "", "with --provider turso: the Platform API's base URL; empty: "+turso.DefaultAPIURL+" (env TODOS_TURSO_API_URL)")
}

// tursoOrg is the flag value of --turso-org, in tc.
type tursoOrg struct{ tc *TursoConfig }

// String returns the organisation.
func (o *tursoOrg) String() string {
	if o == nil || o.tc == nil {
		return ""
	}
	return o.tc.Org
}

// Set sets the organisation.
func (o *tursoOrg) Set(s string) error {
	o.tc.Org = strings.TrimSpace(s)
	return nil
}

// loadEnvOnly reads the API token from the environment.
func (o *tursoOrg) loadEnvOnly(getenv func(string) string) {
	o.tc.APIToken = turso.Secret(strings.TrimSpace(getenv(tursoTokenEnv)))
}

// envOnlyLoader is a flag value that also reads settings only the
// environment may give (secrets).
type envOnlyLoader interface {
	loadEnvOnly(getenv func(string) string)
}

// loadEnvOnly lets each flag of fs read its environment-only settings.
func loadEnvOnly(fs *flag.FlagSet, env Env) {
	fs.VisitAll(func(f *flag.Flag) {
		if l, ok := f.Value.(envOnlyLoader); ok {
			l.loadEnvOnly(env.Getenv)
		}
	})
}

// validate checks the Turso settings of --provider turso.
func (tc *TursoConfig) validate() error {
	if tc.Org == "" {
		return fmt.Errorf("--provider turso needs --turso-org")
	}
	if tc.APIToken == "" {
		return fmt.Errorf("--provider turso needs %s (a platform API token) in the environment", tursoTokenEnv)
	}
	return nil
}
