// Command design is for plan designers: before a plan is sold, it says
// what looks wrong in it (lint), what a client can take in core
// treatments and walk away from, on which day, how much the plan's own
// settlement would claim back, which window to move to keep that under a
// cap, and draws the plan's timeline:
//
//	go run ./examples/design FILE [-plan ID] [-start DATE] [-prices FILE]
//	    [-cap AMOUNT] [-units-cap N] [-payment OPTION] [-interval INTERVAL]
//	    [-svg OUT] [-worst OUT]
//
// FILE is a scenario document (see examples/replay/README.md) whose
// currency, groups and plans are read; its subscriptions and events are
// not replayed. -plan picks the plan (default: the first); -start is the
// clients' start date (default: today); -prices is a JSON object of list
// prices by item code, {"FLEA-1": "23.49"} (items without a price are
// never bought); -cap asks for the smallest delays of core rules' start
// days that keep the exposure at or under it; -units-cap is the number of
// units to assume for unlimited core rules, without which they make the
// exposure unbounded; -payment and -interval are the clients' payment
// option and installment interval (default monthly, every month). -svg
// writes the timeline picture, -worst the worst client as a scenario that
// examples/replay replays to the peak.
//
// The exit status is 1 when the file, the plan or an option is invalid
// (every problem printed to standard error with its path), 2 on a usage
// error.
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/internal/num"
	"github.com/vetplan/healthplan/internal/scenario"
	"github.com/vetplan/healthplan/plan"
)

// maxInput bounds how much of a file is read.
const maxInput = 64 << 20

func main() {
	os.Exit(run(os.Args[1:], time.Now(), os.Stdout, os.Stderr))
}

const usage = "usage: design FILE [-plan ID] [-start DATE] [-prices FILE] [-cap AMOUNT] [-units-cap N] [-payment OPTION] [-interval INTERVAL] [-svg OUT] [-worst OUT]"

// options are the command's flags, as given.
type options struct {
	plan, start, prices, cap, payment, interval, svg, worst string
	unitsCap                                                int64
}

