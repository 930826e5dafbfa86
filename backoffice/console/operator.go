package console

import (
	"encoding/base64"
	"errors"
	"html/template"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/skip2/go-qrcode"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/backoffice/store"
)

var (
	terminalCode = regexp.MustCompile(`^[A-Z]{2}-[A-Z0-9]{1,8}-[0-9]{4}$`)
	centerCodeRe = regexp.MustCompile(`^[A-Za-z0-9_-]{1,32}$`)
)

type enrolData struct {
	Terminal, Center, Token, Server string
	Fingerprint                     string       // the back office CA's, for the technician to check
	Code                            string       // the enrolment code the QR code holds (api.EnrolmentCode)
	QR                              template.URL // a data: URL made here, from a PNG
	ReEnrol, Move                   bool         // the operator's explicit choices
	Refused                         string       // a words key: why no token was issued
}

func (c *Console) enrolPage(q *req) {
	c.render(q, http.StatusOK, "enrol", "enrol.title", enrolData{Server: c.server, Fingerprint: c.caPin})
}

// enrol issues a token for a new terminal or, on the operator's explicit
// choice, for one enrolled already (whose old certificate then stops
// working), moved to another center on a second choice. A token for an
// enrolled terminal without the choice is refused, saying what to tick.
func (c *Console) enrol(q *req) {
	d := enrolData{Terminal: strings.TrimSpace(q.r.PostFormValue("terminal")), Center: strings.TrimSpace(q.r.PostFormValue("center")),
		Server: c.server, Fingerprint: c.caPin, ReEnrol: q.r.PostFormValue("reenrol") != "", Move: q.r.PostFormValue("move") != ""}
	if c.svc == nil {
		c.fail(q, http.StatusServiceUnavailable, "err.unavail")
		return
	}
	if !terminalCode.MatchString(d.Terminal) || !centerCodeRe.MatchString(d.Center) {
		c.fail(q, http.StatusBadRequest, "err.input")
		return
	}
	var tok string
	var err error
	action := "enrol.token"
	if d.ReEnrol || d.Move {
		d.ReEnrol, action = true, "enrol.reenrol"
		if d.Move {
			action = "enrol.move"
		}
		tok, err = c.svc.IssueReEnrolmentToken(q.r.Context(), d.Terminal, d.Center, 24*time.Hour, d.Move)
	} else {
		tok, err = c.svc.IssueEnrolmentToken(q.r.Context(), d.Terminal, d.Center, 24*time.Hour)
	}
	for refusal, key := range map[error]string{api.ErrAlreadyEnrolled: "enrol.enrolled", api.ErrNotEnrolled: "enrol.notenrolled",
		api.ErrOtherCenter: "enrol.othercenter", api.ErrSameCenter: "enrol.samecenter"} {
		if errors.Is(err, refusal) {
			d.Refused = key
			c.render(q, http.StatusConflict, "enrol", "enrol.title", d)
			return
		}
	}
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	d.Code = api.EnrolmentCode{Server: c.server, Token: tok, CAFingerprint: c.caPin}.String()
	png, err := qrcode.Encode(d.Code, qrcode.Medium, 320)
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	d.Token, d.QR = tok, template.URL("data:image/png;base64,"+base64.StdEncoding.EncodeToString(png))
	c.audit(q, action, d.Terminal, "center "+d.Center)
	c.render(q, http.StatusOK, "enrol", "enrol.title", d)
}

type bundleData struct {
	Kind    string
	Version uint64
	Error   string
}

func (c *Console) bundlesPage(q *req) {
	c.render(q, http.StatusOK, "bundles", "bundle.title", bundleData{})
}

func (c *Console) publish(q *req) {
	if c.svc == nil {
		c.fail(q, http.StatusServiceUnavailable, "err.unavail")
		return
	}
	kind := bundle.Kind(q.r.PostFormValue("kind"))
	if kind != bundle.KindCatalog && kind != bundle.KindConfig {
		c.fail(q, http.StatusBadRequest, "err.input")
		return
	}
	payload := []byte(q.r.PostFormValue("payload"))
	if f, _, err := q.r.FormFile("file"); err == nil {
		payload, err = io.ReadAll(io.LimitReader(f, 4<<20))
		f.Close()
		if err != nil {
			c.fail(q, http.StatusBadRequest, "err.form")
			return
		}
	}
	if len(strings.TrimSpace(string(payload))) == 0 {
		c.fail(q, http.StatusBadRequest, "err.input")
		return
	}
	v, err := c.svc.PublishBundle(q.r.Context(), kind, payload)
	if err != nil {
		c.log.Warn("bundle not published", "kind", kind, "err", err)
		c.render(q, http.StatusBadRequest, "bundles", "bundle.title", bundleData{Kind: string(kind), Error: err.Error()})
		return
	}
	c.audit(q, "bundle.publish", string(kind), "version "+strconv.FormatUint(v, 10))
	c.render(q, http.StatusOK, "bundles", "bundle.title", bundleData{Kind: string(kind), Version: v})
}

