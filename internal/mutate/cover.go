package main

import (
	"bufio"
	"fmt"
	"io"
	"strconv"
	"strings"
)

// A block is one basic block of a coverage profile.
type block struct {
	startLine, startCol, endLine, endCol int
	count                                int
}

func (b block) contains(line, col int) bool {
	if line < b.startLine || line == b.startLine && col < b.startCol {
		return false
	}
	return line < b.endLine || line == b.endLine && col <= b.endCol
}

// coverage holds a profile's blocks by file name (the profile's
// "importpath/file.go").
type coverage map[string][]block

// parseCoverage reads a profile written by `go test -coverprofile`.
func parseCoverage(r io.Reader) (coverage, error) {
	cov := coverage{}
	sc := bufio.NewScanner(r)
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if n == 1 && strings.HasPrefix(line, "mode:") || line == "" {
			continue
		}
		// importpath/file.go:12.34,15.2 3 1
		colon := strings.LastIndex(line, ":")
		f := strings.Fields(line[colon+1:])
		var b block
		var stmts int
		if colon < 0 || len(f) != 3 {
			return nil, fmt.Errorf("coverage profile line %d: %q is not file:range stmts count", n, line)
		}
		if _, err := fmt.Sscanf(f[0], "%d.%d,%d.%d", &b.startLine, &b.startCol, &b.endLine, &b.endCol); err != nil {
			return nil, fmt.Errorf("coverage profile line %d: %q: %v", n, line, err)
		}
		var err error
		if stmts, err = strconv.Atoi(f[1]); err != nil || stmts < 0 {
			return nil, fmt.Errorf("coverage profile line %d: %q: bad statement count", n, line)
		}
		if b.count, err = strconv.Atoi(f[2]); err != nil {
			return nil, fmt.Errorf("coverage profile line %d: %q: bad count", n, line)
		}
		cov[line[:colon]] = append(cov[line[:colon]], b)
	}
	return cov, sc.Err()
}

// covered reports whether a test ran the code at line:col of the profile's
// file. A position in no block (a package-level declaration, which the
// profile does not instrument) counts as run: nothing shows it was not.
func (c coverage) covered(file string, line, col int) bool {
	in, ran := c.state(file, line, col)
	return ran || !in
}

// state reports whether line:col of the profile's file is in a block, and
// whether a test ran one that holds it.
func (c coverage) state(file string, line, col int) (in, ran bool) {
	for _, b := range c[file] {
		if b.contains(line, col) {
			if b.count > 0 {
				return true, true
			}
			in = true
		}
	}
	return in, false
}
