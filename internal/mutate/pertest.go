package main

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
)

// testsByCoverage runs each of a package's top-level tests, examples and
// fuzz targets (their seed corpus) alone, with a coverage profile, from one
// test binary, and records for every mutant the tests that run its line:
// only those can notice it, so only those run on it. A mutant in no block
// of the profiles (a package-level declaration) keeps every test. If a test
// fails alone (it needs another test's state), the package is left to run
// all of its tests on every mutant, which is never wrong, only slower.
func testsByCoverage(ctx context.Context, p *pkgRun, parallel int, tmp string) error {
	bin := filepath.Join(tmp, "pkg.test")
	build := exec.CommandContext(ctx, "go", "test", "-c", "-cover", "-o", bin, ".")
	build.Dir = p.Dir
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("%s: go test -c -cover: %v\n%s", p.ImportPath, err, out)
	}
	list := exec.CommandContext(ctx, bin, "-test.list", ".*")
	list.Dir = p.Dir
	out, err := list.Output()
	if err != nil {
		return fmt.Errorf("%s: -test.list: %v", p.ImportPath, err)
	}
	var names []string
	for _, n := range strings.Fields(string(out)) {
		if !strings.HasPrefix(n, "Benchmark") {
			names = append(names, n)
		}
	}
	profiles := make([]coverage, len(names))
	errs := make([]error, len(names))
	next := make(chan int)
	var wg sync.WaitGroup
	for w := range max(parallel, 1) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				profile := filepath.Join(tmp, fmt.Sprintf("cover-%d-%d.out", w, i))
				args := append([]string{"-test.run", "^" + regexp.QuoteMeta(names[i]) + "$", "-test.count=1",
					"-test.coverprofile=" + profile}, p.extra...)
				cmd := exec.CommandContext(ctx, bin, args...)
				cmd.Dir = p.Dir
				killGroup(cmd)
				if out, err := cmd.CombinedOutput(); err != nil {
					errs[i] = fmt.Errorf("%s alone: %v\n%s", names[i], err, lastLines(string(out), 10))
					continue
				}
				f, err := os.Open(profile)
				if err != nil {
					errs[i] = err
					continue
				}
				profiles[i], errs[i] = parseCoverage(f)
				f.Close()
				os.Remove(profile)
			}
		}()
	}
	for i := range names {
		next <- i
	}
	close(next)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			p.note = fmt.Sprintf("every test runs on every mutant: %v", err)
			return nil
		}
	}
	for _, r := range p.results {
		rel, _ := filepath.Rel(p.Dir, r.abs)
		file := p.ImportPath + "/" + filepath.ToSlash(rel)
		r.run = []string{}
		inBlock := false
		for i, c := range profiles {
			in, ran := c.state(file, r.Line, r.Col)
			inBlock = inBlock || in
			if ran {
				r.run = append(r.run, names[i])
			}
		}
		if !inBlock || len(r.run) == 0 {
			// A declaration, or a line only the tests together run
			// (the clean run's profile decides whether it counts as
			// run): every test.
			r.run = nil
		}
	}
	return nil
}

// runPattern is the -run pattern that selects exactly the named top-level
// tests.
func runPattern(names []string) string {
	quoted := make([]string, len(names))
	for i, n := range names {
		quoted[i] = regexp.QuoteMeta(n)
	}
	return "^(" + strings.Join(quoted, "|") + ")$"
}
