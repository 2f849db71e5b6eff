package timeline

import (
	"fmt"
	"math/big"
	"slices"
	"strconv"
)

// The picture's fixed geometry, in pixels. Rule labels live in the gutter
// left of plotLeft; everything on the day axis lies between plotLeft and
// plotRight.
const (
	width     = 960
	textLeft  = 16
	rowLeft   = 28 // rule labels are indented under their group's name
	plotLeft  = 236
	plotRight = 936
	voRight   = plotLeft - 12 // the view-order column, right-aligned

	titleBase = 30
	laneBase  = 56 // the term's label and the view-order heading
	barsTop   = 64

	headerH  = 22
	rowH     = 22
	barInset = 4 // a bar is rowH - 2*barInset high
	groupGap = 6

	duesH    = 26
	panelH   = 200
	panelPad = 14
)

// palette colours the curves in order. Each is dark enough for its name,
// written in it, to read on white.
var palette = [...]string{"#dc2626", "#047857", "#7c3aed", "#b45309", "#0e7490"}

const style = `text{font-family:Helvetica,Arial,"Liberation Sans",sans-serif;font-size:12px;fill:#111827}
.title{font-size:16px;font-weight:bold}
.b{font-weight:bold}
.small{font-size:10px}
.f11{font-size:11px}
.muted{fill:#4b5563}
.end{text-anchor:end}
.mid{text-anchor:middle}
.halo{paint-order:stroke;stroke:#fff;stroke-width:3px;stroke-linejoin:round}
.band{fill:#eef2f7}
.grace{fill:#f6f1e7}
.uncovered{fill:#e5e7eb}
.grid{stroke:#e5e7eb;stroke-width:1}
.axis{stroke:#6b7280;stroke-width:1}
.zero{stroke:#374151;stroke-width:1.2}
.term{stroke:#374151;stroke-width:1;stroke-dasharray:4 3}
.bar{fill:#64748b}
.bar.core,.pill{fill:#1d4ed8}
.pill-text{fill:#fff;font-size:9px;font-weight:bold;text-anchor:middle}
.in-bar{fill:#fff;font-size:10px;paint-order:stroke;stroke:#64748b;stroke-width:3px;stroke-linejoin:round}
.in-bar.core{stroke:#1d4ed8}
.by-bar{fill:#374151;font-size:10px}
.crossover{fill:url(#hatch);stroke:#d97706;stroke-width:1}
.crossover-note{fill:#92400e;font-size:11px}
.gap{fill:#fde8e8;stroke:#dc2626;stroke-width:1;stroke-dasharray:3 2}
.gap-note{fill:#b91c1c;font-size:11px}
.due{fill:#374151}
.curve{fill:none;stroke-width:2}
.swatch{stroke-width:2}
.peak{stroke:#fff;stroke-width:1.5}
.drop{stroke-width:1;stroke-dasharray:2 3}`

// Render draws c as a standalone SVG 1.1 document, 960 pixels wide. It
// returns an error, joining an [*InputError] for each problem, when
// something in c does not lie on its axis or a value is not a decimal.
func Render(c Chart) ([]byte, error) {
	if err := c.validate(); err != nil {
		return nil, err
	}
	d := newDrawing(c)
	d.document()
	return d.w.Bytes(), nil
}

// drawing is one Render call: the chart, where everything goes, and the
// document being written.
type drawing struct {
	c     Chart
	w     svg
	cells int // days on the axis, Days+1

	groupTop []int // each group's header band
	duesTop  int
	axisY    int // the day axis under the rules
	curves   bool
	legendY  int // baseline of the exposure heading and legend
	panelTop int
	height   int

	values [][]*big.Rat // the curves' parsed values
	peak   *big.Rat
	scale  valueScale
}

