//go:build !unix

package console

import "os/exec"

// startGroup does nothing where process groups do not exist.
func startGroup(cmd *exec.Cmd) {}

// killGroup kills the started cmd.
func killGroup(cmd *exec.Cmd) { _ = cmd.Process.Kill() }
