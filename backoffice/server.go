package backoffice

import (
	"context"
	"crypto/hmac"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"sort"
	"strconv"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/backoffice/connector"
	"github.com/tongban/tongban/backoffice/document"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/internal/sealed"
	"github.com/tongban/tongban/kiosk/i18n"
)

// Options configure a Server. Every field is optional but see each comment.
type Options struct {
	Logger *slog.Logger     // nil: discard
	Now    func() time.Time // nil: time.Now
	// CA issues client certificates at enrolment; nil: enrolment answers 503.
	CA *CA
	// Signer signs published bundles; nil: PublishBundle fails.
	Signer *bundle.Signer
	// HashKey keys the HMAC of ID numbers kept only for lookup
	// (appointments, licences). Nil: a fixed development key.
	HashKey []byte
	// PayloadKey is the back office's SM2 key that sealed submissions are
	// encrypted to (internal/sealed); its public half goes to terminals at
	// enrolment, signed by the CA. Nil: submissions are taken in clear.
	PayloadKey *sealed.PrivateKey
	// InsecureDev trusts the X-Tongban-Terminal header without a client
	// certificate. Only for plain HTTP on loopback during development.
	InsecureDev bool
	// Limits.OpenBodyTimeout bounds how long the body of a request to a
	// route without a client identity may take; zero fields take
	// DefaultLimits'. The connection caps are Serve's.
	Limits Limits
	// TerminalRate is how many requests a second one terminal may make on
	// average, TerminalBurst how many at once; zero: DefaultTerminalRate
	// and DefaultTerminalBurst. Negative: no limit, for load tests whose
	// simulated terminals live faster than real ones.
	TerminalRate  float64
	TerminalBurst int
	// Words gives the resident's words the answers carry (a submission's
	// progress); nil loads the embedded i18n catalog.
	Words *i18n.Catalog
	// Verifier checks scanned 随申码 and e-certificate codes (the issuing
	// platform); nil: identifications answer 503 and the terminal sends
	// the resident to the ID card or the counter.
	Verifier IdentityVerifier
	// Lookups records each e-licence lookup under a pseudonym of the
	// subject; nil: the store (durable).
	Lookups LookupLog
	// Readers allow-lists card readers by SAM ID per terminal. When it is
	// given, a submission must carry an identification event or an
	// allow-listed reader's SAM ID.
	Readers ReaderAllowList
	// LookupsPerMinute bounds e-licence lookups per terminal; 0: 20.
	LookupsPerMinute int
	// Connectors answer items' queries and documents per center
	// (backoffice/connector); nil: nothing is connected.
	Connectors *connector.Set
	// Documents issues the documents residents print (NewDocumentIssuer)
	// and serves their verification pages under VerifyPrefix; nil: no
	// document is connected.
	Documents DocumentIssuer
	// DevCenter is the center queries and documents are answered for when
	// a terminal the dev mode knows by its header alone is not enrolled.
	DevCenter string
}

// Server is the back office's HTTP handler.
type Server struct {
	st         store.Store
	log        *slog.Logger
	now        func() time.Time
	ca         *CA
	signer     *bundle.Signer
	payloadKey *sealed.PrivateKey
	hkey       []byte
	dev        bool
	mux        *http.ServeMux
	routes     []string
	words      *i18n.Catalog
	// openBody bounds an unauthenticated request's body (Limits).
	openBody time.Duration
	rate     *rateLimiter

	verifier   IdentityVerifier
	readers    ReaderAllowList
	lookups    LookupLog
	lookupRate *rateLimiter // e-licence lookups per terminal

	connectors *connector.Set
	documents  DocumentIssuer
	devCenter  string
	health     connectorHealth
}

// route is one endpoint: its ServeMux pattern, whether it needs an
// authenticated terminal, and its handler.
type route struct {
	pattern string
	auth    bool
	handle  func(s *Server, w http.ResponseWriter, r *http.Request, terminal string)
}

