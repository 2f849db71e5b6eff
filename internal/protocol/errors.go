package protocol

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/vetplan/healthplan"
	"github.com/vetplan/healthplan/allowance"
	"github.com/vetplan/healthplan/billing"
	"github.com/vetplan/healthplan/debt"
	"github.com/vetplan/healthplan/internal/exposure"
	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// The error codes a response carries. They are stable: a client branches
// on them. Each has the HTTP status the server answers with and a title
// for its problem document; [Codes] lists them in this order.
const (
	// CodeMalformed: the request is not JSON; the error gives the line and
	// column.
	CodeMalformed = "malformed"
	// CodeTooLarge: the request is larger than the transport accepts.
	CodeTooLarge = "tooLarge"
	// CodeUnknownOperation: the operation is missing or is not one of
	// [Operations].
	CodeUnknownOperation = "unknownOperation"
	// CodeInvalid: fields are missing, of the wrong type, out of bounds or
	// unknown; every problem is listed with its path.
	CodeInvalid = "invalid"
	// CodeUnknownTerms: the request names terms (termsRef, or a
	// contract's terms) the engine does not hold: send them with the terms
	// operation, or inline, and retry.
	CodeUnknownTerms = "unknownTerms"
	// CodeTermsMismatch: the terms given are not the ones the contract or
	// the reference names.
	CodeTermsMismatch = "termsMismatch"
	// CodeUnsupportedVersion: a contract document of a version this
	// engine does not read.
	CodeUnsupportedVersion = "unsupportedVersion"
	// CodeLineConflict: an invoice line committed before with different
	// content; the visit is refused whole.
	CodeLineConflict = "lineConflict"
	// CodeUnknownLine: reversing a line that was never committed.
	CodeUnknownLine = "unknownLine"
	// CodeAlreadyReversed: reversing a line reversed already.
	CodeAlreadyReversed = "alreadyReversed"
	// CodeUnknownRule: adjusting a rule the plan does not have.
	CodeUnknownRule = "unknownRule"
	// CodeOverAllowance: an adjustment beyond what the rule allows.
	CodeOverAllowance = "overAllowance"
	// CodeTerminated: terminating (or settling) a contract terminated
	// already.
	CodeTerminated = "terminated"
	// CodeNotExpired: reason expired before the term's last day.
	CodeNotExpired = "notExpired"
	// CodeRenewed: renewing a contract renewed already.
	CodeRenewed = "renewed"
	// CodeNotRenewable: renewing a contract terminated early, or under
	// its own id.
	CodeNotRenewable = "notRenewable"
	// CodeOutsideSaleWindow: a sale or renewal starting outside the
	// plan's sale window.
	CodeOutsideSaleWindow = "outsideSaleWindow"
	// CodeAnalysisTooLarge: a plan too large to analyse exactly (the
	// exposure operation never approximates instead).
	CodeAnalysisTooLarge = "analysisTooLarge"
	// CodeInternal: a fault of the engine, never of the request.
	CodeInternal = "internal"

	// The codes only the HTTP server answers with, about the HTTP request
	// rather than the protocol's.
	CodeNotFound             = "notFound"
	CodeMethodNotAllowed     = "methodNotAllowed"
	CodeUnsupportedMediaType = "unsupportedMediaType"
	CodeTimeout              = "timeout"
)

// Code describes one error code.
type Code struct {
	Code   string
	Status int // the HTTP status
	Title  string
	// err is the library's sentinel the code stands for, nil for the
	// protocol's own codes.
	err error
}

var codes = []Code{
	{CodeMalformed, 400, "Malformed JSON", nil},
	{CodeTooLarge, 413, "Request too large", nil},
	{CodeUnknownOperation, 404, "Unknown operation", nil},
	{CodeInvalid, 422, "Invalid request", nil},
	{CodeUnknownTerms, 422, "Unknown terms", healthplan.ErrUnknownTerms},
	{CodeTermsMismatch, 422, "Terms do not match", healthplan.ErrTermsMismatch},
	{CodeUnsupportedVersion, 422, "Unsupported contract version", healthplan.ErrVersion},
	{CodeLineConflict, 409, "Line committed with other content", allowance.ErrLineConflict},
	{CodeUnknownLine, 422, "Unknown line", allowance.ErrUnknownLine},
	{CodeAlreadyReversed, 409, "Line already reversed", allowance.ErrAlreadyReversed},
	{CodeUnknownRule, 422, "Unknown rule", allowance.ErrUnknownRule},
	{CodeOverAllowance, 422, "Outside the allowance", allowance.ErrOverAllowance},
	{CodeTerminated, 409, "Contract already terminated", debt.ErrTerminated},
	{CodeNotExpired, 422, "Term has not ended", debt.ErrNotExpired},
	// ErrRenewed comes joined with ErrNotRenewable: look for it first.
	{CodeRenewed, 409, "Contract already renewed", healthplan.ErrRenewed},
	{CodeNotRenewable, 409, "Contract cannot be renewed", billing.ErrNotRenewable},
	{CodeOutsideSaleWindow, 422, "Outside the sale window", plan.ErrOutsideSaleWindow},
	{CodeAnalysisTooLarge, 422, "Too large to analyse", exposure.ErrTooLarge},
	{CodeInternal, 500, "Internal error", nil},
	{CodeNotFound, 404, "Not found", nil},
	{CodeMethodNotAllowed, 405, "Method not allowed", nil},
	{CodeUnsupportedMediaType, 415, "Unsupported media type", nil},
	{CodeTimeout, 408, "Request timeout", nil},
}

