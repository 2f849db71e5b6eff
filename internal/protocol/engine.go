package protocol

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"runtime/debug"
	"strconv"
	"unicode/utf8"

	"github.com/vetplan/healthplan/internal/wire"
	"github.com/vetplan/healthplan/plan"
)

// DefaultTermsCache is how many terms documents an [Engine] holds unless
// [Options] say otherwise.
const DefaultTermsCache = 256

// Options configure an [Engine].
type Options struct {
	// TermsCache bounds how many terms documents the engine holds for
	// requests that name them by reference; the least recently used go
	// first. 0 means DefaultTermsCache.
	TermsCache int
}

// Engine answers requests. Its only state is the bounded cache of terms
// the terms operation fills; it is safe for any number of concurrent
// calls.
type Engine struct {
	terms *termsCache
	// onPanic, when set, is told about a fault of the engine (a test
	// hook and the server's log).
	onPanic func(v any, stack []byte)
}

// New returns an engine.
func New(o Options) *Engine {
	n := o.TermsCache
	if n <= 0 {
		n = DefaultTermsCache
	}
	return &Engine{terms: newTermsCache(n)}
}

// OnPanic sets f to be told about a fault of the engine, which is
// answered with [CodeInternal]. Set it before the engine is shared.
func (e *Engine) OnPanic(f func(v any, stack []byte)) { e.onPanic = f }

// CachedTerms is how many terms documents the engine holds.
func (e *Engine) CachedTerms() int { return e.terms.len() }

// Response is the answer to one request.
type Response struct {
	// Body is the response document, one line of compact JSON ending
	// with a newline: {"id", "result", "contract"} or {"id", "error"}.
	Body []byte
	// Err is the response's error, nil when it has a result.
	Err *Error
	// Op is the operation answered, "" when there was none.
	Op string
}

// Status is the HTTP status of the response: 200, or its error's.
func (r Response) Status() int {
	if r.Err == nil {
		return 200
	}
	return r.Err.Status()
}

// Handle answers one request document, as Do does with the operation the
// request names; it returns the response document.
func (e *Engine) Handle(req []byte) []byte { return e.Do("", req).Body }

// Do answers one request document. op is the operation when the
// transport names it (the HTTP path): the request may then leave out
// "op", and an "op" it gives must be the same. Every answer, error or
// not, is a response document; nothing a request holds makes Do panic.
func (e *Engine) Do(op string, req []byte) (resp Response) {
	defer func() {
		if v := recover(); v != nil {
			if e.onPanic != nil {
				e.onPanic(v, debug.Stack())
			}
			resp = errorResponse("null", op, &Error{Code: CodeInternal, Message: "internal error: the engine failed on this request",
				Problems: []*plan.ValidationError{{Reason: fmt.Sprint("internal error: ", v)}}})
		}
	}()
	return e.do(op, req)
}

// Refuse is the answer to a request a transport refuses before the
// engine reads it (a body over the size limit, a wrong HTTP method): an
// error with code and one problem, reason, about the request as a whole.
func Refuse(code, reason string) Response {
	return errorResponse("null", "", problem(code, "", "", reason))
}

func (e *Engine) do(pathOp string, req []byte) Response {
	if !utf8.Valid(req) {
		return errorResponse("null", pathOp, notUTF8(req))
	}
	env, errResp := readEnvelope(req)
	if env == nil {
		return errorResponse("null", pathOp, errResp)
	}
	id := env.id
	// refuse answers a request refused before its fields are read, unless
	// it is malformed somewhere: that comes first, wherever it is.
	refuse := func(op string, e *Error) Response {
		if !json.Valid(req) {
			return errorResponse("null", op, malformed(req))
		}
		return errorResponse(id, op, e)
	}
	if errResp != nil {
		return refuse(pathOp, errResp)
	}
	op := pathOp
	if env.hasOp {
		if pathOp != "" && env.op != pathOp {
			return refuse(op, problem(CodeInvalid, "op", env.opText, fmt.Sprintf("is not the operation the request is sent to (%q); leave it out or make it the same", pathOp)))
		}
		op = env.op
	}
	if env.opErr != "" {
		return refuse(op, problem(CodeUnknownOperation, "op", env.opText, env.opErr+"; want one of "+operationList))
	}
	if op == "" {
		return refuse(op, problem(CodeUnknownOperation, "op", "", "is missing; want one of "+operationList))
	}
	spec, ok := operations[op]
	if !ok {
		if pathOp != "" && !env.hasOp {
			return refuse(op, problem(CodeUnknownOperation, "", op, fmt.Sprintf("%q is not an operation; want one of %s", op, operationList)))
		}
		return refuse(op, problem(CodeUnknownOperation, "op", op, "is not an operation; want one of "+operationList))
	}
	c := newCall(e, spec, env)
	out, err := spec.run(c)
	if c.syntax {
		return errorResponse("null", op, malformed(req))
	}
	if ps := c.allProblems(); len(ps) > 0 {
		err = errors.Join(ps...)
	}
	if err != nil {
		// A field the refusal left unread may be malformed.
		return refuse(op, errorOf(err))
	}
	b := make([]byte, 0, 64+len(out.result)+len(out.contract))
	b = append(b, `{"id":`...)
	b = append(b, id...)
	b = append(b, `,"result":`...)
	b = append(b, out.result...)
	if out.contract != nil {
		b = append(b, `,"contract":`...)
		b = append(b, out.contract...)
	}
	b = append(b, "}\n"...)
	return Response{Body: b, Op: op}
}

