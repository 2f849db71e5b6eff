// Package wire decodes the library's JSON documents by walking a parsed
// tree, so that every problem is reported at once with its JSON path
// (plans[0].rules[2].discountPercent), unknown fields are refused with a
// suggestion, and numbers are never read through float64.
package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/vetplan/healthplan/internal/num"
)

// MaxDepth bounds how deeply objects and arrays may nest.
const MaxDepth = 64

// ValidationError is one problem with an input: which field, the value as
// given and what would be valid. Package plan exports it as
// plan.ValidationError, the error every package of the library reports
// bad input with.
type ValidationError struct {
	// Path is the field's JSON path, such as
	// "plans[0].rules[2].discountPercent" or, for a value passed to a
	// function on its own, the field's JSON name ("lines[1].qty").
	Path string
	// Value is the value as given; it is empty when the field is missing.
	Value string
	// Reason says what is wrong and what would be valid.
	Reason string
	// Err is the category of the problem when a caller may branch on it
	// (a sentinel such as allowance.ErrLineConflict), else nil.
	Err error
}

// Error reads like `plans[0].rules[2].discountPercent: "150" is outside
// 0..100`.
func (e *ValidationError) Error() string {
	if e.Path == "" {
		return e.Reason
	}
	if e.Value == "" {
		return fmt.Sprintf("%s: %s", e.Path, e.Reason)
	}
	return fmt.Sprintf("%s: %q %s", e.Path, e.Value, e.Reason)
}

// Unwrap returns the problem's category, if any.
func (e *ValidationError) Unwrap() error { return e.Err }

// Rewrite returns err with f applied to a copy of each *ValidationError
// in it, through errors.Join's trees; other errors are kept as they are.
// It never changes err itself.
func Rewrite(err error, f func(*ValidationError)) error {
	if v, ok := err.(*ValidationError); ok {
		c := *v
		f(&c)
		return &c
	}
	if u, ok := err.(interface{ Unwrap() []error }); ok {
		parts := u.Unwrap()
		out := make([]error, len(parts))
		for i, x := range parts {
			out[i] = Rewrite(x, f)
		}
		return errors.Join(out...)
	}
	return err
}

// Problem is one thing wrong with a document, as a reader records it.
type Problem = ValidationError

// Errors joins problems into one error (nil when there are none), each a
// *ValidationError, in order.
func Errors(ps []Problem) error { return errors.Join(ErrorList(ps)...) }

// ErrorList is each problem as a *ValidationError, in order.
func ErrorList(ps []Problem) []error {
	list := make([]error, len(ps))
	for i := range ps {
		p := ps[i]
		list[i] = &p
	}
	return list
}

// SyntaxError is malformed JSON, with the position where reading stopped.
type SyntaxError struct {
	Line, Column int
	Msg          string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("malformed JSON at line %d, column %d: %s", e.Line, e.Column, e.Msg)
}

// Decoder collects the problems found while reading a tree.
type Decoder struct {
	Problems []Problem
}

// Report records a problem.
func (d *Decoder) Report(path, value, reason string) {
	d.Problems = append(d.Problems, Problem{Path: path, Value: value, Reason: reason})
}

// Parse reads one JSON value into a tree of map[string]any, []any, string,
// json.Number, bool and nil. Duplicate keys are reported to d (the later
// value wins); malformed JSON is a *SyntaxError.
func Parse(data []byte, d *Decoder) (any, error) {
	s := NewScanner(string(data), "")
	var found Decoder
	v := s.tree("", &found, 0)
	s.End()
	if !s.Failed() {
		if d != nil {
			d.Problems = append(d.Problems, found.Problems...)
		}
		return v, nil
	}
	// Malformed: read it again the slow way, whose errors say exactly
	// where and why, in encoding/json's words.
	return parseSlowly(data, d)
}

func parseSlowly(data []byte, d *Decoder) (any, error) {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	p := parser{dec: dec, data: data, d: d}
	v, err := p.value("", 0)
	if err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, p.syntax(errors.New("unexpected data after the JSON value"))
	}
	return v, nil
}

type parser struct {
	dec  *json.Decoder
	data []byte
	d    *Decoder
}

func (p *parser) syntax(err error) error {
	// The token stream's offsets are not always those of the offending
	// byte, so on error re-read the document in one piece, which reports
	// where it stopped exactly. Errors of our own (nesting too deep) keep
	// the stream's position.
	off := p.dec.InputOffset()
	msg := err.Error()
	var v any
	var se *json.SyntaxError
	if uerr := json.Unmarshal(p.data, &v); errors.As(uerr, &se) {
		msg = se.Error()
		off = se.Offset - 1
		if strings.HasPrefix(msg, "unexpected end of JSON input") {
			off = int64(len(p.data))
		}
	} else if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		off = int64(len(p.data))
		msg = "unexpected end of JSON input"
	}
	msg = strings.TrimPrefix(msg, "json: ")
	off = max(0, min(off, int64(len(p.data))))
	line, col := 1, 1
	for _, c := range p.data[:off] {
		switch {
		case c == '\n':
			line, col = line+1, 1
		case c&0xC0 != 0x80: // count characters, not UTF-8 continuation bytes
			col++
		}
	}
	return &SyntaxError{Line: line, Column: col, Msg: msg}
}

