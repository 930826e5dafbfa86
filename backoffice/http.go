package backoffice

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/tongban/tongban/backoffice/api"
)

// maxSmallBody bounds every request body but a batch upload.
const maxSmallBody = 64 << 10

// problem is an error answer: HTTP status plus the body's problem.
type problem struct {
	status int
	api.Problem
}

func (p *problem) Error() string { return p.Code + ": " + p.Message }

func newProblem(status int, code, msg string, retryable bool) *problem {
	return &problem{status: status, Problem: api.Problem{Code: code, Message: msg, Retryable: retryable}}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"error":{"code":"internal","message":"answer could not be encoded","retryable":true}}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	w.Write(b)
}

func writeProblem(w http.ResponseWriter, p *problem) {
	if rw, ok := w.(*recorder); ok {
		rw.reason = p.Code
	}
	writeJSON(w, p.status, api.ErrorBody{Error: p.Problem})
}

// readBody reads at most limit bytes of r's body.
func readBody(w http.ResponseWriter, r *http.Request, limit int64) ([]byte, *problem) {
	b, err := io.ReadAll(http.MaxBytesReader(w, r.Body, limit))
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return nil, newProblem(http.StatusRequestEntityTooLarge, api.CodeTooLarge,
			fmt.Sprintf("the body is over the %d-byte limit of this endpoint", limit), false)
	case err != nil:
		return nil, newProblem(http.StatusBadRequest, api.CodeMalformed, "the body could not be read to the end", true)
	}
	return b, nil
}

// readJSON reads a request's body (at most limit bytes) into v, strictly;
// on failure it has written the problem and returns false.
func readJSON(w http.ResponseWriter, r *http.Request, limit int64, v any) bool {
	body, p := readBody(w, r, limit)
	if p == nil {
		p = decodeStrict(body, v)
	}
	if p != nil {
		writeProblem(w, p)
		return false
	}
	return true
}

// decodeStrict decodes exactly one JSON value into v, refusing unknown
// fields and trailing data. Its messages name the problem and the byte
// offset, never a value.
func decodeStrict(b []byte, v any) *problem {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	err := dec.Decode(v)
	if err == nil {
		if _, err2 := dec.Token(); err2 != io.EOF {
			return newProblem(http.StatusBadRequest, api.CodeMalformed, "the body holds more than one JSON value", false)
		}
		return nil
	}
	var syn *json.SyntaxError
	var typ *json.UnmarshalTypeError
	switch {
	case errors.As(err, &syn):
		return newProblem(http.StatusBadRequest, api.CodeMalformed, fmt.Sprintf("the body is not valid JSON (byte %d)", syn.Offset), false)
	case errors.As(err, &typ):
		return newProblem(http.StatusBadRequest, api.CodeMalformed, fmt.Sprintf("field %q must be a JSON %s", clip(typ.Field, 64), typ.Type), false)
	case strings.HasPrefix(err.Error(), "json: unknown field "):
		return newProblem(http.StatusBadRequest, api.CodeUnknownField, "the body has a field this endpoint does not know: "+clip(strings.TrimPrefix(err.Error(), "json: unknown field "), 64), false)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
		return newProblem(http.StatusBadRequest, api.CodeMalformed, "the body is empty or cut short", false)
	default:
		return newProblem(http.StatusBadRequest, api.CodeMalformed, "the body is not the JSON this endpoint takes", false)
	}
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

// recorder remembers the status and reason code for the request log.
type recorder struct {
	http.ResponseWriter
	status   int
	reason   string
	terminal string
}

// Unwrap lets http.ResponseController reach the connection.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

func (r *recorder) WriteHeader(code int) {
	if r.status == 0 {
		r.status = code
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.ResponseWriter.Write(b)
}
