// Command mutate measures how strong a package's tests are by mutation
// testing: it makes many small changes to the package's code, one at a
// time, runs the package's own tests on each, and reports the changes the
// tests did not notice.
//
// Usage:
//
//	go run ./internal/mutate [flags] [packages]
//
// The packages are go list patterns (default "."). Each non-test file is
// parsed and rewritten at one position per mutant: operators (< <=, > >=,
// == !=, + -, * /, && ||, ! removed, ++ --, += -=), integer constants
// (0 1, n n+1), guards (an if condition forced true and false, a for
// condition forced false), method calls (Before After, Add Sub,
// GreaterThan GreaterThanOrEqual, LessThan LessThanOrEqual, IsPositive
// IsNegative, Round Truncate, min max, Cmp and Compare negated) and
// statements (a call, an assignment, an increment, a break or continue
// deleted; a return inside an if deleted).
//
// A mutant is first type-checked in process, as the compiler would check
// it; one that compiles is applied with go test -overlay, the repository
// untouched, and is then one of:
//
//	killed     a test failed
//	timed out  the tests ran past the timeout (counted as killed)
//	survived   every test passed
//	not built  the package or its tests did not compile; left out of
//	           every score
//
// The clean suite runs once first with -coverprofile, and each mutant is
// marked as on a line some test runs or not. Then each top-level test,
// example and fuzz target runs alone with a profile of its own, and a
// mutant is tested by the tests that run its line only (all of them for a
// package-level declaration), with -failfast and without vet: no other
// test can notice it, and a kill needs one failure. A mutant on a line no
// test runs survives without a run, once it compiles. For each package the report
// gives two scores: the mutants killed among those that compile on lines
// the tests run, and among all that compile, a mutant on a line no test
// runs counting as a survivor. It lists every survivor as
// file:line:col and what changed.
//
// The same tree gives the same mutants in the same order; each mutant's
// id is its place among its package's mutants, whatever the other
// packages and -file, -kind, -sample or -shard select.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	os.Exit(mutate(ctx, os.Args[1:], ".", os.Stdout, os.Stderr))
}

type options struct {
	patterns []string
	file     *regexp.Regexp
	kinds    map[string]bool
	ids      map[int]bool
	parallel int
	sample   int
	shard    int // 1-based; 0 means all
	shards   int
	timeout  time.Duration
	json     string
	list     bool
	verbose  bool
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("mutate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "usage: go run ./internal/mutate [flags] [packages]\n\n")
		fs.PrintDefaults()
	}
	o := &options{}
	file := fs.String("file", "", "only mutate files whose path from the module root matches this regular expression")
	kinds := fs.String("kind", "", "only these kinds of mutant, comma-separated: "+strings.Join(allKinds, ", "))
	ids := fs.String("id", "", "only the mutants with these ids, comma-separated (one package only): a report's survivors again")
	fs.IntVar(&o.parallel, "parallel", 2, "mutants tested at once")
	fs.IntVar(&o.sample, "sample", 0, "test only this many mutants, evenly spaced in the order (0: all)")
	shard := fs.String("shard", "", "test only shard K of N (K/N, 1-based): every Nth mutant from the Kth")
	fs.DurationVar(&o.timeout, "timeout", 0, "how long one mutant's tests may run (0: 10 times the clean run, at least 30s)")
	fs.StringVar(&o.json, "json", "", "also write the report as JSON to this file")
	fs.BoolVar(&o.list, "list", false, "list the selected mutants and run nothing")
	fs.BoolVar(&o.verbose, "v", false, "print each mutant's result as it comes")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	o.patterns = fs.Args()
	if len(o.patterns) == 0 {
		o.patterns = []string{"."}
	}
	var err error
	if *file != "" {
		if o.file, err = regexp.Compile(*file); err != nil {
			return nil, fmt.Errorf("-file: %v", err)
		}
	}
	if *kinds != "" {
		o.kinds = map[string]bool{}
		for _, k := range strings.Split(*kinds, ",") {
			if k = strings.TrimSpace(k); !slices.Contains(allKinds, k) {
				return nil, fmt.Errorf("-kind: %q is not one of %s", k, strings.Join(allKinds, ", "))
			}
			o.kinds[k] = true
		}
	}
	if *ids != "" {
		o.ids = map[int]bool{}
		for _, f := range strings.Split(*ids, ",") {
			id, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || id < 1 {
				return nil, fmt.Errorf("-id: %q is not a mutant id (1, 2, ...)", f)
			}
			o.ids[id] = true
		}
	}
	if *shard != "" {
		k, n, ok := strings.Cut(*shard, "/")
		o.shard, err = strconv.Atoi(k)
		if o.shards, _ = strconv.Atoi(n); !ok || err != nil || o.shards < 1 || o.shard < 1 || o.shard > o.shards {
			return nil, fmt.Errorf("-shard: %q is not K/N with 1 <= K <= N", *shard)
		}
	}
	if o.parallel < 1 {
		return nil, fmt.Errorf("-parallel: %d is not at least 1", o.parallel)
	}
	if o.sample < 0 {
		return nil, fmt.Errorf("-sample: %d is negative", o.sample)
	}
	if o.timeout < 0 {
		return nil, fmt.Errorf("-timeout: %v is negative", o.timeout)
	}
	return o, nil
}

