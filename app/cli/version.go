package cli

import (
	"fmt"
	"runtime/debug"
	"strings"
)

// runVersion runs "todos version": the version, the commit the binary was
// built from and the Go release that built it.
func runVersion(env Env, args []string) error {
	if len(args) > 0 {
		if isHelpArg(args[0]) {
			fmt.Fprintf(env.Stdout, "Usage:\n%s\n", synopsis("todos version"))
			return nil
		}
		fmt.Fprintf(env.Stderr, "todos version: unexpected argument %q\nUsage:\n%s\n", args[0], synopsis("todos version"))
		return errUsage
	}
	info, ok := debug.ReadBuildInfo()
	fmt.Fprint(env.Stdout, describeBuild(Version, info, ok))
	return nil
}

// describeBuild writes what "todos version" prints: the version (set with
// -ldflags, else the module version the Go toolchain recorded), the VCS
// commit (vcs.revision, marked when vcs.modified says the tree had
// uncommitted changes) or why there is none, and the Go release.
func describeBuild(ldVersion string, info *debug.BuildInfo, ok bool) string {
	if !ok || info == nil {
		v := ldVersion
		if v == "" {
			v = "unknown"
		}
		return "todos " + v + "\ncommit unknown: this binary carries no build information\n"
	}
	settings := map[string]string{}
	for _, s := range info.Settings {
		settings[s.Key] = s.Value
	}
	v := ldVersion
	if v == "" {
		v = info.Main.Version
	}
	if v == "" || v == "(devel)" {
		v = "devel"
	}
	var b strings.Builder
	fmt.Fprintf(&b, "todos %s\n", v)
	if rev := settings["vcs.revision"]; rev != "" {
		fmt.Fprintf(&b, "commit %s", rev)
		if settings["vcs.modified"] == "true" {
			b.WriteString(" (modified: built with uncommitted changes)")
		}
		if t := settings["vcs.time"]; t != "" {
			fmt.Fprintf(&b, ", committed %s", t)
		}
		b.WriteString("\n")
	} else {
		b.WriteString("commit unknown: built without VCS information (outside a git checkout, by \"go run\", or with -buildvcs=false)\n")
	}
	if info.GoVersion != "" {
		fmt.Fprintf(&b, "built with %s\n", info.GoVersion)
	}
	return b.String()
}
