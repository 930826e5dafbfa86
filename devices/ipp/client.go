package ipp

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"
)

// JobState is a job's state (RFC 8011 §5.3.7).
type JobState int32

// Job states.
const (
	JobPending           JobState = 3
	JobPendingHeld       JobState = 4
	JobProcessing        JobState = 5
	JobProcessingStopped JobState = 6
	JobCanceled          JobState = 7
	JobAborted           JobState = 8
	JobCompleted         JobState = 9
)

// Done reports a terminal state: completed, canceled or aborted.
func (s JobState) Done() bool { return s >= JobCanceled }

func (s JobState) String() string {
	switch s {
	case JobPending:
		return "pending"
	case JobPendingHeld:
		return "pending-held"
	case JobProcessing:
		return "processing"
	case JobProcessingStopped:
		return "processing-stopped"
	case JobCanceled:
		return "canceled"
	case JobAborted:
		return "aborted"
	case JobCompleted:
		return "completed"
	}
	return fmt.Sprintf("job-state(%d)", int32(s))
}

// PrinterState is a printer's state (RFC 8011 §5.4.11).
type PrinterState int32

// Printer states.
const (
	PrinterIdle       PrinterState = 3
	PrinterProcessing PrinterState = 4
	PrinterStopped    PrinterState = 5
)

// Job is what the server says of a job.
type Job struct {
	ID      int
	State   JobState
	Reasons []string // job-state-reasons, e.g. job-completed-successfully
	Message string   // job-printer-state-message or job-state-message
}

// Printer is what the server says of the queue and its printer.
type Printer struct {
	State     PrinterState
	Reasons   []string // printer-state-reasons, e.g. media-empty-error; "none" dropped
	Message   string   // printer-state-message
	Accepting bool     // printer-is-accepting-jobs
}

// StatusError is an IPP answer with an error status (RFC 8011 §5.4.15 and
// Appendix B).
type StatusError struct {
	Op      uint16
	Status  uint16
	Message string // status-message, if the server gave one
}

func (e *StatusError) Error() string {
	s := fmt.Sprintf("ipp: operation %#04x: status %#04x", e.Op, e.Status)
	if e.Message != "" {
		s += ": " + e.Message
	}
	return s
}

// Status codes the client tells apart.
const (
	StatusNotFound         uint16 = 0x0406
	StatusNotPossible      uint16 = 0x0404
	StatusNotAcceptingJobs uint16 = 0x0506
)

// ErrNotFound is matched (errors.Is) by a StatusError for a job or queue
// the server does not know.
var ErrNotFound = errors.New("ipp: not found")

// Is makes errors.Is(err, ErrNotFound) work.
func (e *StatusError) Is(target error) bool {
	return target == ErrNotFound && e.Status == StatusNotFound
}

// Options configures a Client.
type Options struct {
	HTTP *http.Client // nil: a client with a 30 s overall timeout
	User string       // requesting-user-name; empty: "tongban"
	// MaxAnswer bounds an answer's size in bytes; 0 means 1 MiB.
	MaxAnswer int64
}

// Client speaks IPP to one queue. It is safe for concurrent use.
type Client struct {
	post       string // http(s) URL requests are posted to
	printerURI string // ipp(s) URI named in the requests
	http       *http.Client
	user       string
	max        int64
	id         atomic.Uint32
}

// New returns a client of queue on server, e.g. "http://127.0.0.1:631"
// and "A4". The queue name is a CUPS queue: letters, digits, '-' and '_'.
func New(server, queue string, opts Options) (*Client, error) {
	u, err := url.Parse(server)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return nil, fmt.Errorf("ipp: server %q is not an http(s) address such as http://127.0.0.1:631", server)
	}
	if queue == "" || strings.IndexFunc(queue, func(r rune) bool {
		return !(r == '-' || r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z')
	}) >= 0 {
		return nil, fmt.Errorf("ipp: queue name %q should be letters, digits, '-' or '_'", queue)
	}
	c := &Client{http: opts.HTTP, user: opts.User, max: opts.MaxAnswer}
	if c.http == nil {
		c.http = &http.Client{Timeout: 30 * time.Second}
	}
	if c.user == "" {
		c.user = "tongban"
	}
	if c.max <= 0 {
		c.max = 1 << 20
	}
	path := "/printers/" + queue
	c.post = u.Scheme + "://" + u.Host + path
	scheme := "ipp"
	if u.Scheme == "https" {
		scheme = "ipps"
	}
	c.printerURI = scheme + "://" + u.Host + path
	return c, nil
}

// operation starts a request with the operation attributes every request
// carries (RFC 8011 §4.1.4).
func (c *Client) operation(op uint16, extra ...Attribute) *Message {
	attrs := []Attribute{
		{"attributes-charset", []Value{String(TagCharset, "utf-8")}},
		{"attributes-natural-language", []Value{String(TagLanguage, "zh-cn")}},
		{"printer-uri", []Value{String(TagURI, c.printerURI)}},
		{"requesting-user-name", []Value{String(TagName, c.user)}},
	}
	return &Message{
		Version:   Version20,
		Code:      op,
		RequestID: c.id.Add(1),
		Groups:    []Group{{Tag: TagOperation, Attrs: append(attrs, extra...)}},
	}
}

