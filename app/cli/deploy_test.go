package cli

import (
	"encoding/base64"
	"io"
	"net/http"
	"os"
	"os/exec"
	"os/user"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"todos/app/internal/sqldtest"
	"todos/app/store/sqld"
)

// flySecrets are the values README.md has set with fly secrets set: they
// never appear in fly.toml.
var flySecrets = map[string]string{
	"TODOS_TURSO_API_TOKEN":    "platform-api-token",
	"TODOS_CONTROL_AUTH_TOKEN": "control-db-token",
}

// flyToml reads a fly.toml: the variables of its [env] table, the variables
// written in its comments as "#   NAME = "value"" (the documented
// alternatives), and the destination of its [mounts].
func flyToml(t *testing.T, path string) (env, commented map[string]string, mount string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	env, commented, section := map[string]string{}, map[string]string{}, ""
	for _, line := range strings.Split(string(data), "\n") {
		line = strings.TrimSpace(line)
		if strings.HasPrefix(line, "[") {
			section = line
			continue
		}
		target := env
		if rest, ok := strings.CutPrefix(line, "#   "); ok {
			line, target = rest, commented
		} else if strings.HasPrefix(line, "#") {
			continue
		}
		k, v, ok := strings.Cut(line, "=")
		if !ok || (section != "[env]" && section != "[mounts]") {
			continue
		}
		k = strings.TrimSpace(k)
		uq, err := strconv.Unquote(strings.TrimSpace(v))
		if err != nil {
			t.Fatalf("%s: %s: %v", path, line, err)
		}
		if section == "[mounts]" {
			if k == "destination" {
				mount = uq
			}
			continue
		}
		target[k] = uq
	}
	return env, commented, mount
}

// The shipped fly.toml, with the secrets the README sets and the region Fly
// gives each machine, is a valid multi-region Turso configuration whose
// data directory is the volume.
func TestFlyTomlRunsTursoInEachRegion(t *testing.T) {
	env, _, mount := flyToml(t, "../../fly.toml")
	if _, ok := env["TODOS_REGION"]; ok {
		t.Errorf("fly.toml sets TODOS_REGION: every machine must take its own from FLY_REGION")
	}
	for _, region := range []string{"ams", "iad"} {
		vars := map[string]string{"FLY_REGION": region}
		for k, v := range env {
			vars[k] = v
		}
		for k, v := range flySecrets {
			vars[k] = v
		}
		cfg, err := parseServe(t, nil, vars)
		if err != nil {
			t.Fatalf("FLY_REGION=%s: %v", region, err)
		}
		if cfg.Provider.Kind != providerTurso || cfg.Provider.Turso.Org == "" {
			t.Errorf("provider %q, org %q: want turso with an organisation", cfg.Provider.Kind, cfg.Provider.Turso.Org)
		}
		if got := cfg.Regions.Routing(); got != region {
			t.Errorf("FLY_REGION=%s: routing for %q", region, got)
		}
		if cfg.DataDir != mount || mount == "" {
			t.Errorf("data directory %q, volume at %q", cfg.DataDir, mount)
		}
	}
	if !strings.HasPrefix(env["TODOS_CONTROL_URL"], "libsql://") {
		t.Errorf("TODOS_CONTROL_URL = %q: want the Turso database's libsql:// URL", env["TODOS_CONTROL_URL"])
	}
}

// The switches fly.toml's comments describe give valid configurations:
// one machine with local files, and tenants on a libSQL server.
func TestFlyTomlSwitches(t *testing.T) {
	env, commented, _ := flyToml(t, "../../fly.toml")
	local := map[string]string{}
	for k, v := range env {
		local[k] = v
	}
	local["TODOS_PROVIDER"] = "local"
	for _, k := range []string{"TODOS_REGIONS", "TODOS_TURSO_ORG", "TODOS_CONTROL_URL"} {
		delete(local, k)
	}
	cfg, err := parseServe(t, nil, local)
	if err != nil {
		t.Fatalf("local: %v", err)
	}
	if cfg.Provider.Kind != providerLocal || cfg.Regions.Routing() != "" {
		t.Errorf("local: provider %q, routing %q", cfg.Provider.Kind, cfg.Regions.Routing())
	}

	if commented["TODOS_PROVIDER"] != providerSqld {
		t.Fatalf("fly.toml's comments do not show the sqld switch: %v", commented)
	}
	vars := map[string]string{"FLY_REGION": "iad", "TODOS_CONTROL_AUTH_TOKEN": "x"}
	for k, v := range env {
		if k != "TODOS_TURSO_ORG" {
			vars[k] = v
		}
	}
	for k, v := range commented {
		vars[k] = v
	}
	cfg, err = parseServe(t, nil, vars)
	if err != nil {
		t.Fatalf("sqld: %v", err)
	}
	if cfg.Provider.Kind != providerSqld || cfg.Provider.SqldURL == "" || cfg.Provider.SqldAdminURL == "" ||
		cfg.Provider.SqldAuthKey != "/etc/todos/sqld.pem" { // where the entry point writes the key
		t.Errorf("sqld: %+v", cfg.Provider)
	}
}

