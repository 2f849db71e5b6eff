package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"sort"
	"strconv"
	"strings"
)

// The kinds of mutation, in the order -kind lists them.
const (
	kindOperator  = "operator"  // < <=, > >=, == !=, + -, * /, && ||, !, ++ --, += -=
	kindConstant  = "constant"  // integer literals: 0 1, n n+1
	kindGuard     = "guard"     // if conditions forced true and false, for conditions forced false
	kindCall      = "call"      // Before After, Add Sub, min max, Cmp negated, ...
	kindStatement = "statement" // a call, an assignment, a return in an if, a break or continue deleted
)

var allKinds = []string{kindOperator, kindConstant, kindGuard, kindCall, kindStatement}

// A mutant is one change at one position of one file: the bytes
// src[off:end] replaced by repl. Line and Col locate the change in the
// original file.
type mutant struct {
	File      string // slash-separated path from the module root
	Line, Col int
	Kind      string
	Desc      string

	off, end int
	repl     string
}

// binarySwaps says what each binary operator becomes.
var binarySwaps = map[token.Token]token.Token{
	token.LSS:  token.LEQ,
	token.LEQ:  token.LSS,
	token.GTR:  token.GEQ,
	token.GEQ:  token.GTR,
	token.EQL:  token.NEQ,
	token.NEQ:  token.EQL,
	token.ADD:  token.SUB,
	token.SUB:  token.ADD,
	token.MUL:  token.QUO,
	token.LAND: token.LOR,
	token.LOR:  token.LAND,
}

// methodSwaps says which method name a call is switched to. The pairs are
// the decisions this code makes by calling methods on decimals and dates
// (shopspring/decimal, time.Time and the library's own types share these
// names); a swap that does not type-check on some receiver is discarded as
// not built.
var methodSwaps = map[string]string{
	"Before":             "After",
	"After":              "Before",
	"Add":                "Sub",
	"Sub":                "Add",
	"GreaterThan":        "GreaterThanOrEqual",
	"GreaterThanOrEqual": "GreaterThan",
	"LessThan":           "LessThanOrEqual",
	"LessThanOrEqual":    "LessThan",
	"IsPositive":         "IsNegative",
	"IsNegative":         "IsPositive",
	"Min":                "Max",
	"Max":                "Min",
	"Round":              "Truncate",
	"Truncate":           "Round",
	"RoundUp":            "RoundDown",
	"RoundDown":          "RoundUp",
	"RoundCeil":          "RoundFloor",
	"RoundFloor":         "RoundCeil",
}

// negatedCalls are the three-way comparisons whose result a mutant negates.
var negatedCalls = map[string]bool{"Cmp": true, "Compare": true}

// generate returns the mutants of one parsed file, in source order. src is
// the file's content, name its path from the module root, and pkgScope the
// names the package declares at top level (a package that declares its own
// min or max does not call the builtins).
func generate(fset *token.FileSet, f *ast.File, src []byte, name string, pkgScope map[string]bool) []mutant {
	g := &generator{fset: fset, src: src, name: name, scope: pkgScope}
	ast.Inspect(f, g.visit)
	// ast.Inspect visits a node before its children, which is source order
	// except where a child precedes its parent's mark (a binary operator
	// after its left operand); a stable sort on the offset fixes that and
	// keeps the several mutants of one position in the order made.
	sort.SliceStable(g.out, func(i, j int) bool { return g.out[i].off < g.out[j].off })
	valid := g.out[:0]
	for _, m := range g.out {
		if parses(name, m.apply(src)) {
			valid = append(valid, m)
		}
	}
	return valid
}

type generator struct {
	fset  *token.FileSet
	src   []byte
	name  string
	scope map[string]bool
	out   []mutant
}

func (g *generator) add(kind string, pos, end token.Pos, repl, desc string) {
	p := g.fset.Position(pos)
	g.out = append(g.out, mutant{
		File: g.name, Line: p.Line, Col: p.Column, Kind: kind, Desc: desc,
		off: p.Offset, end: g.fset.Position(end).Offset, repl: repl,
	})
}

func (g *generator) text(n ast.Node) string {
	return string(g.src[g.fset.Position(n.Pos()).Offset:g.fset.Position(n.End()).Offset])
}