func run(args []string, now time.Time, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("design", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var o options
	fs.StringVar(&o.plan, "plan", "", "the plan's id (default: the first plan)")
	fs.StringVar(&o.start, "start", "", "the clients' start date, YYYY-MM-DD (default: today)")
	fs.StringVar(&o.prices, "prices", "", `a JSON file of list prices by item code, {"FLEA-1": "23.49"}`)
	fs.StringVar(&o.cap, "cap", "", "the exposure to keep under, e.g. 80.00")
	fs.Int64Var(&o.unitsCap, "units-cap", 0, "the units to assume for unlimited core rules")
	fs.StringVar(&o.payment, "payment", "monthly", "the clients' payment option")
	fs.StringVar(&o.interval, "interval", "month", "the clients' installment interval")
	fs.StringVar(&o.svg, "svg", "", "write the timeline picture to this file")
	fs.StringVar(&o.worst, "worst", "", "write the worst client, as a scenario, to this file")
	// FILE may come before or after the flags.
	var files []string
	for rest := args; ; {
		if err := fs.Parse(rest); err != nil {
			fmt.Fprintf(stderr, "%v\n%s\n", err, usage)
			return 2
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		rest = fs.Args()[1:]
	}
	if len(files) != 1 {
		fmt.Fprintln(stderr, usage)
		return 2
	}
	if o.start == "" {
		o.start = now.Format(time.DateOnly)
	}
	d, err := load(files[0], o)
	if err != nil {
		for _, m := range scenario.Messages(err) {
			fmt.Fprintln(stderr, m)
		}
		return 1
	}
	rep, err := debt.Exposure(d.in)
	if err != nil {
		for _, m := range scenario.Messages(err) {
			fmt.Fprintln(stderr, m)
		}
		return 1
	}
	if o.svg != "" {
		svg, err := debt.Timeline(d.in, rep)
		if err == nil {
			err = os.WriteFile(o.svg, svg, 0o644)
		}
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	if o.worst != "" && rep.WorstClient != nil {
		var buf bytes.Buffer
		if err = json.Indent(&buf, rep.WorstClient, "", "  "); err == nil {
			buf.WriteByte('\n')
			err = os.WriteFile(o.worst, buf.Bytes(), 0o644)
		}
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 1
		}
	}
	report(stdout, d, rep, o)
	return 0
}

// design is what the command analyses.
type design struct {
	in       debt.ExposureInput
	warnings []plan.Warning
}

// load reads the file, the plan and the options, reporting every problem
// at once.
func load(file string, o options) (design, error) {
	var d design
	data, err := readFile(file)
	if err != nil {
		return d, err
	}
	s, err := scenario.Parse(data)
	if err != nil {
		return d, fmt.Errorf("%s: %w", file, err)
	}
	var list []error
	bad := func(path, value, reason string) {
		list = append(list, &plan.ValidationError{Path: path, Value: value, Reason: reason})
	}
	cat := &s.Catalog
	id := o.plan
	if id == "" && len(cat.Plans) > 0 {
		id = cat.Plans[0].ID
	}
	var ids []string
	for _, p := range cat.Plans {
		ids = append(ids, p.ID)
	}
	known := false
	for _, p := range ids {
		known = known || p == id
	}
	if !known {
		bad("-plan", id, "is not a plan in "+file+"; want one of "+strings.Join(ids, ", "))
	}
	if d.in.Start, err = plan.ParseDate(o.start); err != nil {
		bad("-start", o.start, "is not a valid date; want YYYY-MM-DD, such as 2026-01-05")
	}
	if o.cap != "" {
		c, err := num.Parse(o.cap)
		if err != nil {
			bad("-cap", o.cap, err.Error()+"; want an amount such as 80.00")
		}
		d.in.Cap = decimal.NewNullDecimal(c)
	}
	if o.unitsCap < 0 || o.unitsCap > plan.MaxAllowed {
		bad("-units-cap", fmt.Sprint(o.unitsCap), fmt.Sprintf("is outside 1..%d", plan.MaxAllowed))
	}
	d.in.UnitsCap = o.unitsCap
	if d.in.Payment, err = plan.ParsePaymentOption(o.payment); err != nil {
		bad("-payment", o.payment, "is not a payment option; want monthly, auto, external, manual or advance")
	}
	if d.in.Interval, err = plan.ParseInterval(o.interval); err != nil {
		bad("-interval", o.interval, "is not an interval; want month, quarter, year or 4weeks")
	}
	d.in.Prices = map[string]decimal.Decimal{}
	if o.prices != "" {
		if err := readPrices(o.prices, d.in.Prices); err != nil {
			list = append(list, err)
		}
	}
	if len(list) > 0 {
		return d, errors.Join(list...)
	}
	if d.in.Terms, err = cat.Terms(id); err != nil {
		return d, err
	}
	d.warnings, err = cat.Lint(id)
	return d, err
}

func readFile(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxInput+1))
	if err == nil && len(data) > maxInput {
		err = fmt.Errorf("%s: larger than %d bytes", name, maxInput)
	}
	return data, err
}

// readPrices reads {"ITEM": "23.49", ...}; numbers are read exactly.
func readPrices(name string, into map[string]decimal.Decimal) error {
	data, err := readFile(name)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	var m map[string]any
	if err := dec.Decode(&m); err != nil {
		return fmt.Errorf("%s: want a JSON object of prices by item code, {\"FLEA-1\": \"23.49\"}: %w", name, err)
	}
	codes := make([]string, 0, len(m))
	for c := range m {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	var list []error
	for _, c := range codes {
		var s string
		switch v := m[c].(type) {
		case string:
			s = v
		case json.Number:
			s = v.String()
		default:
			list = append(list, &plan.ValidationError{Path: fmt.Sprintf("%s: prices[%q]", name, c), Value: fmt.Sprint(v), Reason: "is not a decimal; want a price such as \"23.49\""})
			continue
		}
		x, err := num.Parse(s)
		if err != nil {
			list = append(list, &plan.ValidationError{Path: fmt.Sprintf("%s: prices[%q]", name, c), Value: s, Reason: err.Error() + "; want a price such as \"23.49\""})
			continue
		}
		into[c] = x
	}
	return errors.Join(list...)
}
