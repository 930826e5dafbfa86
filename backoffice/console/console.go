package console

import (
	"context"
	"embed"
	"errors"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/backoffice/store"
)

//go:embed templates/*.html static/*
var files embed.FS

// Prefix is where the console's routes live on the back office's listener.
const Prefix = "/console/"

// Services are the back office's own operations the console triggers:
// *backoffice.Server has them.
type Services interface {
	IssueEnrolmentToken(ctx context.Context, terminal, center string, ttl time.Duration) (string, error)
	// IssueReEnrolmentToken: for a terminal enrolled already, on the
	// operator's explicit choice (and a move to another center on a
	// second one).
	IssueReEnrolmentToken(ctx context.Context, terminal, center string, ttl time.Duration, move bool) (string, error)
	PublishBundle(ctx context.Context, kind bundle.Kind, payload []byte) (uint64, error)
}

// Options configure a Console. Zero fields take the defaults in each comment.
type Options struct {
	Logger   *slog.Logger     // nil: discard
	Now      func() time.Time // nil: time.Now
	Services Services         // nil: enrolment and bundles answer 503
	// IdleTimeout ends a session with no request for this long (15 min).
	IdleTimeout time.Duration
	// LockAfter wrong passwords in a row lock an account for LockFor
	// (10, 15 min).
	LockAfter int
	LockFor   time.Duration
	// SilentAfter: a terminal with no heartbeat for this long is offline
	// and raises a "silent" alarm (5 min).
	SilentAfter time.Duration
	// ServerURL is shown with enrolment tokens for the technician
	// (kioskctl enrol --server).
	ServerURL string
	// CAFingerprint is the back office CA's fingerprint (sealed.Fingerprint),
	// shown and put in the enrolment code with each token: the terminal
	// sends the token only to a server of that CA.
	CAFingerprint string
	// Records imports a center's department records from CSV (the store
	// connector, *connector.Store); nil: the records page is not offered.
	Records Records
	// RecordItems lists the items a center answers from imported records
	// (connector.Set.StoreItems); an import for another item is refused,
	// as it would never be used. Nil: any item code is taken.
	RecordItems func(center string) []string
}

// Console is the web console's HTTP handler.
type Console struct {
	st       Store
	log      *slog.Logger
	now      func() time.Time
	svc      Services
	idle     time.Duration
	lockN    int
	lockFor  time.Duration
	silent   time.Duration
	server   string
	caPin    string
	mux      *http.ServeMux
	pages    map[string]*template.Template
	throttle *throttle
	routes   []string
	records  Records
	recItems func(center string) []string
}

// New returns the console over st.
func New(st Store, opts Options) (*Console, error) {
	c := &Console{st: st, log: opts.Logger, now: opts.Now, svc: opts.Services, idle: opts.IdleTimeout,
		lockN: opts.LockAfter, lockFor: opts.LockFor, silent: opts.SilentAfter, server: opts.ServerURL, caPin: opts.CAFingerprint,
		records: opts.Records, recItems: opts.RecordItems, mux: http.NewServeMux(), throttle: &throttle{fails: map[string][]time.Time{}}}
	if c.log == nil {
		c.log = slog.New(slog.DiscardHandler)
	}
	if c.now == nil {
		c.now = time.Now
	}
	if c.idle <= 0 {
		c.idle = 15 * time.Minute
	}
	if c.lockN <= 0 {
		c.lockN = 10
	}
	if c.lockFor <= 0 {
		c.lockFor = 15 * time.Minute
	}
	if c.silent <= 0 {
		c.silent = 5 * time.Minute
	}
	if err := c.parse(); err != nil {
		return nil, err
	}
	c.routesTable()
	return c, nil
}

// Mount serves the console under Prefix, the receipts' public progress
// page under ProgressPrefix, and everything else with api, on one listener.
func Mount(api http.Handler, c *Console) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == "/console" || strings.HasPrefix(r.URL.Path, Prefix) || strings.HasPrefix(r.URL.Path, ProgressPrefix) {
			c.ServeHTTP(w, r)
			return
		}
		api.ServeHTTP(w, r)
	})
}

