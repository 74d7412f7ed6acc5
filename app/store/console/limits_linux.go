package console

import (
	"bufio"
	"errors"
	"os"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// limitProcess caps this (child) process: its address space may grow by
// at most maxMemory bytes beyond its size now (0: no cap), and the kernel
// stops it after cpu of processor time, should the parent fail to.
func limitProcess(maxMemory int64, cpu time.Duration) error {
	var errs []error
	if maxMemory > 0 {
		size, err := addressSpace()
		if err == nil {
			limit := uint64(size + maxMemory)
			err = syscall.Setrlimit(syscall.RLIMIT_AS, &syscall.Rlimit{Cur: limit, Max: limit})
		}
		errs = append(errs, err)
	}
	secs := uint64(cpu/time.Second) + 1
	errs = append(errs, syscall.Setrlimit(syscall.RLIMIT_CPU, &syscall.Rlimit{Cur: secs, Max: secs + 1}))
	return errors.Join(errs...)
}

// addressSpace returns the size of this process's address space (VmSize).
func addressSpace() (int64, error) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmSize:"); ok {
			kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10, err
		}
	}
	return 0, errors.New("console: no VmSize in /proc/self/status")
}