// routeTable lists every endpoint. The OpenAPI test checks it against the
// document in package api, both ways.
func routeTable() []route {
	return []route{
		{"GET /openapi.json", false, (*Server).handleOpenAPI},
		{"GET /healthz", false, (*Server).handleHealth},
		{"POST /v1/enrol", false, (*Server).handleEnrol},
		{"POST /v1/certificates:renew", true, (*Server).handleRenew},
		{"POST /v1/time", true, (*Server).handleTime},
		{"POST /v1/submissions:batch", true, (*Server).handleBatch},
		{"GET /v1/receipts/{receipt}", true, (*Server).handleStatus},
		{"GET /v1/bundles/{kind}", true, (*Server).handleBundle},
		{"POST /v1/heartbeats", true, (*Server).handleHeartbeat},
		{"POST /v1/alarms", true, (*Server).handleAlarm},
		{"POST /v1/centers/{center}/tickets", true, (*Server).handleTicket},
		{"GET /v1/centers/{center}/slots", true, (*Server).handleSlots},
		{"POST /v1/appointments", true, (*Server).handleBook},
		{"GET /v1/appointments/{id}", true, (*Server).handleAppointment},
		{"DELETE /v1/appointments/{id}", true, (*Server).handleCancel},
		{"POST /v1/licences:query", true, (*Server).handleLicences},
		{"POST /v1/identifications", true, (*Server).handleIdentify},
		{"POST /v1/queries", true, (*Server).handleQuery},
		{"POST /v1/documents", true, (*Server).handleDocument},
	}
}

// New returns the back office over st.
func New(st store.Store, opts Options) *Server {
	s := &Server{st: st, log: opts.Logger, now: opts.Now, ca: opts.CA, signer: opts.Signer, payloadKey: opts.PayloadKey, hkey: opts.HashKey, dev: opts.InsecureDev, mux: http.NewServeMux()}
	if s.log == nil {
		s.log = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	if s.now == nil {
		s.now = time.Now
	}
	if s.words = opts.Words; s.words == nil {
		w, err := i18n.Load()
		if err != nil {
			s.log.Error("the resident's words do not load; progress answers carry none", "err", err)
		}
		s.words = w
	}
	if s.openBody = opts.Limits.OpenBodyTimeout; s.openBody <= 0 {
		s.openBody = DefaultLimits.OpenBodyTimeout
	}
	if opts.TerminalRate >= 0 {
		s.rate = newRateLimiter(opts.TerminalRate, opts.TerminalBurst)
	}
	s.verifier, s.lookups, s.readers = opts.Verifier, opts.Lookups, opts.Readers
	if s.lookups == nil {
		s.lookups = st
	}
	perMin := opts.LookupsPerMinute
	if perMin <= 0 {
		perMin = 20
	}
	s.lookupRate = newRateLimiter(float64(perMin)/60, perMin)
	s.connectors, s.documents, s.devCenter = opts.Connectors, opts.Documents, opts.DevCenter
	s.health.m = map[string]*connectorEpisode{}
	if s.documents != nil {
		// The printed QR codes lead here: public pages, not API routes.
		s.mux.Handle(VerifyPrefix, document.Handler(VerifyPrefix, s.documents, s.log))
	}
	if s.hkey == nil {
		s.hkey = []byte("tongban development lookup key")
	}
	for _, rt := range routeTable() {
		rt := rt
		s.routes = append(s.routes, rt.pattern)
		s.mux.HandleFunc(rt.pattern, func(w http.ResponseWriter, r *http.Request) {
			rec := w.(*recorder)
			terminal := ""
			if !rt.auth {
				// Anyone may call it: a body trickled in to hold the
				// connection is cut off.
				http.NewResponseController(w).SetReadDeadline(time.Now().Add(s.openBody))
			}
			if rt.auth {
				c, p := s.authenticate(r)
				if p != nil {
					writeProblem(w, p)
					return
				}
				if wait, ok := s.rate.allow(c.terminal, s.now()); !ok {
					w.Header().Set("Retry-After", strconv.Itoa(int(wait/time.Second)+1))
					writeProblem(w, newProblem(http.StatusTooManyRequests, api.CodeTooMany,
						"this terminal is sending more requests than the back office takes; slow down and try again", true))
					return
				}
				terminal, rec.terminal = c.terminal, c.terminal
				r = r.WithContext(context.WithValue(r.Context(), callerKey{}, c))
			}
			rt.handle(s, w, r, terminal)
		})
	}
	sort.Strings(s.routes)
	return s
}

// Routes lists the served routes as ServeMux patterns ("METHOD /path").
func (s *Server) Routes() []string { return append([]string(nil), s.routes...) }

// ServeHTTP serves the API, logging each request without personal data and
// turning a panic into a 500.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &recorder{ResponseWriter: w}
	defer func() {
		if v := recover(); v != nil {
			if v == http.ErrAbortHandler {
				panic(v)
			}
			s.log.Error("handler panic", "pattern", r.Pattern, "panic", fmt.Sprint(v))
			if rec.status == 0 {
				writeProblem(rec, newProblem(http.StatusInternalServerError, api.CodeInternal, "the server failed; try again later", true))
			}
		}
		level := slog.LevelDebug
		if rec.status >= 400 && rec.status != http.StatusNotFound && rec.status != http.StatusNotModified {
			level = slog.LevelWarn
		}
		pattern := r.Pattern
		if pattern == "" {
			pattern = r.Method + " (no route)"
		}
		s.log.Log(r.Context(), level, "request", "pattern", pattern, "addr", r.RemoteAddr, "terminal", rec.terminal,
			"status", rec.status, "reason", rec.reason, "ms", time.Since(start).Milliseconds())
	}()
	s.mux.ServeHTTP(rec, r)
}