func errorResponse(id, op string, e *Error) Response {
	b := make([]byte, 0, 128+len(e.Message)*2)
	b = append(b, `{"id":`...)
	b = append(b, id...)
	b = append(b, `,"error":`...)
	b = appendError(b, e)
	b = append(b, "}\n"...)
	return Response{Body: b, Err: e, Op: op}
}

// appendError writes {"code", "message", "problems": [{"path", "value",
// "reason"}]} and, for a malformed request, "line" and "column".
func appendError(b []byte, e *Error) []byte {
	b = append(b, `{"code":`...)
	b = wire.AppendString(b, e.Code)
	b = append(b, `,"message":`...)
	b = wire.AppendString(b, e.Message)
	if e.Line > 0 {
		b = append(b, `,"line":`...)
		b = strconv.AppendInt(b, int64(e.Line), 10)
		b = append(b, `,"column":`...)
		b = strconv.AppendInt(b, int64(e.Column), 10)
	}
	b = append(b, `,"problems":[`...)
	for i, p := range e.Problems {
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, `{"path":`...)
		b = wire.AppendString(b, p.Path)
		b = append(b, `,"value":`...)
		b = wire.AppendString(b, p.Value)
		b = append(b, `,"reason":`...)
		b = wire.AppendString(b, p.Reason)
		b = append(b, '}')
	}
	return append(b, "]}"...)
}

// ProblemType is the URI that names an error code in a problem document.
func ProblemType(code string) string {
	return "https://github.com/vetplan/healthplan/blob/main/examples/serve/README.md#" + code
}

// Problem is the response as an RFC 9457 problem document, for an HTTP
// answer: {"type", "title", "status", "detail"} followed by the
// response's own members, "id" and "error", byte for byte. It is nil for
// a response without an error.
func (r Response) Problem() []byte {
	if r.Err == nil {
		return nil
	}
	c := lookup(r.Err.Code)
	b := make([]byte, 0, 160+len(r.Body)+len(r.Err.Message))
	b = append(b, `{"type":`...)
	b = wire.AppendString(b, ProblemType(c.Code))
	b = append(b, `,"title":`...)
	b = wire.AppendString(b, c.Title)
	b = append(b, `,"status":`...)
	b = strconv.AppendInt(b, int64(c.Status), 10)
	b = append(b, `,"detail":`...)
	b = wire.AppendString(b, r.Err.Message)
	b = append(b, ',')
	return append(b, r.Body[1:]...)
}

// envelope is a request's top level: its id, its op and the raw text of
// every other field.
type envelope struct {
	id     string // compact JSON, "null" when absent
	hasOp  bool
	op     string
	opText string // the op as a problem quotes it
	// opErr says what is wrong with an op that is not a string.
	opErr  string
	fields map[string]string
	order  []string
}

// readEnvelope reads the request's top-level object. Its values are kept
// as written, for the readers of each field to check.
func readEnvelope(req []byte) (*envelope, *Error) {
	s := wire.NewScanner(string(req), "")
	env := &envelope{id: "null", fields: make(map[string]string, 8)}
	var idRaw string
	hasID := false
	var dups []string
	if !s.Object("a request") {
		if s.Failed() {
			return nil, malformed(req)
		}
		return nil, &Error{Code: CodeInvalid, Message: messageOf(ptrs(s.Problems)), Problems: ptrs(s.Problems)}
	}
	for {
		k, ok := s.Key()
		if !ok {
			break
		}
		_, dup := env.fields[k]
		if dup || (k == "id" && hasID) || (k == "op" && env.hasOp) {
			dups = append(dups, k)
			s.Skip()
			continue
		}
		switch k {
		case "id":
			hasID = true
			idRaw = s.Raw()
		case "op":
			env.hasOp = true
			raw := s.Raw()
			if err := json.Unmarshal([]byte(raw), &env.op); err != nil {
				var se *json.SyntaxError
				if errors.As(err, &se) {
					return nil, malformed(req)
				}
				v, err := wire.Parse([]byte(raw), nil)
				if err != nil {
					return nil, malformed(req)
				}
				env.opText, env.opErr = wire.Text(v), "is "+wire.Kind(v)
			} else {
				env.opText = env.op
			}
		default:
			env.fields[k] = s.Raw()
			env.order = append(env.order, k)
		}
	}
	s.End()
	if s.Failed() {
		return nil, malformed(req)
	}
	if hasID {
		var buf bytes.Buffer
		if err := json.Compact(&buf, []byte(idRaw)); err != nil {
			return nil, malformed(req)
		}
		env.id = buf.String()
	}
	if len(dups) > 0 {
		var ps []*plan.ValidationError
		for _, k := range dups {
			ps = append(ps, &plan.ValidationError{Path: k, Value: k, Reason: "appears twice in the object; give each field once"})
		}
		return env, &Error{Code: CodeInvalid, Message: messageOf(ps), Problems: ps}
	}
	return env, nil
}

func ptrs(ps []wire.Problem) []*plan.ValidationError {
	out := make([]*plan.ValidationError, len(ps))
	for i := range ps {
		p := ps[i]
		out[i] = &p
	}
	return out
}