// Codes lists every error code, with its HTTP status and title.
func Codes() []Code { return append([]Code(nil), codes...) }

func lookup(code string) Code {
	for _, c := range codes {
		if c.Code == code {
			return c
		}
	}
	return Code{Code: code, Status: 500, Title: "Internal error"}
}

// Error is a response's error: a stable code, a message, and every
// problem with its path in the request, the value given and the reason.
type Error struct {
	Code     string
	Message  string
	Problems []*plan.ValidationError
	// Line and Column locate a malformed request (CodeMalformed), 0
	// otherwise.
	Line, Column int
}

// Status is the HTTP status of the error.
func (e *Error) Status() int { return lookup(e.Code).Status }

// errorOf classifies err, an error of the library: its code is that of
// the first problem whose category has one (the library's sentinels),
// else [CodeInvalid]; every problem is listed. prefix (the request field
// the error is about) goes before the problems' paths.
func errorOf(err error) *Error {
	e := &Error{Code: CodeInvalid}
	found := false
	var walk func(error)
	walk = func(x error) {
		if u, ok := x.(interface{ Unwrap() []error }); ok {
			for _, y := range u.Unwrap() {
				walk(y)
			}
			return
		}
		var v *plan.ValidationError
		if !errors.As(x, &v) || error(v) != x {
			// Not a problem with a path: the whole message is the reason.
			v = &plan.ValidationError{Reason: x.Error(), Err: x}
		}
		e.Problems = append(e.Problems, v)
		if !found {
			for _, c := range codes {
				if c.err != nil && errors.Is(x, c.err) {
					e.Code, found = c.Code, true
					break
				}
			}
		}
	}
	walk(err)
	e.Message = messageOf(e.Problems)
	return e
}

func messageOf(ps []*plan.ValidationError) string {
	msgs := make([]string, len(ps))
	for i, p := range ps {
		msgs[i] = p.Error()
	}
	return strings.Join(msgs, "; ")
}

// malformed is the error of a request that is not JSON, with the position
// in the whole request.
func malformed(req []byte) *Error {
	_, err := wire.Parse(req, nil)
	var se *wire.SyntaxError
	if !errors.As(err, &se) {
		// A part was refused as malformed (nested too deep for its own
		// reader, say) while the whole parses: say so without a position.
		return &Error{Code: CodeMalformed, Message: "malformed JSON: " + errMsg(err),
			Problems: []*plan.ValidationError{{Reason: "malformed JSON"}}}
	}
	return &Error{Code: CodeMalformed, Message: se.Error(), Line: se.Line, Column: se.Column,
		Problems: []*plan.ValidationError{{Reason: se.Error()}}}
}

func errMsg(err error) string {
	if err == nil {
		return "a part of the request could not be read"
	}
	return err.Error()
}

// problem is an Error with one problem.
func problem(code, path, value, reason string) *Error {
	p := &plan.ValidationError{Path: path, Value: value, Reason: reason}
	return &Error{Code: code, Message: p.Error(), Problems: []*plan.ValidationError{p}}
}

// notUTF8 is the error of a request that is not UTF-8, the only encoding
// of JSON, with the position of the first byte that is not.
func notUTF8(req []byte) *Error {
	line, col := 1, 1
	for len(req) > 0 {
		r, n := utf8.DecodeRune(req)
		if r == utf8.RuneError && n <= 1 {
			break
		}
		if r == '\n' {
			line, col = line+1, 1
		} else {
			col++
		}
		req = req[n:]
	}
	msg := fmt.Sprintf("malformed JSON at line %d, column %d: the request is not UTF-8", line, col)
	return &Error{Code: CodeMalformed, Message: msg, Line: line, Column: col, Problems: []*plan.ValidationError{{Reason: msg}}}
}