func newDrawing(c Chart) *drawing {
	d := &drawing{c: c, cells: c.Days + 1}
	y := barsTop
	for _, g := range c.Groups {
		d.groupTop = append(d.groupTop, y)
		y += headerH + rowH*len(g.Rows) + groupGap
	}
	d.duesTop = y + 2
	d.axisY = d.duesTop + duesH
	d.height = d.axisY + 32
	d.curves = len(c.Curves) > 0 || c.Peak != nil
	if !d.curves {
		return d
	}
	d.legendY = d.axisY + 46
	d.panelTop = d.legendY + 14
	d.height = d.panelTop + panelH + 32

	var all []*big.Rat
	for _, cv := range c.Curves {
		vs := make([]*big.Rat, len(cv.Points))
		for i, p := range cv.Points {
			vs[i], _ = parseValue(p.Value) // validated
		}
		d.values = append(d.values, vs)
		all = append(all, vs...)
	}
	if c.Peak != nil {
		d.peak, _ = parseValue(c.Peak.Value)
		all = append(all, d.peak)
	}
	// The value axis stops short of the panel's edges, leaving room for a
	// curve's name under its lowest point or the peak's over its highest.
	d.scale = newValueScale(all, pixels(d.panelTop+panelPad), pixels(panelH-2*panelPad))
	return d
}

// x is the left edge of day; a day occupies x(day) to x(day+1).
func (d *drawing) x(day int) px {
	w := int64(plotRight-plotLeft) * 10
	return pixels(plotLeft) + px((int64(day)*w*2+int64(d.cells))/(2*int64(d.cells)))
}

// mid is the middle of day, where its tick, due marker or peak goes.
func (d *drawing) mid(day int) px { return (d.x(day) + d.x(day+1)) / 2 }

func (d *drawing) document() {
	w := &d.w
	w.f("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n")
	w.f("<svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\">\n", width, d.height, width, d.height)
	w.f("<title>%s</title>\n", esc(d.c.Title))
	w.f("<defs>\n<style type=\"text/css\"><![CDATA[\n%s\n]]></style>\n", style)
	w.f("<pattern id=\"hatch\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\"><rect width=\"1.5\" height=\"6\" fill=\"#fbbf24\"/></pattern>\n</defs>\n")
	w.f("<rect width=\"%d\" height=\"%d\" fill=\"#fff\"/>\n", width, d.height)
	if t := fit(d.c.Title, 16, true, pixels(width-2*textLeft)); t != "" {
		w.f("<text x=\"%d\" y=\"%d\" class=\"title\" xml:space=\"preserve\">%s</text>\n", textLeft, titleBase, esc(t))
	}
	d.coverage()
	d.dayGrid()
	d.term()
	for i := range d.c.Groups {
		d.group(i)
	}
	d.dues()
	d.dayAxis(d.axisY)
	if d.curves {
		d.exposure()
		d.dayAxis(d.panelTop + panelH)
	}
	w.f("</svg>\n")
}

// coverEnd is the last day a subscription covers: the end of grace, or of
// the term.
func (d *drawing) coverEnd() int { return max(d.c.TermEnd, d.c.GraceEnd) }

// bands is each vertical stretch the day axis spans: the rules with their
// axis, and the exposure panel.
func (d *drawing) bands() [][2]int {
	b := [][2]int{{barsTop - 4, d.axisY}}
	if d.curves {
		b = append(b, [2]int{d.panelTop, d.panelTop + panelH})
	}
	return b
}

// coverage shades grace, and the days after coverage, behind everything.
func (d *drawing) coverage() {
	for _, b := range d.bands() {
		if d.c.GraceEnd > d.c.TermEnd {
			d.w.f("<rect class=\"grace\" x=\"%s\" y=\"%d\" width=\"%s\" height=\"%d\"/>\n",
				d.x(d.c.TermEnd+1), b[0], d.x(d.c.GraceEnd+1)-d.x(d.c.TermEnd+1), b[1]-b[0])
		}
		if end := d.coverEnd(); end < d.c.Days {
			d.w.f("<rect class=\"uncovered\" x=\"%s\" y=\"%d\" width=\"%s\" height=\"%d\"/>\n",
				d.x(end+1), b[0], d.x(d.cells)-d.x(end+1), b[1]-b[0])
		}
	}
}

// dayStep is the spacing of the day ticks: the first of the usual
// intervals that leaves 40 pixels between ticks, or whole years beyond.
func (d *drawing) dayStep() int {
	w := plotRight - plotLeft
	for _, s := range []int{1, 2, 5, 7, 10, 14, 30, 60, 90, 180, 365} {
		if s*w >= 40*d.cells {
			return s
		}
	}
	years := (40*d.cells + 365*w - 1) / (365 * w)
	return 365 * years
}

