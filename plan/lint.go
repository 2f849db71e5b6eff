package plan

import (
	"encoding/json"
	"fmt"
	"math"
	"sort"

	"github.com/vetplan/healthplan/internal/wire"
)

// Warning is a probable mistake in a valid plan. Lint never refuses a
// plan; it says what looks wrong, where, and what a client would see.
type Warning struct {
	// Path is the JSON path of the field the warning is about, such as
	// "plan.rules[1].startDay" or "groups[2]".
	Path string
	// Code is one of the Lint codes below; codes are stable, so a caller
	// may branch on them or hide the ones it has accepted.
	Code string
	// Message is one sentence a practice manager understands.
	Message string
}

// The codes a [Warning] carries. The package documentation says when each
// fires.
const (
	LintWindowGap             = "windowGap"
	LintViewOrderTie          = "viewOrderTie"
	LintWindowStartsAfterTerm = "windowStartsAfterTerm"
	LintShadowedRule          = "shadowedRule"
	LintUnlimitedCoreRule     = "unlimitedCoreRule"
	LintZeroDiscount          = "zeroDiscount"
	LintGroupWithoutRule      = "groupWithoutRule"
	LintGroupWithoutItems     = "groupWithoutItems"
	LintWindowEndsAfterTerm   = "windowEndsAfterTerm"
	LintGraceGrantsNothing    = "graceGrantsNothing"
)

// String writes "plan.rules[1].startDay: Rule B starts ... (windowGap)".
func (w Warning) String() string {
	return fmt.Sprintf("%s: %s (%s)", w.Path, w.Message, w.Code)
}

// MarshalJSON writes {"path", "code", "message"}.
func (w Warning) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Path    string `json:"path"`
		Code    string `json:"code"`
		Message string `json:"message"`
	}{w.Path, w.Code, w.Message})
}

// Lint lists the probable mistakes in the terms' plan, with paths in the
// terms' JSON document ({"currency", "groups", "plan"}): "groups[2]",
// "plan.rules[1].startDay". It returns nil when it finds none.
func (t *Terms) Lint() []Warning {
	if t.IsZero() {
		return nil
	}
	return lint(t, "plan")
}

// Lint validates the plan with the given id, as [Catalog.Terms] does, and
// lists its probable mistakes, with paths in the catalog's JSON document:
// "groups[2]", "plans[3].rules[1].startDay". The error is Terms' when the
// plan is not valid.
func (c *Catalog) Lint(planID string) ([]Warning, error) {
	t, err := c.Terms(planID)
	if err != nil {
		return nil, err
	}
	at := 0
	for c.Plans[at].ID != planID {
		at++
	}
	return lint(t, wire.Index("plans", at)), nil
}

// spot is where a warning points, kept as structure so that warnings sort
// in document order; its path is written last.
type spot struct {
	part  lintPart
	index int // the group's or the rule's position
	field ruleField
}

// lintPart orders the parts of the document a warning can point into.
type lintPart uint8

const (
	inGroups lintPart = iota
	inGraceDays
	inRules
)

// ruleField orders a rule's fields as its JSON writes them; wholeRule
// points at the rule itself.
type ruleField uint8

const (
	wholeRule ruleField = iota
	ruleGroup
	ruleDiscount
	ruleAllowed
	ruleStartDay
	ruleEndDay
	ruleViewOrder
)

var ruleFieldNames = [...]string{wholeRule: "", ruleGroup: "group", ruleAllowed: "allowed",
	ruleStartDay: "startDay", ruleEndDay: "endDay", ruleViewOrder: "viewOrder"}

type finding struct {
	at      spot
	code    string
	message string
}

// linter holds one plan's facts that every check reads.
type linter struct {
	plan    Plan
	groups  []Group
	groupOf []int   // each rule's group index
	rulesOf [][]int // each group's rules, in plan order
	// coverEnd is the last day any subscription covers: the last day
	// offset of the longest term termMonths can span, plus grace.
	// shortTermEnd is the last day of the shortest term, after which grace
	// can start.
	coverEnd, shortTermEnd int
	// shadow is, for each rule, the position of an unlimited rule used
	// before it on every day of its window, or -1.
	shadow   []int
	findings []finding
}

func lint(t *Terms, prefix string) []Warning {
	p := t.Plan()
	fewest, most := termDays(p.TermMonths)
	l := &linter{
		plan:         p,
		groups:       t.Groups(),
		groupOf:      make([]int, len(p.Rules)),
		coverEnd:     most - 1 + p.GraceDays,
		shortTermEnd: fewest - 1,
		shadow:       make([]int, len(p.Rules)),
	}
	l.rulesOf = make([][]int, len(l.groups))
	groupAt := groupIndex(l.groups)
	for i, r := range p.Rules {
		g := groupAt[r.Group]
		l.groupOf[i] = g
		l.rulesOf[g] = append(l.rulesOf[g], i)
	}
	for g := range l.groups {
		l.findShadows(g)
		l.checkGroup(g)
	}
	for i := range p.Rules {
		l.checkRule(i)
	}
	l.checkGrace()
	return l.warnings(prefix)
}