func (p *parser) value(path string, depth int) (any, error) {
	if depth > MaxDepth {
		return nil, p.syntax(fmt.Errorf("nesting deeper than %d levels", MaxDepth))
	}
	tok, err := p.dec.Token()
	if err != nil {
		return nil, p.syntax(err)
	}
	switch t := tok.(type) {
	case json.Delim:
		switch t {
		case '{':
			m := map[string]any{}
			for p.dec.More() {
				kt, err := p.dec.Token()
				if err != nil {
					return nil, p.syntax(err)
				}
				k, ok := kt.(string)
				if !ok {
					return nil, p.syntax(errors.New("object key is not a string"))
				}
				kp := Join(path, k)
				v, err := p.value(kp, depth+1)
				if err != nil {
					return nil, err
				}
				if _, dup := m[k]; dup && p.d != nil {
					p.d.Report(kp, k, "appears twice in the object; give each field once")
				}
				m[k] = v
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.syntax(err)
			}
			return m, nil
		case '[':
			a := []any{}
			for p.dec.More() {
				v, err := p.value(Index(path, len(a)), depth+1)
				if err != nil {
					return nil, err
				}
				a = append(a, v)
			}
			if _, err := p.dec.Token(); err != nil {
				return nil, p.syntax(err)
			}
			return a, nil
		}
		return nil, p.syntax(fmt.Errorf("unexpected %q", rune(t)))
	}
	return tok, nil
}

// Join appends a field name to a path.
func Join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// Index appends an array index to a path.
func Index(path string, i int) string {
	return fmt.Sprintf("%s[%d]", path, i)
}

// Text is how a value is quoted in a problem: strings as themselves,
// numbers as written, and anything else by its JSON kind.
func Text(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case json.Number:
		return t.String()
	case bool:
		if t {
			return "true"
		}
		return "false"
	case nil:
		return "null"
	case []any:
		return "[...]"
	case map[string]any:
		return "{...}"
	}
	return fmt.Sprint(v)
}

// Kind names a value's JSON type for messages.
func Kind(v any) string {
	switch v.(type) {
	case string:
		return "a string"
	case json.Number:
		return "a number"
	case bool:
		return "a boolean"
	case nil:
		return "null"
	case []any:
		return "an array"
	case map[string]any:
		return "an object"
	}
	return "a value"
}

// Object is a JSON object being read.
type Object struct {
	d    *Decoder
	path string
	m    map[string]any
}

// Object reads v as an object; what names it in messages ("a plan").
func (d *Decoder) Object(path string, v any, what string) (Object, bool) {
	m, ok := v.(map[string]any)
	if !ok && path == "" {
		d.Report(path, "", fmt.Sprintf("the document is %s; want %s (a JSON object)", Kind(v), what))
		return Object{d: d, path: path}, false
	}
	if !ok {
		d.Report(path, Text(v), fmt.Sprintf("is %s; want %s (a JSON object)", Kind(v), what))
		return Object{d: d, path: path}, false
	}
	return Object{d: d, path: path, m: m}, true
}

// Path is the path of the object's field key.
func (o Object) Path(key string) string { return Join(o.path, key) }

// Report records a problem with the object's field key.
func (o Object) Report(key, value, reason string) { o.d.Report(o.Path(key), value, reason) }

// Has reports whether the field is present (null counts as absent).
func (o Object) Has(key string) bool {
	v, ok := o.m[key]
	return ok && v != nil
}

// Get returns the field's raw value.
func (o Object) Get(key string) (any, bool) {
	v, ok := o.m[key]
	return v, ok && v != nil
}

// Only refuses every field not in allowed, suggesting the nearest allowed
// name for a typo.
func (o Object) Only(what string, allowed ...string) {
	var unknown []string
	for k := range o.m {
		found := false
		for _, a := range allowed {
			if k == a {
				found = true
				break
			}
		}
		if !found {
			unknown = append(unknown, k)
		}
	}
	sort.Strings(unknown)
	for _, k := range unknown {
		reason := fmt.Sprintf("is not a field of %s", what)
		if s := nearest(k, allowed); s != "" {
			reason += fmt.Sprintf("; did you mean %q?", s)
		} else {
			reason += "; valid fields are " + strings.Join(allowed, ", ")
		}
		o.d.Report(o.Path(k), k, reason)
	}
}