func (d *drawing) dayGrid() {
	step := d.dayStep()
	for _, b := range d.bands() {
		for day := 0; day <= d.c.Days; day += step {
			d.w.f("<line class=\"grid\" x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"/>\n", d.mid(day), b[0], d.mid(day), b[1])
		}
	}
}

// term draws the term's end (and grace's) as a dashed line, labelled
// above the rules.
func (d *drawing) term() {
	x := d.x(d.c.TermEnd + 1)
	for i, b := range d.bands() {
		if i == 0 {
			b[0] -= 6 // up to its label
		}
		d.w.f("<line class=\"term\" x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"/>\n", x, b[0], x, b[1])
	}
	label := fmt.Sprintf("term: days 0–%d", d.c.TermEnd)
	if d.c.GraceEnd > d.c.TermEnd {
		gx := d.x(d.c.GraceEnd + 1)
		for _, b := range d.bands() {
			d.w.f("<line class=\"term\" x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"/>\n", gx, b[0], gx, b[1])
		}
		label += fmt.Sprintf(" · grace: %d–%d", d.c.TermEnd+1, d.c.GraceEnd)
	}
	lw := textWidth(label, 11, false)
	if x-pixels(4)-lw >= pixels(plotLeft) {
		d.w.f("<text x=\"%s\" y=\"%d\" class=\"muted end f11\">%s</text>\n", x-pixels(4), laneBase, esc(label))
	} else {
		d.w.f("<text x=\"%s\" y=\"%d\" class=\"muted f11\">%s</text>\n", x+pixels(4), laneBase, esc(label))
	}
	if slices.ContainsFunc(d.c.Groups, func(g Group) bool { return len(g.Rows) > 0 }) {
		d.w.f("<text x=\"%d\" y=\"%d\" class=\"muted small end\">view order</text>\n", voRight, laneBase)
	}
}

func (d *drawing) rowTop(g, r int) int { return d.groupTop[g] + headerH + rowH*r }

// group draws a treatment group: its header band, its gaps, its bars, its
// crossovers over them, then every label on top.
func (d *drawing) group(gi int) {
	g := d.c.Groups[gi]
	w := &d.w
	top := d.groupTop[gi]
	w.f("<rect class=\"band\" x=\"8\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\"/>\n", top, width-16, headerH)

	name := g.Name
	if name == "" {
		name = g.ID
	}
	pillW := textWidth("CORE", 9, true) + pixels(10)
	room := pixels(plotLeft - 16 - textLeft)
	if g.Core {
		room -= pillW + pixels(8)
	}
	name = fit(name, 12, true, room)
	w.f("<text x=\"%d\" y=\"%d\" class=\"b\">%s</text>\n", textLeft, top+15, esc(name))
	if g.Core {
		px0 := pixels(textLeft) + textWidth(name, 12, true) + pixels(8)
		w.f("<rect class=\"pill\" x=\"%s\" y=\"%d\" width=\"%s\" height=\"14\" rx=\"3\"/>\n", px0, top+4, pillW)
		w.f("<text x=\"%s\" y=\"%d\" class=\"pill-text\">CORE</text>\n", px0+pillW/2, top+14)
	}

	crossings := crossovers(g.Rows)
	gaps := gaps(g.Rows)
	if len(g.Rows) > 0 {
		y0, y1 := d.rowTop(gi, 0)+2, d.rowTop(gi, len(g.Rows))-2
		for _, gp := range gaps {
			w.f("<rect class=\"gap\" x=\"%s\" y=\"%d\" width=\"%s\" height=\"%d\"/>\n", d.x(gp[0]), y0, d.x(gp[1]+1)-d.x(gp[0]), y1-y0)
		}
	}
	for ri, r := range g.Rows {
		cls := "bar"
		if g.Core {
			cls = "bar core"
		}
		w.f("<rect class=\"%s\" x=\"%s\" y=\"%d\" width=\"%s\" height=\"%d\" rx=\"2\"/>\n",
			cls, d.x(r.Start), d.rowTop(gi, ri)+barInset, d.x(r.End+1)-d.x(r.Start), rowH-2*barInset)
	}
	for _, cr := range crossings {
		d.crossover(gi, cr)
	}

	d.notes(gi, crossings, gaps)
	for ri := range g.Rows {
		d.rowLabels(gi, ri)
	}
}

// crossing is a day range where rows a < b of a group both apply.
type crossing struct {
	a, b       int
	start, end int
}

func crossovers(rows []Row) []crossing {
	var out []crossing
	for a := range rows {
		for b := a + 1; b < len(rows); b++ {
			s, e := max(rows[a].Start, rows[b].Start), min(rows[a].End, rows[b].End)
			if s <= e {
				out = append(out, crossing{a, b, s, e})
			}
		}
	}
	return out
}

// gaps are the day ranges, between a group's first and last window, that
// no window covers: a client a day early or late there gets nothing.
func gaps(rows []Row) [][2]int {
	ws := make([][2]int, len(rows))
	for i, r := range rows {
		ws[i] = [2]int{r.Start, r.End}
	}
	slices.SortFunc(ws, func(p, q [2]int) int { return p[0] - q[0] })
	var out [][2]int
	for i := 1; i < len(ws); i++ {
		if ws[i][0] > ws[i-1][1]+1 {
			out = append(out, [2]int{ws[i-1][1] + 1, ws[i][0] - 1})
		}
		ws[i][1] = max(ws[i][1], ws[i-1][1])
	}
	return out
}

// crossover hatches the overlap on both bars, outlined, so that the two
// hatched ends line up one above the other; a crossover that lasts the
// whole window stays light enough to read the bars through.
func (d *drawing) crossover(gi int, cr crossing) {
	x0, x1 := d.x(cr.start), d.x(cr.end+1)
	path := ""
	for _, r := range []int{cr.a, cr.b} {
		top := d.rowTop(gi, r) + barInset
		path += fmt.Sprintf("M%s %dH%sV%dH%sZ", x0, top, x1, top+rowH-2*barInset, x0)
	}
	d.w.f("<path class=\"crossover\" d=\"%s\"/>\n", path)
}

// notes writes, in the header band over the axis, what the hatching and
// gap shading mean: each note starts over its days when there is room,
// and otherwise follows the notes before it.
func (d *drawing) notes(gi int, crossings []crossing, gaps [][2]int) {
	g := d.c.Groups[gi]
	type note struct {
		text, class string
		start       int
	}
	var ns []note
	for _, cr := range crossings {
		first, also := g.Rows[cr.a], ""
		if g.Rows[cr.b].ViewOrder < first.ViewOrder {
			first = g.Rows[cr.b]
		} else if g.Rows[cr.b].ViewOrder == first.ViewOrder {
			also = " (same view order: plan order)"
		}
		ns = append(ns, note{fmt.Sprintf("crossover %s: %s first%s", days(cr.start, cr.end), first.ID, also), "crossover-note", cr.start})
	}
	for _, gp := range gaps {
		ns = append(ns, note{fmt.Sprintf("gap %s: no rule applies", days(gp[0], gp[1])), "gap-note", gp[0]})
	}
	slices.SortStableFunc(ns, func(p, q note) int { return p.start - q.start })
	var pl placer
	pl.gap = pixels(12)
	next := pixels(plotLeft + 4)
	for _, n := range ns {
		wd := textWidth(n.text, 11, false)
		x := max(min(d.x(n.start), pixels(plotRight)-wd), next)
		if x+wd > pixels(plotRight) || !pl.place(x, x+wd) {
			x = next
			t := fit(n.text, 11, false, pixels(plotRight)-x)
			if t == "" || !pl.place(x, x+textWidth(t, 11, false)) {
				continue
			}
			n.text, wd = t, textWidth(t, 11, false)
		}
		d.w.f("<text x=\"%s\" y=\"%d\" class=\"%s\">%s</text>\n", x, d.groupTop[gi]+15, n.class, esc(n.text))
		next = x + wd + pl.gap
	}
}

func days(start, end int) string {
	if start == end {
		return "day " + strconv.Itoa(start)
	}
	return fmt.Sprintf("days %d–%d", start, end)
}

// rowLabels writes a rule's id, what it gives and its view order in the
// gutter, and its window on (or beside) its bar.
func (d *drawing) rowLabels(gi, ri int) {
	g := d.c.Groups[gi]
	r := g.Rows[ri]
	w := &d.w
	top := d.rowTop(gi, ri)
	vo := strconv.Itoa(r.ViewOrder)
	w.f("<text x=\"%d\" y=\"%d\" class=\"muted end\">%s</text>\n", voRight, top+15, vo)

	room := pixels(voRight-rowLeft) - textWidth(vo, 12, false) - pixels(10)
	id, label := r.ID, r.Label
	sep := pixels(6)
	if textWidth(id, 12, true)+sep+textWidth(label, 12, false) > room {
		label = fit(label, 12, false, room-textWidth(id, 12, true)-sep)
		if label == "" {
			id = fit(id, 12, true, room)
		}
	}
	w.f("<text x=\"%d\" y=\"%d\"><tspan class=\"b\">%s</tspan>", rowLeft, top+15, esc(id))
	if label != "" {
		w.f("<tspan dx=\"%s\" class=\"muted\">%s</tspan>", sep, esc(label))
	}
	w.f("</text>\n")

	win := fmt.Sprintf("%d–%d", r.Start, r.End)
	if r.Start == r.End {
		win = strconv.Itoa(r.Start)
	}
	ww := textWidth(win, 10, false)
	x0, x1 := d.x(r.Start), d.x(r.End+1)
	base := top + rowH - barInset - 4
	switch {
	case x1-x0 >= ww+pixels(8):
		cls := "in-bar"
		if g.Core {
			cls = "in-bar core"
		}
		w.f("<text x=\"%s\" y=\"%d\" class=\"%s\">%s</text>\n", x0+pixels(4), base, cls, win)
	case x1+pixels(4)+ww <= pixels(plotRight):
		w.f("<text x=\"%s\" y=\"%d\" class=\"by-bar halo\">%s</text>\n", x1+pixels(4), base, win)
	case x0-pixels(4)-ww >= pixels(plotLeft):
		w.f("<text x=\"%s\" y=\"%d\" class=\"by-bar halo end\">%s</text>\n", x0-pixels(4), base, win)
	}
}

// dues marks each installment due day on the axis, with its amount above
// where it fits beside the amounts already written.
func (d *drawing) dues() {
	w := &d.w
	if len(d.c.Dues) == 0 {
		return
	}
	w.f("<text x=\"%d\" y=\"%d\" class=\"muted f11\">installments due</text>\n", textLeft, d.duesTop+19)
	dues := slices.Clone(d.c.Dues)
	slices.SortStableFunc(dues, func(p, q Due) int { return p.Day - q.Day })
	var pl placer
	pl.gap = pixels(8)
	for _, due := range dues {
		x := d.mid(due.Day)
		w.f("<path class=\"due\" d=\"M%s %dH%sL%s %dZ\"/>\n", x-pixels(4), d.duesTop+15, x+pixels(4), x, d.axisY-1)
		if due.Label == "" {
			continue
		}
		lw := textWidth(due.Label, 10, false)
		if x-lw/2 >= pixels(plotLeft-20) && x+lw/2 <= pixels(width-8) && pl.place(x-lw/2, x+lw/2) {
			w.f("<text x=\"%s\" y=\"%d\" class=\"small mid\">%s</text>\n", x, d.duesTop+11, esc(due.Label))
		}
	}
}

// dayAxis draws the day axis at y: a line, a tick on every step, and as
// many day numbers as fit, the term's end and grace's end first.
func (d *drawing) dayAxis(y int) {
	w := &d.w
	w.f("<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>\n", plotLeft, y, plotRight, y)
	w.f("<text x=\"%d\" y=\"%d\" class=\"muted end f11\">day</text>\n", voRight, y+16)
	type label struct {
		day  int
		bold bool
	}
	labels := []label{{d.c.TermEnd, true}}
	if d.c.GraceEnd > d.c.TermEnd {
		labels = append(labels, label{d.c.GraceEnd, true})
	}
	step := d.dayStep()
	for day := 0; day <= d.c.Days; day += step {
		w.f("<line class=\"axis\" x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"/>\n", d.mid(day), y, d.mid(day), y+4)
		labels = append(labels, label{day, false})
	}
	var pl placer
	pl.gap = pixels(8)
	var placed []label
	for _, l := range labels {
		t := strconv.Itoa(l.day)
		lw := textWidth(t, 11, l.bold)
		if x := d.mid(l.day); pl.place(x-lw/2, x+lw/2) {
			placed = append(placed, l)
		}
	}
	slices.SortStableFunc(placed, func(p, q label) int { return p.day - q.day })
	for _, l := range placed {
		cls := "muted mid"
		if l.bold {
			cls = "b mid"
		}
		w.f("<text x=\"%s\" y=\"%d\" class=\"%s f11\">%d</text>\n", d.mid(l.day), y+16, cls, l.day)
	}
}

// exposure draws the curves panel: heading and legend, value axis, zero
// line, the step curves, the peak and each curve's name at its end.
func (d *drawing) exposure() {
	w := &d.w
	c := d.c
	top, bottom := d.panelTop, d.panelTop+panelH

	head := "Exposure"
	if c.Currency != "" {
		head += " (" + c.Currency + ")"
	}
	w.f("<text x=\"%d\" y=\"%d\" class=\"b\">%s</text>\n", textLeft, d.legendY, esc(head))
	w.f("<text x=\"%d\" y=\"%d\" class=\"muted small\">core value given minus</text>\n", textLeft, top+12)
	w.f("<text x=\"%d\" y=\"%d\" class=\"muted small\">payments taken, each day</text>\n", textLeft, top+25)
	d.legend(pixels(textLeft) + textWidth(head, 12, true) + pixels(24))

	for _, v := range d.scale.ticks() {
		y := d.scale.y(v)
		cls := "grid"
		if v.Sign() == 0 {
			cls = "zero"
		}
		w.f("<line class=\"%s\" x1=\"%d\" y1=\"%s\" x2=\"%d\" y2=\"%s\"/>\n", cls, plotLeft, y, plotRight, y)
		w.f("<text x=\"%d\" y=\"%s\" class=\"muted end f11\">%s</text>\n", plotLeft-8, y+pixels(4), d.scale.label(v))
	}

	// The first curve is drawn last, so that it lies on top where curves
	// run together.
	for i := len(c.Curves) - 1; i >= 0; i-- {
		cv := c.Curves[i]
		path := ""
		for j, p := range cv.Points {
			y := d.scale.y(d.values[i][j])
			if j == 0 {
				path = fmt.Sprintf("M%s %s", d.x(p.Day), y)
			} else {
				path += fmt.Sprintf("H%sV%s", d.x(p.Day), y)
			}
		}
		path += fmt.Sprintf("H%s", d.x(d.cells))
		w.f("<path class=\"curve\" stroke=\"%s\" d=\"%s\"/>\n", palette[i%len(palette)], path)
	}

	if c.Peak != nil {
		x, y := d.mid(c.Peak.Day), d.scale.y(d.peak)
		colour := palette[0]
		w.f("<line class=\"drop\" stroke=\"%s\" x1=\"%s\" y1=\"%s\" x2=\"%s\" y2=\"%d\"/>\n", colour, x, y, x, bottom)
		w.f("<circle class=\"peak\" fill=\"%s\" cx=\"%s\" cy=\"%s\" r=\"4.5\"/>\n", colour, x, y)
		label := c.Peak.Label
		if label == "" {
			label = "peak " + c.Peak.Value
			if c.Currency != "" {
				label += " " + c.Currency
			}
			label += ", day " + strconv.Itoa(c.Peak.Day)
		}
		label = fit(label, 11, true, pixels(plotRight-plotLeft)/2)
		lw := textWidth(label, 11, true)
		base := y - pixels(8)
		if base-pixels(11) < pixels(top) {
			base = y + pixels(17)
		}
		if x+pixels(8)+lw <= pixels(plotRight) {
			w.f("<text x=\"%s\" y=\"%s\" class=\"b halo f11\">%s</text>\n", x+pixels(8), base, esc(label))
		} else {
			w.f("<text x=\"%s\" y=\"%s\" class=\"b halo end f11\">%s</text>\n", x-pixels(8), base, esc(label))
		}
	}
	d.endLabels(top, bottom)
}

// legend names every curve beside a swatch of its colour, right-aligned on
// the heading's line from left to the plot's right edge.
func (d *drawing) legend(left px) {
	n := len(d.c.Curves)
	if n == 0 {
		return
	}
	const swatch, inner, between = 16, 5, 14
	names := make([]string, n)
	total := px(0)
	for i, cv := range d.c.Curves {
		names[i] = cv.Name
		total += pixels(swatch+inner) + textWidth(cv.Name, 11, false)
	}
	total += pixels(between * (n - 1))
	if avail := pixels(plotRight) - left; total > avail {
		each := (avail-pixels(between*(n-1)))/px(n) - pixels(swatch+inner)
		total = pixels(between * (n - 1))
		for i := range names {
			names[i] = fit(names[i], 11, false, each)
			total += pixels(swatch+inner) + textWidth(names[i], 11, false)
		}
	}
	x := pixels(plotRight) - total
	for i, name := range names {
		colour := palette[i%len(palette)]
		y := d.legendY - 4
		d.w.f("<line class=\"swatch\" stroke=\"%s\" x1=\"%s\" y1=\"%d\" x2=\"%s\" y2=\"%d\"/>\n", colour, x, y, x+pixels(swatch), y)
		d.w.f("<text x=\"%s\" y=\"%d\" class=\"f11\">%s</text>\n", x+pixels(swatch+inner), d.legendY, esc(name))
		x += pixels(swatch+inner) + textWidth(name, 11, false) + pixels(between)
	}
}

// endLabels names each curve, in its colour, at the right edge where it
// ends: above the curve over the name's width when the curve ends at its
// highest there, below when it ends at its lowest, else on the nearer
// side; names of curves that end close together are moved apart.
func (d *drawing) endLabels(top, bottom int) {
	n := len(d.c.Curves)
	const lineGap, ascent = 13, 9
	type label struct {
		curve int
		name  string
		base  px
	}
	ls := make([]label, n)
	right := pixels(plotRight - 4)
	for i, cv := range d.c.Curves {
		name := fit(cv.Name, 11, true, pixels(plotRight-plotLeft)/3)
		left := right - textWidth(name, 11, true)
		vs := d.values[i]
		last := d.scale.y(vs[len(vs)-1])
		high, low := last, last // smallest and largest y under the name
		for j, p := range cv.Points {
			end := d.x(d.cells)
			if j+1 < len(cv.Points) {
				end = d.x(cv.Points[j+1].Day)
			}
			if d.x(p.Day) < right && end > left {
				y := d.scale.y(vs[j])
				high, low = min(high, y), max(low, y)
			}
		}
		above, below := high-pixels(5), low+pixels(ascent+4)
		base := above
		switch {
		case last == high:
		case last == low:
			base = below
		case below-pixels(ascent/2)-last < last-(above-pixels(ascent/2)):
			base = below
		}
		if base == above && above-pixels(ascent) < pixels(top) {
			base = below
		} else if base == below && below > pixels(bottom-2) {
			base = above
		}
		ls[i] = label{i, name, base}
	}
	slices.SortStableFunc(ls, func(p, q label) int { return int(p.base - q.base) })
	for i := range ls {
		ls[i].base = max(ls[i].base, pixels(top+ascent+2))
		if i > 0 {
			ls[i].base = max(ls[i].base, ls[i-1].base+pixels(lineGap))
		}
	}
	if n > 0 {
		if over := ls[n-1].base - pixels(bottom-2); over > 0 {
			for i := range ls {
				ls[i].base -= over
			}
		}
	}
	slices.SortStableFunc(ls, func(p, q label) int { return p.curve - q.curve })
	for _, l := range ls {
		d.w.f("<text x=\"%s\" y=\"%s\" class=\"b halo end f11\" style=\"fill:%s\">%s</text>\n",
			right, l.base, palette[l.curve%len(palette)], esc(l.name))
	}
}
