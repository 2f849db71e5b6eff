package main

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const snippet = `package p

import "time"

const limit = 2

func min(a, b int) int { return a }

func f(a, b int, t, u time.Time, ok bool) int {
	if a < b && !ok {
		return a
	}
	for i := 0; i < limit; i++ {
		if i == a {
			break
		}
		b += i
	}
	x := max(a, b)
	x = x * 2
	g(t.Before(u), a.Cmp(b))
	return x
}
`

// mutantsOf returns the mutants of one file as "line:col kind desc" and
// the line the mutant changes, as it reads after the change.
func mutantsOf(t *testing.T, src string) []string {
	t.Helper()
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", src, parser.ParseComments|parser.SkipObjectResolution)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, m := range generate(fset, f, []byte(src), "p/p.go", topLevelNames([]*ast.File{f})) {
		if m.File != "p/p.go" {
			t.Errorf("mutant %+v: file %q, want p/p.go", m, m.File)
		}
		line := strings.Split(string(m.apply([]byte(src))), "\n")[m.Line-1]
		got = append(got, fmt.Sprintf("%d:%d %s %s | %s", m.Line, m.Col, m.Kind, m.Desc, strings.TrimSpace(line)))
	}
	return got
}

func TestGenerate(t *testing.T) {
	want := []string{
		"5:15 constant 2 -> 3 | const limit = 3",
		"10:5 guard if a < b && !ok -> true | if true {",
		"10:5 guard if a < b && !ok -> false | if false {",
		"10:7 operator < -> <= | if a <= b && !ok {",
		"10:11 operator && -> || | if a < b || !ok {",
		"10:14 operator removed ! | if a < b && ok {",
		"11:3 statement removed return a | ",
		"13:11 constant 0 -> 1 | for i := 1; i < limit; i++ {",
		"13:14 guard for i < limit -> false | for i := 0; false; i++ {",
		"13:16 operator < -> <= | for i := 0; i <= limit; i++ {",
		"13:26 operator ++ -> -- | for i := 0; i < limit; i-- {",
		"14:6 guard if i == a -> true | if true {",
		"14:6 guard if i == a -> false | if false {",
		"14:8 operator == -> != | if i != a {",
		"15:4 statement removed break | ",
		"17:3 statement removed b += i | ",
		"17:5 operator += -> -= | b -= i",
		// The package declares its own min, so max is the builtin and min
		// is not.
		"19:7 call max -> min | x := min(a, b)",
		"20:2 statement removed x = x * 2 | ",
		"20:8 operator * -> / | x = x / 2",
		"20:10 constant 2 -> 3 | x = x * 3",
		"21:2 statement removed g(t.Before(u), a.Cmp(b)) | ",
		"21:6 call Before -> After | g(t.After(u), a.Cmp(b))",
		"21:17 call Cmp result negated | g(t.Before(u), (-a.Cmp(b)))",
	}
	if diff := cmp.Diff(want, mutantsOf(t, snippet)); diff != "" {
		t.Errorf("mutants (-want +got):\n%s", diff)
	}
}

func TestGenerateCalls(t *testing.T) {
	src := `package p

func f() {
	_ = a.Add(b).Sub(c).Round(2).IsPositive()
	_ = a.GreaterThan(b) || a.LessThanOrEqual(b) || min(a, b) > decimal.Max(a, b)
	_ = t.After(u) && d.Compare(e) > 0 && a.Equal(b)
}
`
	want := []string{
		"4:2 statement removed _ = a.Add(b).Sub(c).Round(2).IsPositi... | ",
		"4:8 call Add -> Sub | _ = a.Sub(b).Sub(c).Round(2).IsPositive()",
		"4:15 call Sub -> Add | _ = a.Add(b).Add(c).Round(2).IsPositive()",
		"4:22 call Round -> Truncate | _ = a.Add(b).Sub(c).Truncate(2).IsPositive()",
		"4:28 constant 2 -> 3 | _ = a.Add(b).Sub(c).Round(3).IsPositive()",
		"4:31 call IsPositive -> IsNegative | _ = a.Add(b).Sub(c).Round(2).IsNegative()",
		"5:2 statement removed _ = a.GreaterThan(b) || a.LessThanOrE... | ",
		"5:8 call GreaterThan -> GreaterThanOrEqual | _ = a.GreaterThanOrEqual(b) || a.LessThanOrEqual(b) || min(a, b) > decimal.Max(a, b)",
		"5:23 operator || -> && | _ = a.GreaterThan(b) && a.LessThanOrEqual(b) || min(a, b) > decimal.Max(a, b)",
		"5:28 call LessThanOrEqual -> LessThan | _ = a.GreaterThan(b) || a.LessThan(b) || min(a, b) > decimal.Max(a, b)",
		"5:47 operator || -> && | _ = a.GreaterThan(b) || a.LessThanOrEqual(b) && min(a, b) > decimal.Max(a, b)",
		"5:50 call min -> max | _ = a.GreaterThan(b) || a.LessThanOrEqual(b) || max(a, b) > decimal.Max(a, b)",
		"5:60 operator > -> >= | _ = a.GreaterThan(b) || a.LessThanOrEqual(b) || min(a, b) >= decimal.Max(a, b)",
		"5:70 call Max -> Min | _ = a.GreaterThan(b) || a.LessThanOrEqual(b) || min(a, b) > decimal.Min(a, b)",
		"6:2 statement removed _ = t.After(u) && d.Compare(e) > 0 &&... | ",
		"6:8 call After -> Before | _ = t.Before(u) && d.Compare(e) > 0 && a.Equal(b)",
		"6:17 operator && -> || | _ = t.After(u) || d.Compare(e) > 0 && a.Equal(b)",
		"6:20 call Compare result negated | _ = t.After(u) && (-d.Compare(e)) > 0 && a.Equal(b)",
		"6:33 operator > -> >= | _ = t.After(u) && d.Compare(e) >= 0 && a.Equal(b)",
		"6:35 constant 0 -> 1 | _ = t.After(u) && d.Compare(e) > 1 && a.Equal(b)",
		"6:37 operator && -> || | _ = t.After(u) && d.Compare(e) > 0 || a.Equal(b)",
	}
	if diff := cmp.Diff(want, mutantsOf(t, src)); diff != "" {
		t.Errorf("mutants (-want +got):\n%s", diff)
	}
}
