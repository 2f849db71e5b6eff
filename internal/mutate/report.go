package main

import (
	"fmt"
	"io"
	"math"
)

// The report holds nothing that varies from run to run on the same tree
// (no times, no timeouts), so two runs can be compared with diff.
type report struct {
	Go       string          `json:"go"`
	Packages []packageReport `json:"packages"`
	Total    counts          `json:"total"`
}

type packageReport struct {
	Package string `json:"package"`
	counts
	Mutants []mutantReport `json:"mutants"`
}

type counts struct {
	Mutants  int `json:"mutants"`
	NotBuilt int `json:"notBuilt"`
	Killed   int `json:"killed"`
	TimedOut int `json:"timedOut"`
	Survived int `json:"survived"`
	Errors   int `json:"errors"`
	// Of the mutants that compiled, those on lines no test runs, and how
	// many of them survived.
	Uncovered         int `json:"uncovered"`
	UncoveredSurvived int `json:"uncoveredSurvived"`
	// Score is the percentage of compiling mutants killed (timed out
	// included), a mutant on a line no test runs counting as a survivor;
	// CoveredScore the same over the mutants on lines the tests run. Null
	// when there is nothing to divide by.
	Score        *float64 `json:"score"`
	CoveredScore *float64 `json:"coveredScore"`
}

type mutantReport struct {
	ID          int      `json:"id"`
	File        string   `json:"file"`
	Line        int      `json:"line"`
	Col         int      `json:"col"`
	Kind        string   `json:"kind"`
	Description string   `json:"description"`
	Covered     bool     `json:"covered"`
	Status      status   `json:"status"`
	KilledBy    []string `json:"killedBy,omitempty"`
	// RanBy is the tests that run the mutant's line, the only ones run
	// on it; absent when every test ran.
	RanBy  []string `json:"ranBy,omitempty"`
	Detail string   `json:"detail,omitempty"`
}

func (c *counts) add(r *result) {
	c.Mutants++
	switch r.Status {
	case notBuilt:
		c.NotBuilt++
		return
	case failed:
		c.Errors++
		return
	case killed:
		c.Killed++
	case timedOut:
		c.TimedOut++
	case survived:
		c.Survived++
	}
	if !r.Covered {
		c.Uncovered++
		if r.Status == survived {
			c.UncoveredSurvived++
		}
	}
}

func (c *counts) score() {
	compiling := c.Killed + c.TimedOut + c.Survived
	c.Score = percent(c.Killed+c.TimedOut, compiling)
	c.CoveredScore = percent(c.Killed+c.TimedOut-(c.Uncovered-c.UncoveredSurvived), compiling-c.Uncovered)
}

func percent(n, of int) *float64 {
	if of == 0 {
		return nil
	}
	p := math.Round(1000*float64(n)/float64(of)) / 10
	return &p
}

func newReport(goVersion string, pkgs []*pkgRun) *report {
	rep := &report{Go: goVersion, Packages: []packageReport{}}
	for _, p := range pkgs {
		if len(p.results) == 0 {
			continue
		}
		pr := packageReport{Package: p.ImportPath, Mutants: []mutantReport{}}
		for _, r := range p.results {
			pr.add(r)
			rep.Total.add(r)
			pr.Mutants = append(pr.Mutants, mutantReport{
				ID: r.ID, File: r.File, Line: r.Line, Col: r.Col, Kind: r.Kind, Description: r.Desc,
				Covered: r.Covered, Status: r.Status, KilledBy: r.Tests, RanBy: r.run, Detail: r.Detail,
			})
		}
		pr.score()
		rep.Packages = append(rep.Packages, pr)
	}
	rep.Total.score()
	return rep
}

// write prints the report for a maintainer: per package the counts, the
// two scores, and every survivor and error by position.
func (rep *report) write(w io.Writer) {
	for _, p := range rep.Packages {
		fmt.Fprintf(w, "%s\n", p.Package)
		p.writeCounts(w, "  ")
		for _, m := range p.Mutants {
			switch {
			case m.Status == survived && m.Covered:
				fmt.Fprintf(w, "  %s:%d:%d  %s\n", m.File, m.Line, m.Col, m.Description)
			case m.Status == survived:
				fmt.Fprintf(w, "  %s:%d:%d  %s  (no test runs this line)\n", m.File, m.Line, m.Col, m.Description)
			case m.Status == failed:
				fmt.Fprintf(w, "  %s:%d:%d  %s  (error: %s)\n", m.File, m.Line, m.Col, m.Description, m.Detail)
			}
		}
		fmt.Fprintln(w)
	}
	if len(rep.Packages) > 1 {
		fmt.Fprintf(w, "total\n")
		rep.Total.writeCounts(w, "  ")
	}
}

func (c counts) writeCounts(w io.Writer, indent string) {
	fmt.Fprintf(w, "%s%d mutants: %d not built, %d killed, %d timed out, %d survived (%d on lines no test runs)",
		indent, c.Mutants, c.NotBuilt, c.Killed, c.TimedOut, c.Survived, c.UncoveredSurvived)
	if c.Errors > 0 {
		fmt.Fprintf(w, ", %d errors", c.Errors)
	}
	fmt.Fprintln(w)
	compiling := c.Killed + c.TimedOut + c.Survived
	fmt.Fprintf(w, "%sscore %s of %d compiling mutants on lines the tests run; %s of all %d compiling mutants\n",
		indent, show(c.CoveredScore), compiling-c.Uncovered, show(c.Score), compiling)
}

func show(p *float64) string {
	if p == nil {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", *p)
}
