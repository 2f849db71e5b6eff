//go:build !unix

package main

import "os/exec"

// killGroup leaves cmd as it is: without process groups, cancellation
// kills the go command alone.
func killGroup(*exec.Cmd) {}