type usersData struct {
	Center   string
	Users    []store.User
	Roles    []string
	Now      time.Time
	Disabled time.Time // an account locked this long is disabled
}

func (c *Console) users(q *req) {
	center := q.user.Center
	if q.user.Role == store.RoleOperator {
		center = ""
	}
	us, err := c.st.Users(q.r.Context(), center)
	if err != nil {
		c.storeFailed(q, err)
		return
	}
	rs := roles
	if q.user.Role == store.RoleDirector {
		rs = []string{store.RoleStaff}
	}
	c.render(q, http.StatusOK, "users", "users.title", usersData{Center: q.user.Center, Users: us, Roles: rs, Now: c.now(), Disabled: disabledUntil})
}

// disabledUntil is the lock of an account a director or operator
// disabled: it lasts until someone enables it again.
var disabledUntil = time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC)

// userAction unlocks, disables or enables an account. A director acts on
// the staff of their own center only; nobody disables themself. Disabling
// ends the account's open sessions at once.
func (c *Console) userAction(q *req) {
	name, action := q.r.PathValue("name"), q.r.PathValue("action")
	if action != "unlock" && action != "disable" && action != "enable" {
		c.fail(q, http.StatusBadRequest, "err.input")
		return
	}
	u, err := c.st.User(q.r.Context(), name)
	switch {
	case errors.Is(err, store.ErrNotFound):
		c.fail(q, http.StatusNotFound, "err.notfound")
		return
	case err != nil:
		c.storeFailed(q, err)
		return
	}
	if (q.user.Role == store.RoleDirector && (u.Role != store.RoleStaff || u.Center != q.user.Center)) ||
		(action == "disable" && u.Username == q.user.Username) {
		c.fail(q, http.StatusForbidden, "err.forbidden")
		return
	}
	until := time.Time{}
	if action == "disable" {
		until = disabledUntil
	}
	if err := c.st.SetLock(q.r.Context(), name, until); err != nil {
		c.storeFailed(q, err)
		return
	}
	if action == "disable" {
		if err := c.st.EndSessionsOf(q.r.Context(), name, c.now()); err != nil {
			c.storeFailed(q, err)
			return
		}
	}
	c.audit(q, "user."+action, name, "")
	back(q, Prefix+"users", "ok.userchanged")
}

var userName = regexp.MustCompile(`^[a-z0-9._-]{2,32}$`)

func (c *Console) addUser(q *req) {
	f := q.r.PostFormValue
	u := store.User{Username: strings.TrimSpace(f("username")), DisplayName: strings.TrimSpace(clip(f("display"), 64)),
		Role: f("role"), Center: strings.TrimSpace(f("center")), CreatedAt: c.now()}
	if q.user.Role == store.RoleDirector {
		// A director keeps the staff accounts of their own center only.
		if u.Role != store.RoleStaff {
			c.fail(q, http.StatusForbidden, "err.forbidden")
			return
		}
		u.Center = q.user.Center
	}
	if err := ValidateUser(u); err != nil {
		c.fail(q, http.StatusBadRequest, "err.input")
		return
	}
	h, err := HashPassword(f("password"))
	if err != nil {
		c.fail(q, http.StatusBadRequest, "err.input")
		return
	}
	u.PasswordHash = h
	if err := c.st.CreateUser(q.r.Context(), u); errors.Is(err, store.ErrExists) {
		c.fail(q, http.StatusConflict, "err.exists")
		return
	} else if err != nil {
		c.storeFailed(q, err)
		return
	}
	c.audit(q, "user.create", u.Username, "role "+u.Role+" center "+u.Center)
	back(q, Prefix+"users", "ok.user")
}

// ValidateUser checks an account before it is created: a name of 2–32
// lower-case letters, digits, '.', '_' or '-'; a known role; a center for
// staff and directors, none for operators and auditors.
func ValidateUser(u store.User) error {
	if !userName.MatchString(u.Username) {
		return errors.New("the user name must be 2 to 32 of a-z 0-9 . _ -")
	}
	switch u.Role {
	case store.RoleStaff, store.RoleDirector:
		if !centerCodeRe.MatchString(u.Center) {
			return errors.New("staff and directors need their center's code")
		}
	case store.RoleOperator, store.RoleAuditor:
		if u.Center != "" {
			return errors.New("operators and auditors belong to no center")
		}
	default:
		return errors.New("the role must be staff, director, operator or auditor")
	}
	return nil
}
