package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"sort"
	"strings"
)

// A status is what running a package's tests on a mutant showed.
type status string

const (
	killed   status = "killed"    // a test failed
	survived status = "survived"  // every test passed
	notBuilt status = "not built" // the package or its tests did not compile
	timedOut status = "timed out" // the tests ran past the timeout; counted as killed
	failed   status = "error"     // the go command failed in a way that says nothing about the tests
)

// testEvent is the part of a `go test -json` line (cmd/test2json) the
// classifier reads. Build output comes as events with an ImportPath and
// the actions build-output and build-fail; a package whose build failed
// ends with a fail event naming it in FailedBuild.
type testEvent struct {
	Action      string
	Package     string
	ImportPath  string
	Test        string
	Output      string
	FailedBuild string
}

// classify reads the output of `go test -json` for one package.
// exitedZero says whether the go command exited with status zero, deadline
// whether it had to be stopped for running too long. It returns the status and, for a
// killed mutant, the top-level tests that failed, sorted.
func classify(stdout, stderr []byte, exitedZero, deadline bool) (status, []string) {
	var (
		buildFail, pass, fail, timeout bool
		tests                          = map[string]bool{}
	)
	sc := bufio.NewScanner(bytes.NewReader(stdout))
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	for sc.Scan() {
		var e testEvent
		line := sc.Bytes()
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			// Not an event: go test prints some failures outside JSON.
			if buildFailureText(string(line)) {
				buildFail = true
			}
			continue
		}
		switch e.Action {
		case "build-fail":
			buildFail = true
		case "output":
			if strings.Contains(e.Output, "panic: test timed out after") {
				timeout = true
			}
			if e.Test == "" && buildFailureText(e.Output) {
				buildFail = true
			}
		case "fail":
			if e.FailedBuild != "" {
				buildFail = true
			}
			if e.Test == "" {
				fail = true
			} else {
				tests[strings.SplitN(e.Test, "/", 2)[0]] = true
			}
		case "pass":
			if e.Test == "" {
				pass = true
			}
		}
	}
	for _, l := range strings.Split(string(stderr), "\n") {
		if buildFailureText(l) {
			buildFail = true
		}
	}
	switch {
	case buildFail:
		return notBuilt, nil
	case timeout || deadline:
		return timedOut, nil
	case fail:
		names := make([]string, 0, len(tests))
		for n := range tests {
			names = append(names, n)
		}
		sort.Strings(names)
		return killed, names
	case pass && exitedZero:
		return survived, nil
	}
	return failed, nil
}

// buildFailureText reports whether a line is go test's plain-text summary
// of a package that did not build (printed without -json, and by Go
// versions before 1.24 even with it).
func buildFailureText(s string) bool {
	s = strings.TrimSpace(s)
	return strings.HasPrefix(s, "FAIL") && (strings.HasSuffix(s, "[build failed]") || strings.HasSuffix(s, "[setup failed]"))
}