// The image builds with cgo on Debian (go-libsql links a glibc library),
// installs the CA certificates Turso's TLS needs, keeps the data directory
// private and starts through the entry point, which runs todos as the
// todos user.
func TestDockerfile(t *testing.T) {
	data, err := os.ReadFile("../../Dockerfile")
	if err != nil {
		t.Fatal(err)
	}
	df := string(data)
	var froms []string
	for _, line := range strings.Split(df, "\n") {
		if f, ok := strings.CutPrefix(line, "FROM "); ok {
			froms = append(froms, f)
		}
	}
	if len(froms) != 2 || !strings.Contains(froms[0], "bookworm") || !strings.HasPrefix(froms[1], "debian:") {
		t.Errorf("stages %q: want a Debian (glibc) build stage and a Debian runtime", froms)
	}
	for _, want := range []string{
		"CGO_ENABLED=1 go build",
		"ca-certificates",
		"useradd --system --user-group --home-dir /data --no-create-home todos",
		"mkdir -m 0700 /data",
		"COPY deploy/entrypoint.sh /usr/local/bin/todos-entrypoint",
		`ENTRYPOINT ["/usr/local/bin/todos-entrypoint", "todos"]`,
	} {
		if !strings.Contains(df, want) {
			t.Errorf("Dockerfile lacks %q", want)
		}
	}
	// The entry point drops to todos itself; a USER line would start it as
	// todos, unable to take over a volume mounted owned by root.
	if strings.Contains(df, "\nUSER ") {
		t.Error("Dockerfile sets USER: the entry point could not prepare a root-owned volume")
	}
	for _, f := range froms {
		if strings.Contains(strings.ToLower(f), "alpine") {
			t.Errorf("stage %q is Alpine (musl): go-libsql needs glibc", f)
		}
	}
}

// entrypoint runs deploy/entrypoint.sh with env and the command args; it
// returns what the command printed and the script's error.
func entrypoint(t *testing.T, env []string, args ...string) (string, error) {
	t.Helper()
	cmd := exec.Command("sh", append([]string{"../../deploy/entrypoint.sh"}, args...)...)
	cmd.Env = append([]string{"PATH=" + os.Getenv("PATH")}, env...)
	out, err := cmd.CombinedOutput()
	return string(out), err
}

// owner returns the uid owning path.
func owner(t *testing.T, path string) int {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return int(st.Sys().(*syscall.Stat_t).Uid)
}

// Started as root, as on Fly.io, the entry point gives a fresh root-owned
// volume to the user it runs todos as (once: later files keep their owner),
// writes the libSQL server key from its secret to a private file todos
// accepts, and hides the secret from the command's environment.
func TestEntrypointAsRoot(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root: the image starts as root")
	}
	nobody, err := user.Lookup("nobody")
	if err != nil {
		t.Skip(err)
	}
	dir := t.TempDir()
	data, keyDir := filepath.Join(dir, "data"), filepath.Join(dir, "keys")
	for _, d := range []string{filepath.Join(data, "lost+found"), keyDir} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	priv, _ := sqldtest.WriteKeyPair(t, dir)
	pem, err := os.ReadFile(priv)
	if err != nil {
		t.Fatal(err)
	}
	key := filepath.Join(keyDir, "sqld.pem")
	env := []string{"RUN_AS=nobody", "TODOS_DATA=" + data, "TODOS_SQLD_AUTH_KEY=" + key,
		"SQLD_AUTH_KEY_PEM_B64=" + base64.StdEncoding.EncodeToString(pem)}
	out, err := entrypoint(t, env, "sh", "-c", "id -u; env")
	if err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if first, _, _ := strings.Cut(out, "\n"); first != nobody.Uid {
		t.Errorf("command ran as uid %s, want nobody (%s)", first, nobody.Uid)
	}
	if strings.Contains(out, "SQLD_AUTH_KEY_PEM_B64") || strings.Contains(out, "RUN_AS") {
		t.Errorf("the secret reached the command's environment:\n%s", out)
	}
	if !strings.Contains(out, "TODOS_SQLD_AUTH_KEY="+key+"\n") {
		t.Errorf("TODOS_SQLD_AUTH_KEY not set to %s:\n%s", key, out)
	}
	uid, _ := strconv.Atoi(nobody.Uid)
	for _, p := range []string{data, filepath.Join(data, "lost+found"), key} {
		if owner(t, p) != uid {
			t.Errorf("%s is not owned by nobody", p)
		}
	}
	if st, _ := os.Stat(data); st.Mode().Perm() != 0o700 {
		t.Errorf("data directory mode %v, want 0700", st.Mode().Perm())
	}
	got, err := os.ReadFile(key)
	if err != nil || string(got) != string(pem) {
		t.Fatalf("key file: %v, content differs: %v", err, string(got) != string(pem))
	}
	if _, err := sqld.New(sqld.Config{URL: "http://localhost:1", AdminURL: "http://127.0.0.1:1",
		StagingDir: dir, AuthKeyFile: key}); err != nil {
		t.Errorf("the sqld provider refuses the written key: %v", err)
	}

	// The volume is the user's now: a later start changes no owner in it.
	kept := filepath.Join(data, "kept")
	if err := os.WriteFile(kept, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := entrypoint(t, []string{"RUN_AS=nobody", "TODOS_DATA=" + data}, "true"); err != nil {
		t.Fatalf("%v: %s", err, out)
	}
	if owner(t, kept) != 0 {
		t.Errorf("a second start changed owners inside the data directory")
	}
}

