package main

import (
	"context"
	"fmt"
	"go/ast"
	"go/importer"
	"go/parser"
	"go/token"
	"go/types"
	"io"
	"os"
	"os/exec"
	"strings"
	"sync"
)

// A checker type-checks a package's non-test files with one of them
// replaced, in process, as the compiler would: a mutant it refuses (an
// unused variable, strings subtracted) does not compile, and costs no go
// test run. The package's imports come from their export data, which go
// list -export builds once into the build cache.
type checker struct {
	mu    sync.Mutex // the importer is not safe for concurrent use
	fset  *token.FileSet
	files []*ast.File // the package's files as they are, by place in GoFiles
	paths []string
	conf  types.Config
}

func newChecker(ctx context.Context, p *pkgRun, goVersion string) (*checker, error) {
	cmd := exec.CommandContext(ctx, "go", "list", "-deps", "-export", "-f", "{{if .Export}}{{.ImportPath}} {{.Export}}{{end}}", ".")
	cmd.Dir = p.Dir
	var errb strings.Builder
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("%s: go list -export: %v\n%s", p.ImportPath, err, errb.String())
	}
	export := map[string]string{}
	for _, line := range strings.Split(string(out), "\n") {
		if path, file, ok := strings.Cut(line, " "); ok {
			export[path] = file
		}
	}
	c := &checker{fset: token.NewFileSet()}
	lookup := func(path string) (io.ReadCloser, error) {
		file, ok := export[path]
		if !ok {
			return nil, fmt.Errorf("no export data for %q", path)
		}
		return os.Open(file)
	}
	c.conf = types.Config{
		GoVersion: goVersion,
		Importer:  importer.ForCompiler(c.fset, "gc", lookup),
		Error:     func(error) {}, // collect them all; Check returns the first
	}
	for _, name := range p.GoFiles {
		path := p.Dir + string(os.PathSeparator) + name
		f, err := parser.ParseFile(c.fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		c.files = append(c.files, f)
		c.paths = append(c.paths, path)
	}
	if err := c.check("", nil); err != nil {
		return nil, fmt.Errorf("%s does not type-check without mutants: %v", p.ImportPath, err)
	}
	return c, nil
}

// check type-checks the package with the file at path replaced by src
// (none when path is "") and returns the first error.
func (c *checker) check(path string, src []byte) error {
	files := c.files
	if path != "" {
		files = make([]*ast.File, len(c.files))
		copy(files, c.files)
		i := -1
		for j, p := range c.paths {
			if p == path {
				i = j
			}
		}
		if i < 0 {
			return fmt.Errorf("%s is not one of the package's files", path)
		}
		f, err := parser.ParseFile(c.fset, path, src, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		files[i] = f
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	_, err := c.conf.Check(files[0].Name.Name, c.fset, files, nil)
	return err
}

// moduleGoVersion returns the go line of the go.mod in dir as a go/types
// version ("go1.24"), or "" when there is none.
func moduleGoVersion(dir string) string {
	b, err := os.ReadFile(dir + string(os.PathSeparator) + "go.mod")
	if err != nil {
		return ""
	}
	for _, line := range strings.Split(string(b), "\n") {
		if f := strings.Fields(line); len(f) == 2 && f[0] == "go" {
			v := f[1]
			if parts := strings.Split(v, "."); len(parts) > 2 {
				v = parts[0] + "." + parts[1] // go/types takes no patch release
			}
			return "go" + v
		}
	}
	return ""
}
