package wire

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// Scanner reads one JSON document held in a string, value by value, for
// the documents a host stores and loads at every invoice (a contract and
// its usage), where building a tree of maps would cost more than the work
// itself. Strings it returns are substrings of the document (a string with
// escapes is unescaped into a new one), so reading allocates little.
//
// Problems with values (a wrong type, an unknown field) are recorded with
// their JSON path and reading goes on, so that every problem is reported
// at once; malformed JSON stops the scan with a *SyntaxError, after which
// every read returns zero values.
type Scanner struct {
	src    string
	pos    int
	err    *SyntaxError
	base   string
	frames []frame
	// Problems are the problems found so far, in document order.
	Problems []Problem
}

type frame struct {
	key   string
	index int
	array bool
	first bool
}

// NewScanner scans src; base is put before every path it reports
// ("usage" gives "usage.visits[0].date").
func NewScanner(src, base string) *Scanner {
	return &Scanner{src: src, base: base, frames: make([]frame, 0, 8)}
}

// Err is the syntax error that stopped the scan, or nil.
func (s *Scanner) Err() error {
	if s.err == nil {
		return nil
	}
	return s.err
}

// Result is what the scan found wrong: the syntax error that stopped it,
// or every problem recorded, joined (nil when there is none).
func (s *Scanner) Result() error {
	if s.err != nil {
		return s.err
	}
	return Errors(s.Problems)
}

// Failed reports whether the scan stopped at a syntax error.
func (s *Scanner) Failed() bool { return s.err != nil }

