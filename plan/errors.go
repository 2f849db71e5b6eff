package plan

import (
	"errors"
	"fmt"

	"github.com/vetplan/healthplan/internal/wire"
)

// ValidationError is one problem with an input: which field, the value as
// given and what would be valid. Validation reports every problem at once,
// as the errors.Join of one ValidationError per problem; reach each with
// errors.As, or list them with [Problems]. Its fields:
//
//   - Path is the field's JSON path, such as
//     "plans[0].rules[2].discountPercent" or, for a value passed to a
//     function on its own, the field's JSON name ("lines[1].qty");
//   - Value is the value as given, empty when the field is missing;
//   - Reason says what is wrong and what would be valid;
//   - Err is the category of the problem when a caller may branch on it
//     (a sentinel such as allowance.ErrLineConflict), else nil; Unwrap
//     returns it, so errors.Is reaches it.
//
// Its Error method reads like `plans[0].rules[2].discountPercent: "150" is
// outside 0..100`.
type ValidationError = wire.ValidationError

// Problems lists every ValidationError in err, in order, looking through
// errors.Join and %w wrapping.
func Problems(err error) []*ValidationError {
	var out []*ValidationError
	var walk func(error)
	walk = func(e error) {
		if e == nil {
			return
		}
		if v, ok := e.(*ValidationError); ok {
			out = append(out, v)
			return
		}
		switch u := e.(type) {
		case interface{ Unwrap() []error }:
			for _, x := range u.Unwrap() {
				walk(x)
			}
		case interface{ Unwrap() error }:
			walk(u.Unwrap())
		}
	}
	walk(err)
	return out
}

// WithPathPrefix returns err with prefix put before the path of every
// ValidationError in it, so that problems found in a value reported on its
// own ("lines[0].qty") name where the value sits in a larger document
// ("events[3].lines[0].qty"). Other errors are kept as they are.
func WithPathPrefix(prefix string, err error) error {
	if err == nil || prefix == "" {
		return err
	}
	return wire.Rewrite(err, func(v *ValidationError) {
		switch {
		case v.Path == "":
			v.Path = prefix
		case v.Path[0] == '[':
			v.Path = prefix + v.Path
		default:
			v.Path = wire.Join(prefix, v.Path)
		}
	})
}

// errs collects validation problems under a path prefix.
type errs struct {
	list []error
}

func (e *errs) add(path, value, reason string) {
	e.list = append(e.list, &ValidationError{Path: path, Value: value, Reason: reason})
}

func (e *errs) addf(path, value, format string, args ...any) {
	e.add(path, value, fmt.Sprintf(format, args...))
}

func (e *errs) err() error { return errors.Join(e.list...) }
