package main

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"time"
)

// profile takes a CPU profile of c over d, when c serves pprof (the product
// with -profile set), and writes it to {profile dir}/{name}.pprof. The
// returned channel gives its outcome once the profile is written (at once,
// with nil, when there is nothing to profile).
func (b *bench) profile(c *child, name string, d time.Duration) <-chan error {
	done := make(chan error, 1)
	if c.pprofAddr == "" {
		done <- nil
		return done
	}
	secs := max(int(d.Round(time.Second)/time.Second), 1)
	go func() { done <- fetchProfile(c.pprofAddr, secs, filepath.Join(b.cfg.profile, name+".pprof")) }()
	return done
}

// fetchProfile saves a CPU profile of secs seconds from the pprof server
// at addr to path.
func fetchProfile(addr string, secs int, path string) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	client := &http.Client{Timeout: time.Duration(secs+30) * time.Second}
	resp, err := client.Get(fmt.Sprintf("http://%s/debug/pprof/profile?seconds=%d", addr, secs))
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("pprof answered %s", resp.Status)
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, resp.Body); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// saveMemory writes, when c serves pprof, its heap profile with the Go
// runtime's memory statistics ({name}-heap.txt) and the kernel's account of
// its memory ({name}-smaps.txt) to the profile directory: together they
// split resident memory into the Go heap and everything else (the engine's
// native allocations, mapped files, thread stacks).
func (b *bench) saveMemory(c *child, name string) error {
	if c.pprofAddr == "" {
		return nil
	}
	if err := os.MkdirAll(b.cfg.profile, 0o755); err != nil {
		return err
	}
	client := &http.Client{Timeout: 30 * time.Second}
	resp, err := client.Get("http://" + c.pprofAddr + "/debug/pprof/heap?debug=1")
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	heap, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(b.cfg.profile, name+"-heap.txt"), heap, 0o644); err != nil {
		return err
	}
	smaps, err := os.ReadFile(fmt.Sprintf("/proc/%d/smaps_rollup", c.cmd.Process.Pid))
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(b.cfg.profile, name+"-smaps.txt"), smaps, 0o644)
}