// Path is the JSON path of the value being read.
func (s *Scanner) Path() string {
	var b strings.Builder
	b.WriteString(s.base)
	for _, f := range s.frames {
		if f.array {
			if f.index >= 0 {
				b.WriteByte('[')
				b.WriteString(strconv.Itoa(f.index))
				b.WriteByte(']')
			}
			continue
		}
		if f.key == "" && f.first {
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(f.key)
	}
	return b.String()
}

// Report records a problem with the value being read.
func (s *Scanner) Report(value, reason string) {
	s.Problems = append(s.Problems, Problem{Path: s.Path(), Value: value, Reason: reason})
}

// ReportAt records a problem at a path relative to the value being read
// (the object or array whose field or element the scan is at).
func (s *Scanner) ReportAt(path, value, reason string) {
	p := s.Path()
	switch {
	case p == "":
		p = path
	case path != "" && path[0] == '[':
		p += path
	case path != "":
		p += "." + path
	}
	s.Problems = append(s.Problems, Problem{Path: p, Value: value, Reason: reason})
}

// Unknown reports the current field as not one of allowed, suggesting the
// nearest for a typo, and skips its value.
func (s *Scanner) Unknown(key, what string, allowed ...string) {
	reason := fmt.Sprintf("is not a field of %s", what)
	if n := nearest(key, allowed); n != "" {
		reason += fmt.Sprintf("; did you mean %q?", n)
	} else {
		reason += "; valid fields are " + strings.Join(allowed, ", ")
	}
	s.Report(key, reason)
	s.Skip()
}

// Duplicate reports the current field as given twice and skips its value.
func (s *Scanner) Duplicate(key string) {
	s.Report(key, "appears twice in the object; give each field once")
	s.Skip()
}

func (s *Scanner) syntax(msg string) {
	if s.err != nil {
		return
	}
	off := min(s.pos, len(s.src))
	line, col := 1, 1
	for i := 0; i < off; i++ {
		switch c := s.src[i]; {
		case c == '\n':
			line, col = line+1, 1
		case c&0xC0 != 0x80:
			col++
		}
	}
	s.err = &SyntaxError{Line: line, Column: col, Msg: msg}
	s.pos = len(s.src)
}

func (s *Scanner) ws() {
	for s.pos < len(s.src) {
		switch s.src[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// peek returns the first byte of the next token, or 0 at the end.
func (s *Scanner) peek() byte {
	s.ws()
	if s.pos >= len(s.src) {
		return 0
	}
	return s.src[s.pos]
}

func (s *Scanner) unexpected(context string) {
	if s.pos >= len(s.src) {
		s.syntax("unexpected end of JSON input")
		return
	}
	s.syntax(fmt.Sprintf("invalid character %s %s", quoteChar(s.src[s.pos]), context))
}

func quoteChar(c byte) string {
	switch {
	case c == '\'':
		return `'\''`
	case c == '"':
		return `'"'`
	case c < 0x20 || c >= 0x7f:
		return strconv.Quote(string(rune(c)))
	}
	return "'" + string(c) + "'"
}

// kind names the JSON type of the value that starts at the next token.
func (s *Scanner) kind() string {
	switch c := s.peek(); {
	case c == '{':
		return "an object"
	case c == '[':
		return "an array"
	case c == '"':
		return "a string"
	case c == 't' || c == 'f':
		return "a boolean"
	case c == 'n':
		return "null"
	case c == '-' || c >= '0' && c <= '9':
		return "a number"
	}
	return "a value"
}

// text is how the next value is quoted in a problem, as [Text] does for a
// tree; the value is not consumed.
func (s *Scanner) text() string {
	save := s.pos
	defer func() { s.pos = save }()
	switch c := s.peek(); {
	case c == '{':
		return "{...}"
	case c == '[':
		return "[...]"
	case c == '"':
		v, _ := s.str()
		return v
	}
	start := s.pos
	s.Skip()
	return s.src[start:s.pos]
}

// wrongKind reports the next value as not what was wanted and skips it.
func (s *Scanner) wrongKind(want string) {
	s.Report(s.text(), fmt.Sprintf("is %s; want %s", s.kind(), want))
	s.Skip()
}

// Null consumes a null and reports whether there was one.
func (s *Scanner) Null() bool {
	if s.peek() == 'n' {
		s.literal("null")
		return true
	}
	return false
}

// Object starts reading an object; what names it in messages ("a line").
// It reports anything else and skips it, returning false. Read its fields
// with Key until it returns false.
func (s *Scanner) Object(what string) bool {
	if s.Failed() {
		return false
	}
	if s.peek() != '{' {
		s.wrongKind(what + " (a JSON object)")
		return false
	}
	s.pos++
	s.frames = append(s.frames, frame{first: true})
	if len(s.frames) > MaxDepth {
		s.syntax(fmt.Sprintf("nesting deeper than %d levels", MaxDepth))
	}
	return true
}

// Key returns the next field's name of the object being read, or false at
// its end (the object is then closed).
func (s *Scanner) Key() (string, bool) {
	if s.Failed() {
		return "", false
	}
	f := &s.frames[len(s.frames)-1]
	c := s.peek()
	if c == '}' {
		s.pos++
		s.frames = s.frames[:len(s.frames)-1]
		return "", false
	}
	if !f.first {
		if c != ',' {
			s.unexpected("after object key:value pair")
			return "", false
		}
		s.pos++
		c = s.peek()
	}
	if c != '"' {
		s.unexpected("looking for beginning of object key string")
		return "", false
	}
	k, ok := s.str()
	if !ok {
		return "", false
	}
	if s.peek() != ':' {
		s.unexpected("after object key")
		return "", false
	}
	s.pos++
	f.first, f.key = false, k
	return k, true
}

// Array starts reading an array; what names it in messages. It reports
// anything else and skips it, returning false. Read its elements with
// Next until it returns false.
func (s *Scanner) Array(what string) bool {
	if s.Failed() {
		return false
	}
	if s.peek() != '[' {
		s.wrongKind(what)
		return false
	}
	s.pos++
	s.frames = append(s.frames, frame{array: true, index: -1, first: true})
	if len(s.frames) > MaxDepth {
		s.syntax(fmt.Sprintf("nesting deeper than %d levels", MaxDepth))
	}
	return true
}

// Next moves to the next element of the array being read, or returns
// false at its end (the array is then closed).
func (s *Scanner) Next() bool {
	if s.Failed() {
		return false
	}
	f := &s.frames[len(s.frames)-1]
	c := s.peek()
	if c == ']' {
		s.pos++
		s.frames = s.frames[:len(s.frames)-1]
		return false
	}
	if !f.first {
		if c != ',' {
			s.unexpected("after array element")
			return false
		}
		s.pos++
		if s.peek() == ']' {
			s.unexpected("looking for beginning of value")
			return false
		}
	}
	f.first = false
	f.index++
	return true
}

// Rest is the unread part of the document after white space, for a reader
// with a fast path of its own for a common form; Advance moves past what
// it read.
func (s *Scanner) Rest() string {
	if s.Failed() {
		return ""
	}
	s.ws()
	return s.src[s.pos:]
}

// Advance moves the scan n bytes on; see Rest.
func (s *Scanner) Advance(n int) { s.pos += n }

// Offset is the position in the document of the next byte to read, before
// any white space: a reader compares offsets to learn how a part was
// written (with white space or without), and takes it whole with Text.
func (s *Scanner) Offset() int { return s.pos }

// Text is the document from offset from to offset to.
func (s *Scanner) Text(from, to int) string { return s.src[from:to] }

// Index is the index of the array element being read.
func (s *Scanner) Index() int { return s.frames[len(s.frames)-1].index }

// String reads a string value; anything else is reported and skipped.
func (s *Scanner) String() (string, bool) {
	if s.Failed() {
		return "", false
	}
	if s.peek() != '"' {
		s.wrongKind("a string")
		return "", false
	}
	return s.str()
}

// Decimal reads a decimal written as a JSON string ("12.50") or number
// (12.5) and returns it as written; anything else is reported and skipped.
func (s *Scanner) Decimal() (string, bool) {
	if s.Failed() {
		return "", false
	}
	switch c := s.peek(); {
	case c == '"':
		return s.str()
	case c == '-' || c >= '0' && c <= '9':
		start := s.pos
		s.number()
		return s.src[start:s.pos], !s.Failed()
	}
	s.wrongKind("a decimal string such as \"12.50\"")
	return "", false
}

// Bool reads true or false; anything else is reported and skipped.
func (s *Scanner) Bool() (bool, bool) {
	if s.Failed() {
		return false, false
	}
	switch s.peek() {
	case 't':
		return s.literal("true"), true
	case 'f':
		s.literal("false")
		return false, true
	}
	s.wrongKind("true or false")
	return false, false
}

// Number reads a JSON number and returns it as written; anything else is
// reported (with want naming what would be valid) and skipped.
func (s *Scanner) Number(want string) (string, bool) {
	if s.Failed() {
		return "", false
	}
	if c := s.peek(); c != '-' && (c < '0' || c > '9') {
		s.wrongKind(want)
		return "", false
	}
	start := s.pos
	s.number()
	return s.src[start:s.pos], !s.Failed()
}

// Int reads a whole number in lo..hi written as a JSON number.
func (s *Scanner) Int(lo, hi int64) (int64, bool) {
	want := fmt.Sprintf("a whole number %d..%d", lo, hi)
	n, ok := s.Number(want)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseInt(n, 10, 64)
	if err != nil {
		// 12.0 and 1e2 are whole numbers too.
		return intValue(s, n, lo, hi)
	}
	if v < lo || v > hi {
		s.Report(n, fmt.Sprintf("is outside %d..%d", lo, hi))
		return 0, false
	}
	return v, true
}

func intValue(s *Scanner, n string, lo, hi int64) (int64, bool) {
	var d Decoder
	v, ok := IntValue(&d, "", json.Number(n), lo, hi)
	for _, p := range d.Problems {
		s.Report(p.Value, p.Reason)
	}
	return v, ok
}

// Skip skips the next value, whatever it is.
func (s *Scanner) Skip() {
	if s.Failed() {
		return
	}
	switch c := s.peek(); {
	case c == '{':
		if s.Object("") {
			for {
				if _, ok := s.Key(); !ok {
					break
				}
				s.Skip()
			}
		}
	case c == '[':
		if s.Array("") {
			for s.Next() {
				s.Skip()
			}
		}
	case c == '"':
		s.str()
	case c == 't':
		s.literal("true")
	case c == 'f':
		s.literal("false")
	case c == 'n':
		s.literal("null")
	case c == '-' || c >= '0' && c <= '9':
		s.number()
	default:
		s.unexpected("looking for beginning of value")
	}
}

// tree reads the next value as Parse's tree: map[string]any, []any,
// string, json.Number, bool and nil, reporting duplicate keys to d.
func (s *Scanner) tree(path string, d *Decoder, depth int) any {
	if depth > MaxDepth {
		s.syntax(fmt.Sprintf("nesting deeper than %d levels", MaxDepth))
		return nil
	}
	switch c := s.peek(); {
	case c == '{':
		s.pos++
		m := map[string]any{}
		for first := true; ; first = false {
			c := s.peek()
			if c == '}' {
				s.pos++
				return m
			}
			if !first {
				if c != ',' {
					s.unexpected("after object key:value pair")
					return nil
				}
				s.pos++
				c = s.peek()
			}
			if c != '"' {
				s.unexpected("looking for beginning of object key string")
				return nil
			}
			k, ok := s.str()
			if !ok {
				return nil
			}
			if s.peek() != ':' {
				s.unexpected("after object key")
				return nil
			}
			s.pos++
			kp := Join(path, k)
			v := s.tree(kp, d, depth+1)
			if s.Failed() {
				return nil
			}
			if _, dup := m[k]; dup && d != nil {
				d.Report(kp, k, "appears twice in the object; give each field once")
			}
			m[k] = v
		}
	case c == '[':
		s.pos++
		a := []any{}
		for first := true; ; first = false {
			c := s.peek()
			if c == ']' {
				s.pos++
				return a
			}
			if !first {
				if c != ',' {
					s.unexpected("after array element")
					return nil
				}
				s.pos++
			}
			v := s.tree(Index(path, len(a)), d, depth+1)
			if s.Failed() {
				return nil
			}
			a = append(a, v)
		}
	case c == '"':
		v, _ := s.str()
		return v
	case c == 't':
		s.literal("true")
		return true
	case c == 'f':
		s.literal("false")
		return false
	case c == 'n':
		s.literal("null")
		return nil
	case c == '-' || c >= '0' && c <= '9':
		start := s.pos
		s.number()
		return json.Number(s.src[start:s.pos])
	}
	s.unexpected("looking for beginning of value")
	return nil
}

// Raw skips the next value and returns it as written, for a reader that
// decodes it later. It only finds where the value ends (matching brackets
// and quotes), so that a large value is not scanned twice: the later
// reader checks it.
func (s *Scanner) Raw() string {
	if s.Failed() {
		return ""
	}
	s.ws()
	start := s.pos
	depth := 0
	for p := s.pos; p < len(s.src); p++ {
		switch s.src[p] {
		case '"':
			for p++; p < len(s.src) && s.src[p] != '"'; p++ {
				if s.src[p] == '\\' {
					p++
				}
			}
			if p >= len(s.src) {
				s.pos = len(s.src)
				s.syntax("unexpected end of JSON input")
				return ""
			}
		case '{', '[':
			depth++
			if depth > MaxDepth {
				s.pos = p
				s.syntax(fmt.Sprintf("nesting deeper than %d levels", MaxDepth))
				return ""
			}
		case '}', ']':
			depth--
		case ',', ' ', '\t', '\n', '\r', ':':
			if depth == 0 {
				s.pos = p
				return s.src[start:p]
			}
			continue
		default:
			if depth == 0 && (p+1 == len(s.src) || strings.IndexByte(",}] \t\n\r", s.src[p+1]) >= 0) {
				s.pos = p + 1
				return s.src[start:s.pos]
			}
			continue
		}
		if depth < 0 {
			s.pos = p
			s.unexpected("looking for beginning of value")
			return ""
		}
		if depth == 0 {
			s.pos = p + 1
			return s.src[start:s.pos]
		}
	}
	s.pos = len(s.src)
	s.syntax("unexpected end of JSON input")
	return ""
}

// End checks that nothing but white space follows the document.
func (s *Scanner) End() {
	if s.Failed() {
		return
	}
	if s.ws(); s.pos < len(s.src) {
		s.syntax("invalid character " + quoteChar(s.src[s.pos]) + " after top-level value")
	}
}

func (s *Scanner) literal(word string) bool {
	for i := 0; i < len(word); i++ {
		if s.pos >= len(s.src) || s.src[s.pos] != word[i] {
			s.unexpected("in literal " + word + " (expecting " + quoteChar(word[i]) + ")")
			return false
		}
		s.pos++
	}
	return word == "true"
}

func (s *Scanner) number() {
	p := s.pos
	digits := func() int {
		n := 0
		for p < len(s.src) && s.src[p] >= '0' && s.src[p] <= '9' {
			p++
			n++
		}
		return n
	}
	if p < len(s.src) && s.src[p] == '-' {
		p++
	}
	switch {
	case p < len(s.src) && s.src[p] == '0':
		p++
	case digits() == 0:
		s.pos = p
		s.unexpected("in numeric literal")
		return
	}
	if p < len(s.src) && s.src[p] == '.' {
		p++
		if digits() == 0 {
			s.pos = p
			s.unexpected("after decimal point in numeric literal")
			return
		}
	}
	if p < len(s.src) && (s.src[p] == 'e' || s.src[p] == 'E') {
		p++
		if p < len(s.src) && (s.src[p] == '+' || s.src[p] == '-') {
			p++
		}
		if digits() == 0 {
			s.pos = p
			s.unexpected("in exponent of numeric literal")
			return
		}
	}
	s.pos = p
}

// str reads a string token at s.pos (which holds '"').
func (s *Scanner) str() (string, bool) {
	start := s.pos + 1
	p := start
	ascii := true
	for p < len(s.src) {
		c := s.src[p]
		switch {
		case c == '"':
			v := s.src[start:p]
			if !ascii && !utf8.ValidString(v) {
				s.pos = start
				s.syntax("invalid UTF-8 in string")
				return "", false
			}
			s.pos = p + 1
			return v, true
		case c == '\\':
			return s.escaped(start)
		case c < 0x20:
			s.pos = p
			s.syntax("invalid character " + quoteChar(c) + " in string literal")
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		p++
	}
	s.pos = len(s.src)
	s.syntax("unexpected end of JSON input")
	return "", false
}

// escaped reads a string with escapes, from start (after the quote).
func (s *Scanner) escaped(start int) (string, bool) {
	var b strings.Builder
	p := start
	for p < len(s.src) {
		c := s.src[p]
		switch {
		case c == '"':
			v := b.String()
			if !utf8.ValidString(v) {
				s.pos = start
				s.syntax("invalid UTF-8 in string")
				return "", false
			}
			s.pos = p + 1
			return v, true
		case c < 0x20:
			s.pos = p
			s.syntax("invalid character " + quoteChar(c) + " in string literal")
			return "", false
		case c != '\\':
			b.WriteByte(c)
			p++
			continue
		}
		p++
		if p >= len(s.src) {
			break
		}
		switch e := s.src[p]; e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			r, ok := hex4(s.src, p+1)
			if !ok {
				s.pos = p
				s.syntax("invalid character in \\u hexadecimal character escape")
				return "", false
			}
			p += 4
			if utf16.IsSurrogate(r) {
				if r2, ok := hex4(s.src, p+3); ok && p+2 < len(s.src) && s.src[p+1] == '\\' && s.src[p+2] == 'u' {
					if d := utf16.DecodeRune(r, r2); d != utf8.RuneError {
						r = d
						p += 6
					} else {
						r = utf8.RuneError
					}
				} else {
					r = utf8.RuneError
				}
			}
			b.WriteRune(r)
		default:
			s.pos = p
			s.syntax("invalid character " + quoteChar(e) + " in string escape code")
			return "", false
		}
		p++
	}
	s.pos = len(s.src)
	s.syntax("unexpected end of JSON input")
	return "", false
}

func hex4(src string, p int) (rune, bool) {
	if p+4 > len(src) {
		return 0, false
	}
	var r rune
	for _, c := range []byte(src[p : p+4]) {
		r <<= 4
		switch {
		case c >= '0' && c <= '9':
			r |= rune(c - '0')
		case c >= 'a' && c <= 'f':
			r |= rune(c - 'a' + 10)
		case c >= 'A' && c <= 'F':
			r |= rune(c - 'A' + 10)
		default:
			return 0, false
		}
	}
	return r, true
}

// AppendString appends s as a JSON string, escaped exactly as
// encoding/json escapes it (quote, backslash, control characters, and <, >,
// &, U+2028 and U+2029; invalid UTF-8 becomes U+FFFD), so that documents
// written with it and with encoding/json agree byte for byte.
func AppendString(dst []byte, s string) []byte {
	dst = append(dst, '"')
	i := 0
	for i < len(s) && safe[s[i]] {
		i++
	}
	if i == len(s) { // the common case: nothing to escape
		dst = append(dst, s...)
		return append(dst, '"')
	}
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' && c != '<' && c != '>' && c != '&' {
				i++
				continue
			}
			dst = append(dst, s[start:i]...)
			switch c {
			case '"', '\\':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hexDigit[c>>4], hexDigit[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hexDigit[r&0xF])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}

const hexDigit = "0123456789abcdef"

// safe marks the bytes AppendString writes as they are: printable ASCII
// but the quote, the backslash and <, >, &.
var safe = func() (t [256]bool) {
	for c := 0x20; c < 0x80; c++ {
		t[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return t
}()