func (g *generator) visit(n ast.Node) bool {
	switch n := n.(type) {
	case *ast.GenDecl:
		// Imports have no mutants; constants, variables and types keep
		// theirs (a changed constant is a changed decision).
		return n.Tok != token.IMPORT
	case *ast.BinaryExpr:
		if to, ok := binarySwaps[n.Op]; ok {
			g.add(kindOperator, n.OpPos, n.OpPos+token.Pos(len(n.Op.String())), to.String(),
				n.Op.String()+" -> "+to.String())
		}
	case *ast.UnaryExpr:
		if n.Op == token.NOT {
			g.add(kindOperator, n.OpPos, n.OpPos+1, "", "removed !")
		}
	case *ast.IncDecStmt:
		to := map[token.Token]token.Token{token.INC: token.DEC, token.DEC: token.INC}[n.Tok]
		g.add(kindOperator, n.TokPos, n.TokPos+2, to.String(), n.Tok.String()+" -> "+to.String())
	case *ast.AssignStmt:
		if to, ok := map[token.Token]token.Token{token.ADD_ASSIGN: token.SUB_ASSIGN, token.SUB_ASSIGN: token.ADD_ASSIGN}[n.Tok]; ok {
			g.add(kindOperator, n.TokPos, n.TokPos+2, to.String(), n.Tok.String()+" -> "+to.String())
		}
	case *ast.BasicLit:
		if n.Kind == token.INT {
			g.constant(n)
		}
	case *ast.IfStmt:
		if !isBool(n.Cond) {
			c := short(g.text(n.Cond))
			g.add(kindGuard, n.Cond.Pos(), n.Cond.End(), "true", "if "+c+" -> true")
			g.add(kindGuard, n.Cond.Pos(), n.Cond.End(), "false", "if "+c+" -> false")
		}
		g.returnsIn(n.Body)
		if e, ok := n.Else.(*ast.BlockStmt); ok {
			g.returnsIn(e)
		}
	case *ast.ForStmt:
		if n.Cond != nil && !isBool(n.Cond) {
			g.add(kindGuard, n.Cond.Pos(), n.Cond.End(), "false", "for "+short(g.text(n.Cond))+" -> false")
		}
	case *ast.CallExpr:
		g.call(n)
	case *ast.BlockStmt:
		g.deletions(n.List)
	case *ast.CaseClause:
		g.deletions(n.Body)
	case *ast.CommClause:
		g.deletions(n.Body)
	}
	return true
}

func (g *generator) constant(n *ast.BasicLit) {
	v, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
	if err != nil || v == 1<<64-1 {
		return
	}
	to := v + 1
	switch v {
	case 0:
		to = 1
	case 1:
		to = 0
	}
	s := strconv.FormatUint(to, 10)
	g.add(kindConstant, n.Pos(), n.End(), s, n.Value+" -> "+s)
}

func (g *generator) call(n *ast.CallExpr) {
	switch fun := n.Fun.(type) {
	case *ast.SelectorExpr:
		name := fun.Sel.Name
		if to, ok := methodSwaps[name]; ok {
			g.add(kindCall, fun.Sel.Pos(), fun.Sel.End(), to, name+" -> "+to)
		}
		if negatedCalls[name] && len(n.Args) == 1 {
			g.add(kindCall, n.Pos(), n.End(), "(-"+g.text(n)+")", name+" result negated")
		}
	case *ast.Ident:
		to := map[string]string{"min": "max", "max": "min"}[fun.Name]
		if to != "" && !g.scope[fun.Name] {
			g.add(kindCall, fun.Pos(), fun.End(), to, fun.Name+" -> "+to)
		}
	}
}

// deletions adds a mutant deleting each statement of a list that does
// something without declaring anything: a call or other expression, an
// assignment that is not a short variable declaration, an increment, a
// break or continue. (Returns are deleted only where an if guards them:
// see returnsIn.)
func (g *generator) deletions(list []ast.Stmt) {
	for _, s := range list {
		switch s := s.(type) {
		case *ast.ExprStmt, *ast.IncDecStmt:
		case *ast.AssignStmt:
			if s.Tok == token.DEFINE {
				continue
			}
		case *ast.BranchStmt:
			if s.Tok != token.BREAK && s.Tok != token.CONTINUE {
				continue
			}
		default:
			continue
		}
		g.add(kindStatement, s.Pos(), s.End(), "", "removed "+short(g.text(s)))
	}
}

func (g *generator) returnsIn(b *ast.BlockStmt) {
	for _, s := range b.List {
		if r, ok := s.(*ast.ReturnStmt); ok {
			g.add(kindStatement, r.Pos(), r.End(), "", "removed "+short(g.text(r)))
		}
	}
}

func (m mutant) apply(src []byte) []byte {
	out := make([]byte, 0, len(src)+len(m.repl))
	out = append(out, src[:m.off]...)
	out = append(out, m.repl...)
	return append(out, src[m.end:]...)
}

func parses(name string, src []byte) bool {
	_, err := parser.ParseFile(token.NewFileSet(), name, src, parser.SkipObjectResolution)
	return err == nil
}

func isBool(e ast.Expr) bool {
	id, ok := e.(*ast.Ident)
	return ok && (id.Name == "true" || id.Name == "false")
}

// short returns source text on one line and at most 40 characters, for a
// description a maintainer reads in a list.
func short(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > 40 {
		s = string(r[:37]) + "..."
	}
	return s
}

// topLevelNames returns the names a package's files declare at top level.
func topLevelNames(files []*ast.File) map[string]bool {
	names := map[string]bool{}
	for _, f := range files {
		for _, d := range f.Decls {
			switch d := d.(type) {
			case *ast.FuncDecl:
				if d.Recv == nil {
					names[d.Name.Name] = true
				}
			case *ast.GenDecl:
				for _, s := range d.Specs {
					switch s := s.(type) {
					case *ast.ValueSpec:
						for _, n := range s.Names {
							names[n.Name] = true
						}
					case *ast.TypeSpec:
						names[s.Name.Name] = true
					}
				}
			}
		}
	}
	return names
}
