package main

import (
	"fmt"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
)

// machineInfo describes where the benchmark ran.
type machineInfo struct {
	CPUs     int
	Model    string
	MemoryGB float64
	OS       string
	Go       string
	Commit   string
}

// readMachine reads /proc and /etc/os-release, and the product's commit.
func readMachine() machineInfo {
	m := machineInfo{CPUs: runtime.NumCPU(), Model: "unknown", OS: runtime.GOOS, Go: runtime.Version(), Commit: "unknown"}
	if b, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
				m.Model = strings.TrimSpace(v)
				break
			}
		}
	}
	if b, err := os.ReadFile("/proc/meminfo"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
				if f := strings.Fields(rest); len(f) > 0 {
					kb, _ := strconv.ParseFloat(f[0], 64)
					m.MemoryGB = kb / 1024 / 1024
				}
			}
		}
	}
	if b, err := os.ReadFile("/etc/os-release"); err == nil {
		for _, line := range strings.Split(string(b), "\n") {
			if v, ok := strings.CutPrefix(line, "PRETTY_NAME="); ok {
				m.OS = strings.Trim(v, `"`)
			}
		}
	}
	// Read-only: rev-parse never writes to the repository, and status does
	// not refresh the index with GIT_OPTIONAL_LOCKS=0.
	if out, err := exec.Command("git", "rev-parse", "--short", "HEAD").Output(); err == nil {
		m.Commit = strings.TrimSpace(string(out)) + uncommitted()
	}
	return m
}

// uncommitted describes the tracked files outside scripts/ and docs/ that
// differ from HEAD: the product that was built is not exactly the commit.
func uncommitted() string {
	cmd := exec.Command("git", "status", "--porcelain", "--untracked-files=no")
	cmd.Env = append(os.Environ(), "GIT_OPTIONAL_LOCKS=0")
	out, err := cmd.Output()
	if err != nil {
		return " (working tree not checked)"
	}
	var changed []string
	for _, line := range strings.Split(string(out), "\n") {
		if len(line) < 4 {
			continue
		}
		path := line[3:]
		if !strings.HasPrefix(path, "scripts/") && !strings.HasPrefix(path, "docs/") {
			changed = append(changed, path)
		}
	}
	switch len(changed) {
	case 0:
		return ""
	case 1:
		return " with an uncommitted change in " + changed[0]
	default:
		return fmt.Sprintf(" with uncommitted changes in %d files (%s, …)", len(changed), changed[0])
	}
}

// String is one line for the report.
func (m machineInfo) String() string {
	return fmt.Sprintf("%d CPUs (%s), %.1f GiB memory, %s", m.CPUs, m.Model, m.MemoryGB, m.OS)
}