// A secret that is not base64 stops the start with a clear message and
// leaves no key file; without the secret no key file is written.
func TestEntrypointRefusesBadKey(t *testing.T) {
	dir := t.TempDir()
	key := filepath.Join(dir, "sqld.pem")
	env := []string{"RUN_AS=" + currentUser(t), "TODOS_DATA=" + filepath.Join(dir, "data"), "TODOS_SQLD_AUTH_KEY=" + key}
	out, err := entrypoint(t, append(env, "SQLD_AUTH_KEY_PEM_B64=not base64!"), "true")
	if err == nil || !strings.Contains(out, "SQLD_AUTH_KEY_PEM_B64 is not valid base64") {
		t.Errorf("bad secret: err %v, output %q", err, out)
	}
	out, err = entrypoint(t, env, "sh", "-c", "echo ran")
	if err != nil || strings.TrimSpace(out) != "ran" {
		t.Errorf("no secret: err %v, output %q", err, out)
	}
	if _, err := os.Stat(key); !os.IsNotExist(err) {
		t.Errorf("a key file was left: %v", err)
	}
}

// currentUser returns the name of the user running the test.
func currentUser(t *testing.T) string {
	t.Helper()
	u, err := user.Current()
	if err != nil {
		t.Fatal(err)
	}
	return u.Username
}

// deploy/sqld-token.sh makes the public key sqld reads from
// SQLD_AUTH_JWT_KEY and tokens it accepts, checked on a real sqld.
func TestSqldTokenScript(t *testing.T) {
	if _, err := exec.LookPath("openssl"); err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("openssl is missing")
		}
		t.Skip("openssl is missing")
	}
	script := func(args ...string) string {
		t.Helper()
		out, err := exec.Command("sh", append([]string{"../../deploy/sqld-token.sh"}, args...)...).Output()
		if err != nil {
			t.Fatalf("sqld-token.sh %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	dir := t.TempDir()
	priv, _ := sqldtest.WriteKeyPair(t, dir)
	other, _ := sqldtest.WriteKeyPair(t, t.TempDir())
	t.Setenv("SQLD_AUTH_JWT_KEY", script("--public", priv))
	s := sqldtest.Start(t)
	s.CreateNamespace("control")

	query := func(token string) int {
		t.Helper()
		req, err := http.NewRequest(http.MethodPost, s.NamespaceURL("control")+"/v2/pipeline",
			strings.NewReader(`{"requests":[{"type":"execute","stmt":{"sql":"SELECT 1"}},{"type":"close"}]}`))
		if err != nil {
			t.Fatal(err)
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		_, _ = io.Copy(io.Discard, resp.Body)
		return resp.StatusCode
	}
	for _, c := range []struct {
		name  string
		token string
		want  int
	}{
		{"control token", script(priv, "control"), http.StatusOK},
		{"token for every namespace", script(priv), http.StatusOK},
		{"no token", "", http.StatusUnauthorized},
		{"another key's token", script(other, "control"), http.StatusUnauthorized},
	} {
		if got := query(c.token); got != c.want {
			t.Errorf("%s: status %d, want %d", c.name, got, c.want)
		}
	}
}