// goPackage is the part of `go list -json` the tool reads.
type goPackage struct {
	ImportPath   string
	Dir          string
	GoFiles      []string
	TestGoFiles  []string
	XTestGoFiles []string
	TestImports  []string
	XTestImports []string
	Module       *struct{ Dir string }
	Error        *struct{ Err string }
}

// A pkgRun is one package's mutants and what is known of its clean run.
type pkgRun struct {
	goPackage
	results []*result
	extra   []string // flags for the test binary
	cov     coverage
	timeout time.Duration
	check   *checker
	note    string // why the tests are not chosen by coverage, if they are not
}

type result struct {
	ID int
	mutant
	abs     string // the file's absolute path
	Covered bool
	Status  status
	Tests   []string // the tests that failed, for a killed mutant
	Detail  string   // what the go command said, for an error
	run     []string // the top-level tests that run its line; nil: all
}

// mutate runs the tool in dir and returns its exit status.
func mutate(ctx context.Context, args []string, dir string, stdout, stderr io.Writer) int {
	start := time.Now()
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintln(stderr, "mutate:", err)
		return 2
	}
	pkgs, err := load(ctx, dir, o)
	if err != nil {
		fmt.Fprintln(stderr, "mutate:", err)
		return 1
	}
	if o.list {
		for _, p := range pkgs {
			for _, r := range p.results {
				fmt.Fprintf(stdout, "%d\t%s:%d:%d\t%s\t%s\n", r.ID, r.File, r.Line, r.Col, r.Kind, r.Desc)
			}
		}
		return 0
	}
	total := 0
	for _, p := range pkgs {
		if len(p.results) == 0 {
			continue
		}
		total += len(p.results)
		if err := prepare(ctx, p, o); err != nil {
			fmt.Fprintln(stderr, "mutate:", err)
			return 1
		}
		fmt.Fprintf(stderr, "mutate: %s: %d mutants, timeout %v\n", p.ImportPath, len(p.results), p.timeout)
		if p.note != "" {
			fmt.Fprintf(stderr, "mutate: %s: %s\n", p.ImportPath, p.note)
		}
	}
	if err := runAll(ctx, pkgs, o, total, time.Now(), stderr); err != nil {
		fmt.Fprintln(stderr, "mutate:", err)
		return 1
	}
	rep := newReport(goVersion(ctx, dir), pkgs)
	rep.write(stdout)
	if o.json != "" {
		b, err := json.MarshalIndent(rep, "", "\t")
		if err == nil {
			err = os.WriteFile(o.json, append(b, '\n'), 0o644)
		}
		if err != nil {
			fmt.Fprintln(stderr, "mutate:", err)
			return 1
		}
	}
	fmt.Fprintf(stderr, "mutate: %d mutants tested in %v\n", total, time.Since(start).Round(time.Second))
	return 0
}