// do posts req and returns the answer, or a *StatusError for an error
// status.
func (c *Client) do(ctx context.Context, req *Message) (*Message, error) {
	body, err := req.MarshalBinary()
	if err != nil {
		return nil, err
	}
	hr, err := http.NewRequestWithContext(ctx, http.MethodPost, c.post, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	hr.Header.Set("Content-Type", "application/ipp")
	resp, err := c.http.Do(hr)
	if err != nil {
		return nil, fmt.Errorf("ipp: %w", err)
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
		return nil, fmt.Errorf("ipp: the server answered HTTP %s", resp.Status)
	}
	raw, err := io.ReadAll(io.LimitReader(resp.Body, c.max+1))
	if err != nil {
		return nil, fmt.Errorf("ipp: reading the answer: %w", err)
	}
	if int64(len(raw)) > c.max {
		return nil, fmt.Errorf("ipp: the answer is longer than %d bytes", c.max)
	}
	ans, err := Decode(raw)
	if err != nil {
		return nil, err
	}
	if ans.RequestID != req.RequestID {
		return nil, fmt.Errorf("%w: answer to request %d, not %d", ErrMalformed, ans.RequestID, req.RequestID)
	}
	if ans.Code >= 0x0400 {
		se := &StatusError{Op: req.Code, Status: ans.Code}
		if a, ok := ans.Find(TagOperation, "status-message"); ok {
			se.Message = a.Values[0].String()
		}
		return nil, se
	}
	return ans, nil
}

// Print submits a document (Print-Job) of MIME type format, e.g.
// application/pdf, and returns the job's ID.
func (c *Client) Print(ctx context.Context, title, format string, doc []byte) (int, error) {
	if title == "" {
		title = "document"
	}
	req := c.operation(OpPrintJob,
		Attribute{"job-name", []Value{String(TagName, clip(title, 255))}},
		Attribute{"document-format", []Value{String(TagMimeType, format)}},
	)
	req.Data = doc
	ans, err := c.do(ctx, req)
	if err != nil {
		return 0, err
	}
	a, ok := ans.Find(TagJob, "job-id")
	if !ok {
		return 0, fmt.Errorf("%w: Print-Job answered without a job-id", ErrMalformed)
	}
	id, ok := a.Values[0].Int()
	if !ok || id <= 0 {
		return 0, fmt.Errorf("%w: Print-Job answered a job-id that is not a positive integer", ErrMalformed)
	}
	return int(id), nil
}

// Job asks for a job's state (Get-Job-Attributes).
func (c *Client) Job(ctx context.Context, id int) (Job, error) {
	req := c.operation(OpGetJobAttributes,
		Attribute{"job-id", []Value{Integer(int32(id))}},
		Attribute{"requested-attributes", []Value{
			String(TagKeyword, "job-state"),
			String(TagKeyword, "job-state-reasons"),
			String(TagKeyword, "job-printer-state-message"),
			String(TagKeyword, "job-state-message"),
		}},
	)
	ans, err := c.do(ctx, req)
	if err != nil {
		return Job{}, err
	}
	j := Job{ID: id}
	a, ok := ans.Find(TagJob, "job-state")
	if !ok {
		return Job{}, fmt.Errorf("%w: Get-Job-Attributes answered without a job-state", ErrMalformed)
	}
	n, ok := a.Values[0].Int()
	if !ok {
		return Job{}, fmt.Errorf("%w: job-state is not an enum", ErrMalformed)
	}
	j.State = JobState(n)
	j.Reasons = keywords(ans, TagJob, "job-state-reasons")
	for _, name := range []string{"job-printer-state-message", "job-state-message"} {
		if a, ok := ans.Find(TagJob, name); ok && j.Message == "" {
			j.Message = a.Values[0].String()
		}
	}
	return j, nil
}

// Printer asks for the queue's state (Get-Printer-Attributes).
func (c *Client) Printer(ctx context.Context) (Printer, error) {
	req := c.operation(OpGetPrinterAttributes,
		Attribute{"requested-attributes", []Value{
			String(TagKeyword, "printer-state"),
			String(TagKeyword, "printer-state-reasons"),
			String(TagKeyword, "printer-state-message"),
			String(TagKeyword, "printer-is-accepting-jobs"),
		}},
	)
	ans, err := c.do(ctx, req)
	if err != nil {
		return Printer{}, err
	}
	var p Printer
	a, ok := ans.Find(TagPrinter, "printer-state")
	if !ok {
		return Printer{}, fmt.Errorf("%w: Get-Printer-Attributes answered without a printer-state", ErrMalformed)
	}
	n, ok := a.Values[0].Int()
	if !ok {
		return Printer{}, fmt.Errorf("%w: printer-state is not an enum", ErrMalformed)
	}
	p.State = PrinterState(n)
	p.Reasons = keywords(ans, TagPrinter, "printer-state-reasons")
	if a, ok := ans.Find(TagPrinter, "printer-state-message"); ok {
		p.Message = a.Values[0].String()
	}
	p.Accepting = true
	if a, ok := ans.Find(TagPrinter, "printer-is-accepting-jobs"); ok {
		if b, ok := a.Values[0].Bool(); ok {
			p.Accepting = b
		}
	}
	return p, nil
}

// Cancel cancels a job (Cancel-Job). A job that already ended is not an
// error.
func (c *Client) Cancel(ctx context.Context, id int) error {
	req := c.operation(OpCancelJob, Attribute{"job-id", []Value{Integer(int32(id))}})
	_, err := c.do(ctx, req)
	var se *StatusError
	if errors.As(err, &se) && se.Status == StatusNotPossible {
		return nil // already completed, canceled or aborted
	}
	return err
}

// keywords returns an attribute's keyword values, without "none".
func keywords(m *Message, tag Tag, name string) []string {
	a, ok := m.Find(tag, name)
	if !ok {
		return nil
	}
	var out []string
	for _, v := range a.Values {
		if v.Tag != TagKeyword {
			continue
		}
		if s := v.String(); s != "none" && s != "" {
			out = append(out, s)
		}
	}
	return out
}

// clip cuts s to at most n bytes on a character boundary.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}