// ServeHTTP serves a console page, logging the route pattern and status only.
func (c *Console) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rec := &statusWriter{ResponseWriter: w}
	h := rec.Header()
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; form-action 'self'; frame-ancestors 'none'")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-store")
	c.mux.ServeHTTP(rec, r)
	pattern := r.Pattern
	if pattern == "" {
		pattern = r.Method + " (no route)"
	}
	level := slog.LevelDebug
	if rec.status >= 400 {
		level = slog.LevelWarn
	}
	c.log.Log(r.Context(), level, "console", "pattern", pattern, "status", rec.status, "user", rec.user, "ms", time.Since(start).Milliseconds())
}

type statusWriter struct {
	http.ResponseWriter
	status int
	user   string
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// access says who may use a route.
type access int

const (
	public   access = iota // no session (login, static)
	anyone                 // any logged-in user
	center                 // staff and directors of a center, operators
	director               // directors of a center, operators
	operator               // operators
	auditor                // auditors and operators
)

func allowed(a access, role string) bool {
	switch a {
	case public, anyone:
		return true
	case center:
		return role == store.RoleStaff || role == store.RoleDirector || role == store.RoleOperator
	case director:
		return role == store.RoleDirector || role == store.RoleOperator
	case operator:
		return role == store.RoleOperator
	case auditor:
		return role == store.RoleAuditor || role == store.RoleOperator
	}
	return false
}

// req is one request as a handler sees it.
type req struct {
	w    http.ResponseWriter
	r    *http.Request
	user store.User
	sess store.Session
	lang string
}

// maxForm bounds a form's body, files included, unless a route says more.
const maxForm = 4 << 20

func (c *Console) handle(pattern string, a access, fn func(c *Console, q *req)) {
	c.handleBody(pattern, a, maxForm, fn)
}

// handleBody is handle for a route whose forms may be up to maxBody bytes.
// A form is held in memory whole, never in temporary files: uploads can
// hold residents' data.
func (c *Console) handleBody(pattern string, a access, maxBody int64, fn func(c *Console, q *req)) {
	c.routes = append(c.routes, pattern)
	c.mux.HandleFunc(pattern, func(w http.ResponseWriter, r *http.Request) {
		q := &req{w: w, r: r, lang: langOf(r)}
		if a != public {
			if !c.authenticate(q) {
				return
			}
			if sw, ok := w.(*statusWriter); ok {
				sw.user = q.user.Username
			}
			if !allowed(a, q.user.Role) {
				c.fail(q, http.StatusForbidden, "err.forbidden")
				return
			}
			if r.Method == http.MethodPost {
				r.Body = http.MaxBytesReader(w, r.Body, maxBody)
				if err := r.ParseMultipartForm(maxBody); err != nil && !errors.Is(err, http.ErrNotMultipart) {
					if tooLarge := new(http.MaxBytesError); errors.As(err, &tooLarge) {
						c.fail(q, http.StatusRequestEntityTooLarge, "err.toolarge")
						return
					}
					c.fail(q, http.StatusBadRequest, "err.form")
					return
				}
				if !sameToken(r.PostFormValue("csrf"), q.sess.CSRF) {
					c.audit(q, "csrf.refused", r.URL.Path, "")
					c.fail(q, http.StatusForbidden, "err.csrf")
					return
				}
			}
		}
		fn(c, q)
	})
}

const (
	sessionCookie = "tb_console"
	loginCSRF     = "tb_login_csrf"
	langCookie    = "tb_lang"
)

// authenticate finds the live session of the request, or sends the
// browser to the login page.
func (c *Console) authenticate(q *req) bool {
	ck, err := q.r.Cookie(sessionCookie)
	if err == nil && ck.Value != "" {
		h := hashToken(ck.Value)
		ss, err := c.st.Session(q.r.Context(), h)
		now := c.now()
		switch {
		case err != nil && !errors.Is(err, store.ErrNotFound):
			c.log.Error("session lookup", "err", err)
			c.fail(q, http.StatusServiceUnavailable, "err.store")
			return false
		case err == nil && ss.EndedAt.IsZero() && now.Sub(ss.LastSeen) > c.idle:
			c.st.EndSession(q.r.Context(), h, now)
		case err == nil && ss.EndedAt.IsZero():
			u, err := c.st.User(q.r.Context(), ss.Username)
			if err == nil {
				c.st.TouchSession(q.r.Context(), h, now)
				q.user, q.sess = u, ss
				return true
			}
		}
	}
	if q.r.Method == http.MethodGet {
		http.Redirect(q.w, q.r, Prefix+"login?next="+urlEscape(q.r.URL.RequestURI()), http.StatusSeeOther)
	} else {
		c.fail(q, http.StatusUnauthorized, "err.login")
	}
	return false
}

// audit records an action in the append-only trail. A failure to record
// is logged loudly: the action has happened.
func (c *Console) audit(q *req, action, target, detail string) {
	e := store.AuditEntry{At: c.now(), Username: q.user.Username, Role: q.user.Role, Action: action,
		Target: target, Detail: detail, Remote: remoteAddr(q.r)}
	if err := c.st.AppendAudit(context.WithoutCancel(q.r.Context()), e); err != nil {
		c.log.Error("AUDIT NOT RECORDED", "action", action, "err", err)
	}
}

func remoteAddr(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

func langOf(r *http.Request) string {
	if ck, err := r.Cookie(langCookie); err == nil && ck.Value == "en" {
		return "en"
	}
	return "zh"
}

// throttle slows down a remote address that keeps failing to log in: after
// 20 failures in 15 minutes it is refused until they age out.
type throttle struct {
	mu    sync.Mutex
	fails map[string][]time.Time
}

const (
	throttleN      = 20
	throttleWindow = 15 * time.Minute
)

func (t *throttle) blocked(addr string, now time.Time) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	keep := t.fails[addr][:0]
	for _, at := range t.fails[addr] {
		if now.Sub(at) < throttleWindow {
			keep = append(keep, at)
		}
	}
	if len(keep) == 0 {
		delete(t.fails, addr)
		return false
	}
	t.fails[addr] = keep
	return len(keep) >= throttleN
}

func (t *throttle) fail(addr string, now time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if len(t.fails) > 10000 { // bound the memory an attack can take
		clear(t.fails)
	}
	t.fails[addr] = append(t.fails[addr], now)
}

func (c *Console) parse() error {
	c.pages = map[string]*template.Template{}
	names, err := fs.Glob(files, "templates/*.html")
	if err != nil {
		return err
	}
	for _, n := range names {
		base := strings.TrimSuffix(strings.TrimPrefix(n, "templates/"), ".html")
		if base == "layout" {
			continue
		}
		t, err := template.New("layout.html").Funcs(funcs).ParseFS(files, "templates/layout.html", n)
		if err != nil {
			return fmt.Errorf("console: template %s: %w", n, err)
		}
		c.pages[base] = t
	}
	return nil
}

// page is what every template gets.
type page struct {
	Records bool // the records page is offered
	Lang    string
	User    store.User
	CSRF    string
	Title   string
	Path    string
	Flash   string
	Error   string
	Data    any
}

func (c *Console) render(q *req, status int, name, title string, data any) {
	t := c.pages[name]
	if t == nil {
		panic("console: no template " + name)
	}
	p := page{Records: c.records != nil, Lang: q.lang, User: q.user, CSRF: q.sess.CSRF, Title: title, Path: q.r.URL.Path, Data: data,
		Flash: q.r.URL.Query().Get("ok")}
	var b strings.Builder
	if err := t.Execute(&b, p); err != nil {
		c.log.Error("render", "page", name, "err", err)
		http.Error(q.w, "the page could not be drawn", http.StatusInternalServerError)
		return
	}
	q.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	q.w.WriteHeader(status)
	io.WriteString(q.w, b.String())
}

// fail answers with an error page in the user's language.
func (c *Console) fail(q *req, status int, msgKey string) {
	c.render(q, status, "error", msgKey, msgKey)
}

func (c *Console) storeFailed(q *req, err error) {
	c.log.Error("store failure", "pattern", q.r.Pattern, "err", err)
	c.fail(q, http.StatusServiceUnavailable, "err.store")
}

// back redirects after a POST, with a flash message key.
func back(q *req, to, okKey string) {
	if okKey != "" {
		if strings.Contains(to, "?") {
			to += "&ok=" + okKey
		} else {
			to += "?ok=" + okKey
		}
	}
	http.Redirect(q.w, q.r, to, http.StatusSeeOther)
}
