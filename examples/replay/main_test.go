package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	valid, err := os.ReadFile("../../testdata/seeds-flea-crossover.json")
	if err != nil {
		t.Fatal(err)
	}
	golden, err := os.ReadFile("../../testdata/seeds-flea-crossover.golden")
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name       string
		args       []string
		stdin      string
		code       int
		stdout     string
		stderrHave string
	}{
		{"a file", []string{"../../testdata/seeds-flea-crossover.json"}, "", 0, string(golden), ""},
		{"standard input", []string{"-"}, string(valid), 0, string(golden), ""},
		{"invalid definitions", []string{"../../testdata/invalid/every-definition-problem.json"}, "", 1, "",
			`plans[0].rules[0].discountPercent: "150" is outside 0..100`},
		{"malformed JSON", []string{"-"}, "{\n  \"currency\": GBP\n}", 1, "", "malformed JSON at line 2, column 15"},
		{"a missing file", []string{"no-such-file.json"}, "", 1, "", "no-such-file.json"},
		{"no arguments", nil, "", 2, "", "usage: replay FILE"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(c.args, strings.NewReader(c.stdin), &stdout, &stderr)
			if code != c.code {
				t.Errorf("exit status %d; want %d (stderr %q)", code, c.code, stderr.String())
			}
			if stdout.String() != c.stdout {
				t.Errorf("stdout:\n%s\nwant:\n%s", stdout.String(), c.stdout)
			}
			if !strings.Contains(stderr.String(), c.stderrHave) {
				t.Errorf("stderr %q; want it to contain %q", stderr.String(), c.stderrHave)
			}
		})
	}
}
