package timeline

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"strconv"
	"unicode/utf8"
)

// px is a length in tenths of a pixel. Every coordinate is computed in
// integers and written by String, so the output never depends on how a
// float happens to format.
type px int64

func pixels(n int) px { return px(n) * 10 }

func (v px) String() string {
	s := strconv.FormatInt(int64(v)/10, 10)
	frac := int64(v) % 10
	if frac == 0 {
		return s
	}
	if frac < 0 {
		frac = -frac
		if v > -10 {
			s = "-0"
		}
	}
	return s + "." + strconv.FormatInt(frac, 10)
}

// svg accumulates the document.
type svg struct{ bytes.Buffer }

func (w *svg) f(format string, args ...any) { fmt.Fprintf(&w.Buffer, format, args...) }

// esc escapes s for XML text and attribute values alike; characters XML
// cannot hold become U+FFFD.
func esc(s string) string {
	var b bytes.Buffer
	_ = xml.EscapeText(&b, []byte(s)) // writing to a bytes.Buffer cannot fail
	return b.String()
}

// Text is measured with Helvetica's advance widths (Arial and Liberation
// Sans share them), in thousandths of an em, for printable ASCII. It is an
// estimate used only to decide what fits; the widest fallbacks (DejaVu
// Sans) run about 10% wider, which the slack in each layout decision
// absorbs.
var asciiWidths = [95]int16{
	278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, // space to /
	556, 556, 556, 556, 556, 556, 556, 556, 556, 556, // 0-9
	278, 278, 584, 584, 584, 556, 1015, // : to @
	667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833, // A-M
	722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, // N-Z
	278, 278, 278, 469, 556, 333, // [ to `
	556, 556, 500, 556, 556, 278, 556, 556, 222, 222, 500, 222, 833, // a-m
	556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, // n-z
	334, 260, 334, 584, // { to ~
}

// runeWidth is a rune's advance in thousandths of an em. Outside ASCII it
// is a generous average, and a full em for East Asian wide characters.
func runeWidth(r rune) int {
	switch {
	case r >= ' ' && r <= '~':
		return int(asciiWidths[r-' '])
	case r >= 0x1100 && r <= 0x115f, r >= 0x2e80 && r <= 0xa4cf, r >= 0xac00 && r <= 0xd7a3,
		r >= 0xf900 && r <= 0xfaff, r >= 0xff00 && r <= 0xff60, r == '…', r == '—':
		return 1000
	default:
		return 600
	}
}

// textWidth estimates the width of s set at size pixels, rounded up; bold
// text is taken as a tenth wider.
func textWidth(s string, size int, bold bool) px {
	em := 0
	for _, r := range s {
		em += runeWidth(r)
	}
	if bold {
		em = em * 11 / 10
	}
	return px((em*size*10 + 999) / 1000)
}

// fit returns s, or as much of it as fits in max followed by an ellipsis,
// or "" when not even the ellipsis fits.
func fit(s string, size int, bold bool, max px) string {
	if textWidth(s, size, bold) <= max {
		return s
	}
	for n := len(s); n > 0; {
		_, sz := utf8.DecodeLastRuneInString(s[:n])
		n -= sz
		if t := s[:n] + "…"; textWidth(t, size, bold) <= max {
			return t
		}
	}
	return ""
}

// span is an interval of x occupied by a label, to keep labels apart.
type span struct{ lo, hi px }

// placer hands out room on one line: a label is placed only when it keeps
// a gap from every label already placed.
type placer struct {
	taken []span
	gap   px
}

func (p *placer) place(lo, hi px) bool {
	for _, s := range p.taken {
		if lo < s.hi+p.gap && s.lo < hi+p.gap {
			return false
		}
	}
	p.taken = append(p.taken, span{lo, hi})
	return true
}