// load lists the packages, generates their mutants and keeps the ones the
// options select.
func load(ctx context.Context, dir string, o *options) ([]*pkgRun, error) {
	cmd := exec.CommandContext(ctx, "go", append([]string{"list", "-json"}, o.patterns...)...)
	cmd.Dir = dir
	var errb strings.Builder
	cmd.Stderr = &errb
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("go list: %v\n%s", err, errb.String())
	}
	var pkgs []*pkgRun
	dec := json.NewDecoder(strings.NewReader(string(out)))
	for dec.More() {
		p := &pkgRun{}
		if err := dec.Decode(&p.goPackage); err != nil {
			return nil, fmt.Errorf("go list: %v", err)
		}
		if p.Error != nil {
			return nil, fmt.Errorf("%s: %s", p.ImportPath, p.Error.Err)
		}
		if p.Module == nil {
			return nil, fmt.Errorf("%s is not in a module", p.ImportPath)
		}
		pkgs = append(pkgs, p)
	}
	if o.ids != nil && len(pkgs) != 1 {
		return nil, fmt.Errorf("-id: ids are a package's own; %d packages selected, want one", len(pkgs))
	}
	var all []*result
	for _, p := range pkgs {
		rs, err := mutants(p)
		if err != nil {
			return nil, err
		}
		for i, r := range rs {
			r.ID = i + 1
		}
		all = append(all, rs...)
	}
	all = slices.DeleteFunc(all, func(r *result) bool {
		return o.file != nil && !o.file.MatchString(r.File) || o.kinds != nil && !o.kinds[r.Kind] || o.ids != nil && !o.ids[r.ID]
	})
	if o.sample > 0 && o.sample < len(all) {
		picked := make([]*result, o.sample)
		for j := range picked {
			picked[j] = all[j*len(all)/o.sample]
		}
		all = picked
	}
	if o.shards > 0 {
		var mine []*result
		for i, r := range all {
			if i%o.shards == o.shard-1 {
				mine = append(mine, r)
			}
		}
		all = mine
	}
	keep := map[*result]bool{}
	for _, r := range all {
		keep[r] = true
	}
	for _, p := range pkgs {
		p.results = slices.DeleteFunc(p.results, func(r *result) bool { return !keep[r] })
		for _, imp := range append(p.TestImports, p.XTestImports...) {
			if imp == "pgregory.net/rapid" {
				// rapid draws a new seed each run, which would make a
				// mutant killed in one run survive the next: fix it. A
				// failure needs no minimal case here (shrinking can take
				// 30s per test), and must not leave one saved under
				// testdata/rapid.
				p.extra = []string{"-rapid.seed=1", "-rapid.shrinktime=0", "-rapid.nofailfile"}
			}
		}
	}
	return pkgs, nil
}

// mutants parses a package's non-test files and returns their mutants,
// file by file in go list's order. Generated files have none.
func mutants(p *pkgRun) ([]*result, error) {
	fset := token.NewFileSet()
	var files []*ast.File
	var srcs [][]byte
	for _, name := range p.GoFiles {
		path := filepath.Join(p.Dir, name)
		src, err := os.ReadFile(path)
		if err != nil {
			return nil, err
		}
		f, err := parser.ParseFile(fset, path, src, parser.ParseComments|parser.SkipObjectResolution)
		if err != nil {
			return nil, err
		}
		files = append(files, f)
		srcs = append(srcs, src)
	}
	scope := topLevelNames(files)
	for i, f := range files {
		if ast.IsGenerated(f) {
			continue
		}
		path := filepath.Join(p.Dir, p.GoFiles[i])
		rel, err := filepath.Rel(p.Module.Dir, path)
		if err != nil {
			return nil, err
		}
		for _, m := range generate(fset, f, srcs[i], filepath.ToSlash(rel), scope) {
			p.results = append(p.results, &result{mutant: m, abs: path})
		}
	}
	return p.results, nil
}

// prepare runs a package's tests without mutants, finds the tests that
// run each mutant's line and readies the type checker.
func prepare(ctx context.Context, p *pkgRun, o *options) error {
	if err := clean(ctx, p, o.timeout); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "mutate-tests-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	if err := testsByCoverage(ctx, p, o.parallel, tmp); err != nil {
		return err
	}
	p.check, err = newChecker(ctx, p, moduleGoVersion(p.Module.Dir))
	return err
}

// clean runs a package's tests without mutants, with a coverage profile,
// and sets the package's timeout from how long they took.
func clean(ctx context.Context, p *pkgRun, timeout time.Duration) error {
	tmp, err := os.MkdirTemp("", "mutate-cover-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	profile := filepath.Join(tmp, "cover.out")
	// Flags go test does not know pass to the test binary, with all
	// that follows them: the package comes first.
	args := append([]string{"test", "-count=1", "-json", "-coverprofile=" + profile, "."}, p.extra...)
	begin := time.Now()
	out, errOut, zero, _ := goTest(ctx, p.Dir, args, 0)
	took := time.Since(begin)
	if st, _ := classify(out, errOut, zero, false); st != survived {
		return fmt.Errorf("%s: the tests do not pass without mutants (%s):\n%s%s", p.ImportPath, st, lastLines(plainOutput(out), 20), errOut)
	}
	f, err := os.Open(profile)
	if err != nil {
		return err
	}
	defer f.Close()
	if p.cov, err = parseCoverage(f); err != nil {
		return err
	}
	for _, r := range p.results {
		rel, _ := filepath.Rel(p.Dir, r.abs)
		r.Covered = p.cov.covered(p.ImportPath+"/"+filepath.ToSlash(rel), r.Line, r.Col)
	}
	p.timeout = timeout
	if p.timeout == 0 {
		p.timeout = max(30*time.Second, 10*took.Round(time.Second))
	}
	return nil
}

// runAll tests every selected mutant, o.parallel at a time, and says how
// far it has come since start.
func runAll(ctx context.Context, pkgs []*pkgRun, o *options, total int, start time.Time, stderr io.Writer) error {
	type job struct {
		p *pkgRun
		r *result
	}
	jobs := make(chan job)
	var (
		mu   sync.Mutex
		done int
		werr error
		wg   sync.WaitGroup
	)
	for range min(o.parallel, max(total, 1)) {
		tmp, err := os.MkdirTemp("", "mutate-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				err := test(ctx, j.p, j.r, tmp)
				mu.Lock()
				done++
				if err != nil && werr == nil {
					werr = err
				}
				if o.verbose {
					fmt.Fprintf(stderr, "[%d/%d] %-9s %s:%d:%d  %s\n", done, total, j.r.Status, j.r.File, j.r.Line, j.r.Col, j.r.Desc)
				} else if done%max(total/20, 1) == 0 || done == total {
					el := time.Since(start)
					left := time.Duration(float64(el) / float64(done) * float64(total-done))
					fmt.Fprintf(stderr, "mutate: %d/%d tested, %v so far, about %v to go\n", done, total, el.Round(time.Second), left.Round(time.Second))
				}
				mu.Unlock()
			}
		}()
	}
feed:
	for _, p := range pkgs {
		for _, r := range p.results {
			select {
			case jobs <- job{p, r}:
			case <-ctx.Done():
				break feed
			}
		}
	}
	close(jobs)
	wg.Wait()
	if werr == nil {
		werr = ctx.Err()
	}
	return werr
}