// termDays returns the fewest and the most days a term of months calendar
// months spans, over every start date. A start on the 1st of a month spans
// at least as many days as any later start in that month (clamping only
// shortens a term), and a start that clamps spans no fewer than one on the
// 1st of the next month (31 January to 28 February is as long as 1
// February to 1 March), so trying the 1st of each month is enough. The
// months from 2096 to 2104 take every place in the four-year leap cycle
// both across 2100, a century year without 29 February (for the fewest),
// and clear of it (for the most).
func termDays(months int) (fewest, most int) {
	first := MustParseDate("2096-01-01")
	fewest = math.MaxInt
	for m := range 9 * 12 {
		start := first.AddMonths(m)
		n := start.AddMonths(months).Sub(start)
		fewest, most = min(fewest, n), max(most, n)
	}
	return fewest, most
}

func (l *linter) add(at spot, code, format string, args ...any) {
	l.findings = append(l.findings, finding{at, code, fmt.Sprintf(format, args...)})
}

func ruleAt(i int, f ruleField) spot { return spot{part: inRules, index: i, field: f} }

// clipEnd is rule i's last day that some subscription covers.
func (l *linter) clipEnd(i int) int { return min(l.plan.Rules[i].EndDay, l.coverEnd) }

// reachable reports whether some subscription covers a day of rule i's
// window.
func (l *linter) reachable(i int) bool { return l.plan.Rules[i].StartDay <= l.coverEnd }

func (l *linter) groupName(g int) string {
	if l.groups[g].Name != "" {
		return l.groups[g].Name
	}
	return l.groups[g].ID
}

func (l *linter) ruleID(i int) string { return l.plan.Rules[i].ID }

// findShadows records, for each rule of group g, the first unlimited rule
// that the quote uses before it on every day of its window: that rule
// never runs out, so the later one is never reached.
func (l *linter) findShadows(g int) {
	order := append([]int(nil), l.rulesOf[g]...)
	rules := l.plan.Rules
	sort.SliceStable(order, func(a, b int) bool { return rules[order[a]].ViewOrder < rules[order[b]].ViewOrder })
	for k, i := range order {
		l.shadow[i] = -1
		if !l.reachable(i) {
			continue
		}
		for _, s := range order[:k] {
			if rules[s].Allowed.IsUnlimited() && rules[s].StartDay <= rules[i].StartDay && l.clipEnd(s) >= l.clipEnd(i) {
				l.shadow[i] = s
				break
			}
		}
	}
}

func (l *linter) checkGroup(g int) {
	rules := l.plan.Rules
	if len(l.rulesOf[g]) == 0 {
		if len(l.groups[g].Items) > 0 {
			l.add(spot{part: inGroups, index: g}, LintGroupWithoutRule,
				"%s has items but no rule in this plan, so they are never discounted.", l.groupName(g))
		}
		return
	}

	// Gaps: merge the reachable windows in order of their first day; a
	// window starting more than a day after the merged ones end leaves the
	// days between uncovered.
	var windows []int
	for _, i := range l.rulesOf[g] {
		if l.reachable(i) {
			windows = append(windows, i)
		}
	}
	sort.SliceStable(windows, func(a, b int) bool { return rules[windows[a]].StartDay < rules[windows[b]].StartDay })
	if len(windows) > 0 {
		last := windows[0] // the merged windows' rule that ends last
		for _, i := range windows[1:] {
			start, end := rules[i].StartDay, l.clipEnd(last)
			if start > end+1 {
				l.add(ruleAt(i, ruleStartDay), LintWindowGap,
					"Rule %s starts on day %d, %d days after rule %s ends on day %d: a pet seen on %s gets no discount on %s.",
					l.ruleID(i), start, start-end, l.ruleID(last), end, days(end+1, start-1), l.groupName(g))
			}
			if l.clipEnd(i) > end {
				last = i
			}
		}
	}

	// Ties: the first earlier rule at the same view order whose window
	// shares a covered day.
	for k, j := range l.rulesOf[g] {
		for _, i := range l.rulesOf[g][:k] {
			if rules[i].ViewOrder != rules[j].ViewOrder {
				continue
			}
			from, to := max(rules[i].StartDay, rules[j].StartDay), min(l.clipEnd(i), l.clipEnd(j))
			if from <= to {
				l.add(ruleAt(j, ruleViewOrder), LintViewOrderTie,
					"Rules %s and %s both discount %s at view order %d on %s: there the plan's order decides, and rule %s is used first.",
					l.ruleID(i), l.ruleID(j), l.groupName(g), rules[j].ViewOrder, days(from, to), l.ruleID(i))
				break
			}
		}
	}
}

