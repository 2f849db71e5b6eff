package main

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClassify(t *testing.T) {
	// Outputs of go test -json, shortened, as Go 1.26 prints them.
	tests := []struct {
		name           string
		stdout, stderr string
		zero, deadline bool
		want           status
		wantTests      []string
	}{{
		name: "compile error",
		stdout: `{"ImportPath":"ex/p [ex/p.test]","Action":"build-output","Output":"# ex/p [ex/p.test]\n"}
{"ImportPath":"ex/p [ex/p.test]","Action":"build-output","Output":"./a.go:6:9: invalid operation: a > \"x\" (mismatched types int and untyped string)\n"}
{"ImportPath":"ex/p [ex/p.test]","Action":"build-fail"}
{"Action":"start","Package":"ex/p"}
{"Action":"output","Package":"ex/p","Output":"FAIL\tex/p [build failed]\n"}
{"Action":"fail","Package":"ex/p","Elapsed":0,"FailedBuild":"ex/p [ex/p.test]"}
`,
		want: notBuilt,
	}, {
		name: "vet error",
		stdout: `{"ImportPath":"ex/p [ex/p.test]","Action":"build-output","Output":"# [ex/p]\n"}
{"ImportPath":"ex/p [ex/p.test]","Action":"build-output","Output":"./a.go:12:39: fmt.Sprintf format %s has arg 1 of wrong type int\n"}
{"ImportPath":"ex/p [ex/p.test]","Action":"build-fail"}
{"Action":"start","Package":"ex/p"}
{"Action":"fail","Package":"ex/p","Elapsed":0,"FailedBuild":"ex/p [ex/p.test]"}
`,
		want: notBuilt,
	}, {
		name:   "build failure in plain text",
		stdout: "# ex/p\n./a.go:3:1: syntax error\n",
		stderr: "FAIL\tex/p [build failed]\n",
		want:   notBuilt,
	}, {
		name: "killed",
		stdout: `{"Action":"start","Package":"ex/p"}
{"Action":"run","Package":"ex/p","Test":"TestMax"}
{"Action":"output","Package":"ex/p","Test":"TestMax","Output":"    a_test.go:7: bad\n"}
{"Action":"fail","Package":"ex/p","Test":"TestMax/two","Elapsed":0}
{"Action":"fail","Package":"ex/p","Test":"TestMax","Elapsed":0}
{"Action":"fail","Package":"ex/p","Test":"TestAbs","Elapsed":0}
{"Action":"pass","Package":"ex/p","Test":"TestMin","Elapsed":0}
{"Action":"output","Package":"ex/p","Output":"FAIL\tex/p\t0.003s\n"}
{"Action":"fail","Package":"ex/p","Elapsed":0.003}
`,
		want:      killed,
		wantTests: []string{"TestAbs", "TestMax"},
	}, {
		name: "killed by a panic in init",
		stdout: `{"Action":"start","Package":"ex/p"}
{"Action":"output","Package":"ex/p","Output":"panic: runtime error: index out of range [3] with length 3\n"}
{"Action":"output","Package":"ex/p","Output":"FAIL\tex/p\t0.003s\n"}
{"Action":"fail","Package":"ex/p","Elapsed":0.003}
`,
		want:      killed,
		wantTests: []string{},
	}, {
		name: "survived",
		stdout: `{"Action":"start","Package":"ex/p"}
{"Action":"run","Package":"ex/p","Test":"TestMax"}
{"Action":"pass","Package":"ex/p","Test":"TestMax","Elapsed":0}
{"Action":"output","Package":"ex/p","Output":"ok  \tex/p\t0.003s\n"}
{"Action":"pass","Package":"ex/p","Elapsed":0.003}
`,
		zero: true,
		want: survived,
	}, {
		name: "timed out",
		stdout: `{"Action":"start","Package":"ex/p"}
{"Action":"run","Package":"ex/p","Test":"TestLoop"}
{"Action":"output","Package":"ex/p","Test":"TestLoop","Output":"panic: test timed out after 2s\n"}
{"Action":"fail","Package":"ex/p","Test":"TestLoop","Elapsed":2}
{"Action":"fail","Package":"ex/p","Elapsed":2.003}
`,
		want: timedOut,
	}, {
		name:     "stopped at the deadline",
		stdout:   `{"Action":"start","Package":"ex/p"}` + "\n",
		deadline: true,
		want:     timedOut,
	}, {
		name:   "go command error",
		stderr: "go: cannot find main module\n",
		want:   failed,
	}, {
		name:   "pass event but non-zero exit",
		stdout: `{"Action":"pass","Package":"ex/p","Elapsed":0.003}` + "\n",
		want:   failed,
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, tests := classify([]byte(tt.stdout), []byte(tt.stderr), tt.zero, tt.deadline)
			if got != tt.want {
				t.Errorf("status %q, want %q", got, tt.want)
			}
			if diff := cmp.Diff(tt.wantTests, tests); diff != "" {
				t.Errorf("tests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestCoverage(t *testing.T) {
	profile := `mode: set
ex/p/a.go:3.24,4.12 1 1
ex/p/a.go:4.12,6.3 1 0
ex/p/a.go:7.2,7.10 1 1
ex/p/b.go:3.20,5.2 2 0
`
	cov, err := parseCoverage(strings.NewReader(profile))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		file      string
		line, col int
		want      bool
	}{
		{"ex/p/a.go", 4, 5, true},  // the if condition, in the block before its body
		{"ex/p/a.go", 4, 12, true}, // on the boundary of a run and an unrun block
		{"ex/p/a.go", 5, 3, false}, // the body no test enters
		{"ex/p/a.go", 7, 2, true},  // after it
		{"ex/p/b.go", 4, 1, false}, // a function no test calls
		{"ex/p/a.go", 1, 1, true},  // outside every block: nothing says it did not run
		{"ex/p/c.go", 9, 9, true},  // a file with no blocks
	}
	for _, tt := range tests {
		if got := cov.covered(tt.file, tt.line, tt.col); got != tt.want {
			t.Errorf("covered(%s:%d:%d) = %v, want %v", tt.file, tt.line, tt.col, got, tt.want)
		}
	}
	for _, bad := range []string{"mode: set\nex/p/a.go 1 1\n", "mode: set\nex/p/a.go:3.24,4.12 x 1\n", "mode: set\nex/p/a.go:3,4 1 1\n"} {
		if _, err := parseCoverage(strings.NewReader(bad)); err == nil {
			t.Errorf("parseCoverage(%q): no error", bad)
		}
	}
}