// test runs a package's tests on one mutant, through an overlay in tmp,
// and records the result.
func test(ctx context.Context, p *pkgRun, r *result, tmp string) error {
	src, err := os.ReadFile(r.abs)
	if err != nil {
		return err
	}
	changed := r.apply(src)
	if err := p.check.check(r.abs, changed); err != nil {
		// It does not compile: no go test needed to say so.
		r.Status, r.Detail = notBuilt, err.Error()
		return nil
	}
	if !r.Covered {
		// No test runs the line, so none can tell the mutant from
		// the code: it survives.
		r.Status = survived
		return nil
	}
	mutated := filepath.Join(tmp, filepath.Base(r.abs))
	if err := os.WriteFile(mutated, changed, 0o644); err != nil {
		return err
	}
	overlay, _ := json.Marshal(map[string]map[string]string{"Replace": {r.abs: mutated}})
	ov := filepath.Join(tmp, "overlay.json")
	if err := os.WriteFile(ov, overlay, 0o644); err != nil {
		return err
	}
	// vet is off: whether a mutant counts is whether it compiles. The
	// first failing test is enough to kill it.
	args := []string{"test", "-count=1", "-json", "-vet=off", "-failfast", "-overlay=" + ov, "-timeout=" + p.timeout.String()}
	if r.run != nil {
		args = append(args, "-run="+runPattern(r.run))
	}
	args = append(append(args, "."), p.extra...)
	// The test binary stops itself after the timeout; the hard deadline
	// is for a build or a binary that does not.
	out, errOut, zero, deadline := goTest(ctx, p.Dir, args, 2*p.timeout+time.Minute)
	if ctx.Err() != nil {
		return ctx.Err()
	}
	r.Status, r.Tests = classify(out, errOut, zero, deadline)
	if r.Status == failed {
		r.Detail = strings.Join(strings.Fields(lastLines(plainOutput(out)+string(errOut), 5)), " ")
	}
	return nil
}

// goTest runs the go command in dir and returns its standard output and
// error, whether it exited with status zero, and whether it was stopped at
// the deadline (none if zero).
func goTest(ctx context.Context, dir string, args []string, deadline time.Duration) (stdout, stderr []byte, zero, stopped bool) {
	if deadline > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, deadline)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	killGroup(cmd)
	cmd.WaitDelay = 10 * time.Second
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	err := cmd.Run()
	return []byte(out.String()), []byte(errOut.String()), err == nil, errors.Is(ctx.Err(), context.DeadlineExceeded)
}

func lastLines(s string, n int) string {
	lines := strings.SplitAfter(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "")
}

// plainOutput returns what go test would have printed without -json.
func plainOutput(stdout []byte) string {
	var b strings.Builder
	for _, line := range strings.SplitAfter(string(stdout), "\n") {
		var e testEvent
		if json.Unmarshal([]byte(line), &e) != nil {
			b.WriteString(line)
		} else {
			b.WriteString(e.Output)
		}
	}
	return b.String()
}

// goVersion returns the version of the go command that runs the tests.
func goVersion(ctx context.Context, dir string) string {
	cmd := exec.CommandContext(ctx, "go", "env", "GOVERSION")
	cmd.Dir = dir
	out, _ := cmd.Output()
	return strings.TrimSpace(string(out))
}