// caller is who a request speaks for: the terminal and, from its
// enrolment record, the center it serves. center is "" only for a terminal
// the plain-HTTP development mode knows by its header alone: such a caller
// is not scoped to a center.
type caller struct {
	terminal string
	center   string
}

type callerKey struct{}

// callerOf returns the caller authenticate found for r.
func callerOf(r *http.Request) caller {
	c, _ := r.Context().Value(callerKey{}).(caller)
	return c
}

// authenticate returns the terminal the request speaks for and its center.
// The center always comes from the enrolment record, never from the
// request.
func (s *Server) authenticate(r *http.Request) (caller, *problem) {
	claimed := r.Header.Get(api.TerminalHeader)
	if r.TLS != nil && len(r.TLS.VerifiedChains) > 0 {
		cert := r.TLS.VerifiedChains[0][0]
		id := cert.Subject.CommonName
		if claimed != "" && claimed != id {
			return caller{}, newProblem(http.StatusForbidden, api.CodeWrongTerminal,
				"the client certificate belongs to another terminal than the one named in "+api.TerminalHeader, false)
		}
		t, err := s.st.Terminal(r.Context(), id)
		if errors.Is(err, store.ErrNotFound) {
			return caller{}, newProblem(http.StatusForbidden, api.CodeCertReplaced, "this terminal is not enrolled here", false)
		}
		if err != nil {
			return caller{}, s.storeProblem(err)
		}
		if !t.RevokedAt.IsZero() {
			return caller{}, newProblem(http.StatusForbidden, api.CodeCertReplaced,
				"this terminal was revoked by an operator; it must be enrolled again with a new token", false)
		}
		if t.CertSerial != EnrolmentID(cert) {
			return caller{}, newProblem(http.StatusForbidden, api.CodeCertReplaced,
				"this certificate was replaced by a newer enrolment of the terminal; enrol again", false)
		}
		return caller{terminal: id, center: t.Center}, nil
	}
	if s.dev && claimed != "" {
		// An enrolled terminal keeps its center in the dev mode too.
		t, err := s.st.Terminal(r.Context(), claimed)
		switch {
		case err == nil:
			return caller{terminal: claimed, center: t.Center}, nil
		case errors.Is(err, store.ErrNotFound):
			return caller{terminal: claimed}, nil
		default:
			return caller{}, s.storeProblem(err)
		}
	}
	return caller{}, newProblem(http.StatusUnauthorized, api.CodeUnauthenticated,
		"a client certificate from enrolment is required (kioskctl enrol)", false)
}

// storeProblem answers a store failure: the client should retry later.
func (s *Server) storeProblem(err error) *problem {
	if errors.Is(err, context.Canceled) {
		return newProblem(http.StatusServiceUnavailable, api.CodeUnavailable, "the request was cancelled", true)
	}
	s.log.Error("store failure", "err", err)
	return newProblem(http.StatusServiceUnavailable, api.CodeUnavailable, "the back office cannot reach its database; try again later", true)
}

// lookupHash is the keyed hash (HMAC-SM3) under which an ID number is stored for lookup.
func (s *Server) lookupHash(holderType, code string) string {
	m := hmac.New(sm3.New, s.hkey)
	m.Write([]byte(holderType))
	m.Write([]byte{0})
	m.Write([]byte(code))
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Server) handleOpenAPI(w http.ResponseWriter, r *http.Request, _ string) {
	w.Header().Set("Content-Type", "application/json")
	w.Write(api.OpenAPIDocument())
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request, _ string) {
	writeJSON(w, http.StatusOK, map[string]any{"ok": true, "time": s.now().UTC()})
}
