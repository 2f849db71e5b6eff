// Package timeline draws a plan's timeline for plan designers: one SVG
// that shows, on one day axis, when each allowance rule applies and what
// the plan stands to lose while a client is on it.
//
// The picture has two panels. Above, one row per rule, grouped by
// treatment group in catalog order (core groups marked): a bar from the
// rule's first to its last day, labelled with its id, discount and
// allowance, and its view order. Where two windows of a group overlap the
// overlap is hatched (a crossover, such as flea days 80-90 in the design
// guide's flea plan) and the group's header says which rule is used first
// there; days between a group's windows that no rule covers are shaded as
// a gap. Installment due days sit on the day axis with their amounts.
// Below, on the same axis, the exposure curves (core value given minus
// payments taken, at the end of each day) are drawn as step lines with a
// zero line, a value axis, the peak marked and every curve named both in a
// legend and at its end.
//
// The input, [Chart], is plain data: day offsets, and money as decimal
// strings. The package depends on nothing else in the module; callers
// build a Chart from a plan's terms, its billing schedule and its exposure
// analysis, and [Render] turns it into bytes. The same Chart always
// renders to the same bytes: coordinates are computed with integer and
// exact rational arithmetic and written in tenths of a pixel.
package timeline