func (l *linter) checkRule(i int) {
	r := l.plan.Rules[i]
	g := l.groupOf[i]
	name := l.groupName(g)
	hasItems := len(l.groups[g].Items) > 0
	if !hasItems {
		l.add(ruleAt(i, ruleGroup), LintGroupWithoutItems,
			"Rule %s discounts %s, which has no items, so it never applies.", r.ID, name)
	}
	if pc, ok := r.Discount.Percent(); ok && pc.IsZero() {
		l.add(ruleAt(i, ruleDiscount), LintZeroDiscount,
			"Rule %s takes 0%% off %s: the units it covers are used up undiscounted, and no later rule discounts them.", r.ID, name)
	} else if a, ok := r.Discount.Amount(); ok && a.IsZero() {
		l.add(ruleAt(i, ruleDiscount), LintZeroDiscount,
			"Rule %s takes an amount of 0 off %s: the units it covers are used up undiscounted, and no later rule discounts them.", r.ID, name)
	}
	switch {
	case !l.reachable(i):
		l.add(ruleAt(i, ruleStartDay), LintWindowStartsAfterTerm,
			"Rule %s starts on day %d, but a subscription covers day %d at most%s, so it never applies.",
			r.ID, r.StartDay, l.coverEnd, l.graceNote())
	case r.EndDay > l.coverEnd:
		l.add(ruleAt(i, ruleEndDay), LintWindowEndsAfterTerm,
			"Rule %s ends on day %d, but a subscription covers day %d at most%s, so no client reaches %s of its window.",
			r.ID, r.EndDay, l.coverEnd, l.graceNote(), days(l.coverEnd+1, r.EndDay))
	}
	if s := l.shadow[i]; s >= 0 {
		before := fmt.Sprintf("view order %d before %d", l.plan.Rules[s].ViewOrder, r.ViewOrder)
		if l.plan.Rules[s].ViewOrder == r.ViewOrder {
			before = "the same view order, earlier in the plan"
		}
		l.add(ruleAt(i, wholeRule), LintShadowedRule,
			"Rule %s never applies: rule %s comes first (%s) and is unlimited on every day of its window, %s.",
			r.ID, l.ruleID(s), before, days(r.StartDay, l.clipEnd(i)))
	}
	if r.Allowed.IsUnlimited() && l.groups[g].Core && hasItems && l.reachable(i) && l.shadow[i] < 0 {
		l.add(ruleAt(i, ruleAllowed), LintUnlimitedCoreRule,
			"Rule %s gives unlimited %s, a core group: what a client can take before they stop paying has no limit.", r.ID, name)
	}
}

func (l *linter) graceNote() string {
	if l.plan.GraceDays > 0 {
		return ", grace included"
	}
	return ""
}

// checkGrace warns when no window reaches into the grace days of any
// start date: past the shortest term's last day, and starting by the
// longest term's last grace day.
func (l *linter) checkGrace() {
	grace := l.plan.GraceDays
	if grace == 0 {
		return
	}
	for i, r := range l.plan.Rules {
		if r.EndDay > l.shortTermEnd && l.reachable(i) {
			return
		}
	}
	noun := "grace days grant"
	if grace == 1 {
		noun = "grace day grants"
	}
	l.add(spot{part: inGraceDays}, LintGraceGrantsNothing,
		"The %d %s nothing: no rule's window reaches past day %d, where the shortest %d-month term ends, and grace extends coverage, not windows.",
		grace, noun, l.shortTermEnd, l.plan.TermMonths)
}

// days writes "day 91" or "days 91 to 99".
func days(from, to int) string {
	if from == to {
		return fmt.Sprintf("day %d", from)
	}
	return fmt.Sprintf("days %d to %d", from, to)
}

// warnings sorts the findings in document order, then by code, and writes
// their paths under prefix, the plan's path.
func (l *linter) warnings(prefix string) []Warning {
	if len(l.findings) == 0 {
		return nil
	}
	sort.SliceStable(l.findings, func(a, b int) bool {
		x, y := l.findings[a], l.findings[b]
		if x.at != y.at {
			if x.at.part != y.at.part {
				return x.at.part < y.at.part
			}
			if x.at.index != y.at.index {
				return x.at.index < y.at.index
			}
			return x.at.field < y.at.field
		}
		return x.code < y.code
	})
	out := make([]Warning, len(l.findings))
	for k, f := range l.findings {
		out[k] = Warning{Path: l.path(prefix, f.at), Code: f.code, Message: f.message}
	}
	return out
}

func (l *linter) path(prefix string, at spot) string {
	switch at.part {
	case inGroups:
		return wire.Index("groups", at.index)
	case inGraceDays:
		return wire.Join(prefix, "graceDays")
	}
	rule := wire.Index(wire.Join(prefix, "rules"), at.index)
	switch at.field {
	case wholeRule:
		return rule
	case ruleDiscount:
		if _, ok := l.plan.Rules[at.index].Discount.Percent(); ok {
			return wire.Join(rule, "discountPercent")
		}
		return wire.Join(rule, "discountAmount")
	}
	return wire.Join(rule, ruleFieldNames[at.field])
}