// String reads a string field; required says whether it must be present
// and non-empty.
func (o Object) String(key string, required bool) (string, bool) {
	v, ok := o.Get(key)
	if !ok {
		if required {
			o.Report(key, "", "is missing; want a non-empty string")
		}
		return "", false
	}
	s, isStr := v.(string)
	if !isStr {
		o.Report(key, Text(v), fmt.Sprintf("is %s; want a string", Kind(v)))
		return "", false
	}
	if required && s == "" {
		o.Report(key, "", "is empty; want a non-empty string")
		return "", false
	}
	return s, true
}

// Bool reads a boolean field.
func (o Object) Bool(key string) (bool, bool) {
	v, ok := o.Get(key)
	if !ok {
		return false, false
	}
	b, isBool := v.(bool)
	if !isBool {
		o.Report(key, Text(v), fmt.Sprintf("is %s; want true or false", Kind(v)))
		return false, false
	}
	return b, true
}

// Int reads a whole number in lo..hi written as a JSON number.
func (o Object) Int(key string, lo, hi int64, required bool) (int64, bool) {
	v, ok := o.Get(key)
	if !ok {
		if required {
			o.Report(key, "", fmt.Sprintf("is missing; want a whole number %d..%d", lo, hi))
		}
		return 0, false
	}
	return IntValue(o.d, o.Path(key), v, lo, hi)
}

// IntValue reads v as a whole number in lo..hi.
func IntValue(d *Decoder, path string, v any, lo, hi int64) (int64, bool) {
	n, isNum := v.(json.Number)
	if !isNum {
		d.Report(path, Text(v), fmt.Sprintf("is %s; want a whole number %d..%d", Kind(v), lo, hi))
		return 0, false
	}
	x, err := num.Parse(n.String())
	if err != nil || !x.IsInteger() {
		d.Report(path, n.String(), fmt.Sprintf("is not a whole number; want %d..%d", lo, hi))
		return 0, false
	}
	if x.LessThan(decimal.NewFromInt(lo)) || x.GreaterThan(decimal.NewFromInt(hi)) {
		d.Report(path, n.String(), fmt.Sprintf("is outside %d..%d", lo, hi))
		return 0, false
	}
	return x.IntPart(), true
}

// Decimal reads a decimal written as a JSON string ("12.50") or number
// (12.5), exactly. Bounds are the caller's to check.
func (o Object) Decimal(key string, required bool) (decimal.Decimal, bool) {
	v, ok := o.Get(key)
	if !ok {
		if required {
			o.Report(key, "", "is missing; want a decimal string such as \"12.50\"")
		}
		return decimal.Decimal{}, false
	}
	return DecimalValue(o.d, o.Path(key), v)
}

// DecimalValue reads v as a decimal string or number.
func DecimalValue(d *Decoder, path string, v any) (decimal.Decimal, bool) {
	var s string
	switch t := v.(type) {
	case string:
		s = t
	case json.Number:
		s = t.String()
	default:
		d.Report(path, Text(v), fmt.Sprintf("is %s; want a decimal string such as \"12.50\"", Kind(v)))
		return decimal.Decimal{}, false
	}
	x, err := num.Parse(s)
	if err != nil {
		shown := s
		if len(shown) > num.MaxLen {
			shown = shown[:num.MaxLen] + "..."
		}
		d.Report(path, shown, err.Error()+"; want a decimal such as \"12.50\"")
		return decimal.Decimal{}, false
	}
	return x, true
}

// Array reads an array field.
func (o Object) Array(key string, required bool) ([]any, bool) {
	v, ok := o.Get(key)
	if !ok {
		if required {
			o.Report(key, "", "is missing; want an array")
		}
		return nil, false
	}
	a, isArr := v.([]any)
	if !isArr {
		o.Report(key, Text(v), fmt.Sprintf("is %s; want an array", Kind(v)))
		return nil, false
	}
	return a, true
}

// Object reads an object field.
func (o Object) Object(key, what string, required bool) (Object, bool) {
	v, ok := o.Get(key)
	if !ok {
		if required {
			o.Report(key, "", "is missing; want "+what)
		}
		return Object{d: o.d, path: o.Path(key)}, false
	}
	return o.d.Object(o.Path(key), v, what)
}

// nearest returns the allowed name closest to k when it looks like a typo
// of it, else "".
func nearest(k string, allowed []string) string {
	best, bestD := "", 3
	lk := strings.ToLower(k)
	for _, a := range allowed {
		if strings.ToLower(a) == lk {
			return a
		}
		if d := distance(lk, strings.ToLower(a)); d < bestD {
			best, bestD = a, d
		}
	}
	return best
}

// distance is the Levenshtein distance between a and b, capped at 3 for
// long inputs.
func distance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return 3
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// Decoder is the decoder the object reports to.
func (o Object) Decoder() *Decoder { return o.d }
