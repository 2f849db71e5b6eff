package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// tinyModule writes a module with one package and its test into a new
// temporary directory and returns the directory. The test checks Clamp
// inside its bounds and beyond them but never on them, and never calls
// Next; Spin loops forever when i++ becomes i--.
func tinyModule(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"go.mod": "module example.com/tiny\n\ngo 1.24\n",
		"tiny/tiny.go": `package tiny

func Clamp(v, lo, hi int) int {
	if v < lo {
		return lo
	}
	return min(v, hi)
}

func Greet(name string) string { return "hi " + name }

func Next(n int) int { return n + 1 }

func Spin(n int) int {
	s := 0
	for i := 0; i < n; i++ {
		s += i
	}
	return s
}
`,
		"other/other.go": "package other\n\nfunc Two() int { return 1 + 1 }\n",
		"tiny/tiny_test.go": `package tiny

import "testing"

func TestClamp(t *testing.T) {
	if Clamp(-5, 0, 10) != 0 || Clamp(50, 0, 10) != 10 || Clamp(5, 0, 10) != 5 {
		t.Error("Clamp")
	}
}

func TestGreet(t *testing.T) {
	if Greet("x") != "hi x" {
		t.Error("Greet")
	}
}

func TestSpin(t *testing.T) {
	if Spin(4) != 6 {
		t.Error("Spin")
	}
}
`,
	}
	for name, src := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

func TestList(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := tinyModule(t)
	var stdout, stderr bytes.Buffer
	args := []string{"-list", "-kind", "operator,call", "-shard", "2/2", "./other", "./tiny"}
	if code := mutate(context.Background(), args, dir, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	// Every second operator or call mutant of the two packages; an id is
	// a place among all of its package's mutants.
	want := `3	tiny/tiny.go:4:7	operator	< -> <=
6	tiny/tiny.go:10:47	operator	+ -> -
12	tiny/tiny.go:16:16	operator	< -> <=
15	tiny/tiny.go:17:5	operator	+= -> -=
`
	if diff := cmp.Diff(want, stdout.String()); diff != "" {
		t.Errorf("list (-want +got):\n%s", diff)
	}
	stdout.Reset()
	if code := mutate(context.Background(), []string{"-list", "-id", "3, 15", "./tiny"}, dir, &stdout, &stderr); code != 0 {
		t.Fatalf("-id: exit %d: %s", code, stderr.String())
	}
	if diff := cmp.Diff(want[:strings.Index(want, "\n")+1]+want[strings.LastIndex(want[:len(want)-1], "\n")+1:], stdout.String()); diff != "" {
		t.Errorf("list -id 3,15 (-want +got):\n%s", diff)
	}
	if code := mutate(context.Background(), []string{"-list", "-id", "3", "./tiny", "./other"}, dir, &stdout, &stderr); code != 1 {
		t.Errorf("-id with two packages: exit %d, want 1", code)
	}
	for _, bad := range [][]string{{"-kind", "nope"}, {"-shard", "3/2"}, {"-parallel", "0"}, {"-file", "("}, {"-id", "0"}, {"-id", "x"}} {
		if code := mutate(context.Background(), bad, dir, &stdout, &stderr); code != 2 {
			t.Errorf("mutate %q: exit %d, want 2", bad, code)
		}
	}
}

func TestEndToEnd(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test once per mutant")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := tinyModule(t)
	src := filepath.Join(dir, "tiny", "tiny.go")
	before, _ := os.ReadFile(src)
	reportPath := filepath.Join(t.TempDir(), "report.json")
	var stdout, stderr bytes.Buffer
	args := []string{"-timeout", "2s", "-json", reportPath, "./tiny"}
	if code := mutate(context.Background(), args, dir, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if after, _ := os.ReadFile(src); !bytes.Equal(before, after) {
		t.Error("the mutated file changed on disk")
	}
	b, err := os.ReadFile(reportPath)
	if err != nil {
		t.Fatal(err)
	}
	var rep report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Packages) != 1 {
		t.Fatalf("%d packages in the report, want 1", len(rep.Packages))
	}
	var got []string
	for _, m := range rep.Packages[0].Mutants {
		s := string(m.Status)
		if !m.Covered {
			s += ", not covered"
		}
		if m.Status != notBuilt && m.Covered {
			// Each is tested by the one test that runs its line.
			s += " by " + strings.Join(m.RanBy, ",")
		}
		got = append(got, m.Description+": "+s)
	}
	want := []string{
		"if v < lo -> true: killed by TestClamp",
		"if v < lo -> false: killed by TestClamp",
		"< -> <=: survived by TestClamp", // no test has v == lo
		"removed return lo: killed by TestClamp",
		"min -> max: killed by TestClamp",
		`+ -> -: not built`, // strings do not subtract
		"+ -> -: survived, not covered",
		"1 -> 0: survived, not covered",
		"0 -> 1: killed by TestSpin",   // s starts at 1
		"0 -> 1: survived by TestSpin", // i starts at 1: 1+2+3 is 0+1+2+3
		"for i < n -> false: killed by TestSpin",
		"< -> <=: killed by TestSpin",
		"++ -> --: timed out by TestSpin",
		"removed s += i: killed by TestSpin",
		"+= -> -=: killed by TestSpin",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mutants (-want +got):\n%s", diff)
	}
	c := rep.Packages[0].counts
	if c.Score == nil || c.CoveredScore == nil {
		t.Fatalf("no score: %+v", c)
	}
	out := stdout.String()
	for _, s := range []string{
		"tiny/tiny.go:4:7  < -> <=\n",
		"tiny/tiny.go:12:35  1 -> 0  (no test runs this line)\n",
	} {
		if !strings.Contains(out, s) {
			t.Errorf("the report does not list %q:\n%s", s, out)
		}
	}
}

// TestTestsThatNeedEachOther: when a test fails alone, the tests are not
// chosen by coverage and every test runs on every mutant.
func TestTestsThatNeedEachOther(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go test once per mutant")
	}
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("no go command")
	}
	dir := t.TempDir()
	files := map[string]string{
		"go.mod":       "module example.com/pair\n\ngo 1.24\n",
		"pair/pair.go": "package pair\n\nvar set bool\n\nfunc Set() { set = true }\n\nfunc Get() bool { return set }\n",
		"pair/pair_test.go": `package pair

import "testing"

func TestA(t *testing.T) { Set() }

func TestB(t *testing.T) {
	if !Get() {
		t.Error("TestA did not run first")
	}
}
`,
	}
	for name, src := range files {
		path := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	reportPath := filepath.Join(t.TempDir(), "report.json")
	var stdout, stderr bytes.Buffer
	if code := mutate(context.Background(), []string{"-timeout", "2s", "-json", reportPath, "./pair"}, dir, &stdout, &stderr); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	if !strings.Contains(stderr.String(), "every test runs on every mutant: TestB alone") {
		t.Errorf("no word of the fallback:\n%s", stderr.String())
	}
	b, err := os.ReadFile(reportPath)
	if err != nil {
		t.Fatal(err)
	}
	var rep report
	if err := json.Unmarshal(b, &rep); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range rep.Packages[0].Mutants {
		got = append(got, fmt.Sprintf("%s: %s %v", m.Description, m.Status, m.RanBy))
	}
	want := []string{"removed set = true: killed []"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("mutants (-want +got):\n%s", diff)
	}
}
