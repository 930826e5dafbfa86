package console

import (
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/tongban/tongban/backoffice/store"
)

func (c *Console) home(q *req) {
	to := "submissions"
	switch q.user.Role {
	case store.RoleOperator:
		to = "fleet"
	case store.RoleAuditor:
		to = "audit"
	}
	http.Redirect(q.w, q.r, Prefix+to, http.StatusSeeOther)
}

type loginData struct {
	Next, Message, User string
}

func (c *Console) loginPage(q *req) {
	c.showLogin(q, http.StatusOK, q.r.URL.Query().Get("ok"), "")
}

func (c *Console) showLogin(q *req, status int, msg, user string) {
	tok := randomToken(24)
	http.SetCookie(q.w, &http.Cookie{Name: loginCSRF, Value: tok, Path: Prefix + "login", Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: 3600})
	q.sess.CSRF = tok
	next := q.r.FormValue("next")
	if !strings.HasPrefix(next, Prefix) || strings.HasPrefix(next, "//") {
		next = Prefix
	}
	c.render(q, status, "login", "login.title", loginData{Next: next, Message: msg, User: user})
}

func (c *Console) login(q *req) {
	r := q.r
	r.Body = http.MaxBytesReader(q.w, r.Body, 16<<10)
	if err := r.ParseForm(); err != nil {
		c.fail(q, http.StatusBadRequest, "err.form")
		return
	}
	ck, err := r.Cookie(loginCSRF)
	if err != nil || !sameToken(r.PostFormValue("csrf"), ck.Value) {
		c.fail(q, http.StatusForbidden, "err.csrf")
		return
	}
	name, pw := strings.TrimSpace(r.PostFormValue("username")), r.PostFormValue("password")
	now, addr := c.now(), remoteAddr(r)
	q.user = store.User{Username: clip(name, 64)}
	if c.throttle.blocked(addr, now) {
		c.audit(q, "login.throttled", "", "")
		c.showLogin(q, http.StatusTooManyRequests, "login.slow", name)
		return
	}
	u, err := c.st.User(r.Context(), name)
	if err != nil && !errors.Is(err, store.ErrNotFound) {
		c.storeFailed(q, err)
		return
	}
	if err == nil && now.Before(u.LockedUntil) {
		checkPassword("", pw) // the same cost as a real check
		c.audit(q, "login.locked", name, "")
		c.showLogin(q, http.StatusForbidden, "login.locked", name)
		return
	}
	if !checkPassword(u.PasswordHash, pw) {
		c.throttle.fail(addr, now)
		msg := "login.wrong"
		if err == nil {
			_, until, err := c.st.LoginFailed(r.Context(), name, c.lockN, c.lockFor, now)
			if err != nil {
				c.storeFailed(q, err)
				return
			}
			if now.Before(until) {
				msg = "login.locked"
				c.audit(q, "account.locked", name, "until "+until.UTC().Format(time.RFC3339))
			}
		}
		c.audit(q, "login.failed", name, "")
		c.showLogin(q, http.StatusUnauthorized, msg, name)
		return
	}
	if err := c.st.LoginSucceeded(r.Context(), name); err != nil {
		c.storeFailed(q, err)
		return
	}
	tok := randomToken(32)
	ss := store.Session{TokenHash: hashToken(tok), Username: name, CSRF: randomToken(24), CreatedAt: now, LastSeen: now}
	if err := c.st.CreateSession(r.Context(), ss); err != nil {
		c.storeFailed(q, err)
		return
	}
	http.SetCookie(q.w, &http.Cookie{Name: sessionCookie, Value: tok, Path: Prefix, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.SetCookie(q.w, &http.Cookie{Name: loginCSRF, Path: Prefix + "login", MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	q.user = u
	c.audit(q, "login", name, "")
	next := r.PostFormValue("next")
	if !strings.HasPrefix(next, Prefix) || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		next = Prefix
	}
	http.Redirect(q.w, r, next, http.StatusSeeOther)
}

func (c *Console) logout(q *req) {
	if err := c.st.EndSession(q.r.Context(), q.sess.TokenHash, c.now()); err != nil {
		c.storeFailed(q, err)
		return
	}
	c.audit(q, "logout", q.user.Username, "")
	http.SetCookie(q.w, &http.Cookie{Name: sessionCookie, Path: Prefix, MaxAge: -1, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode})
	http.Redirect(q.w, q.r, Prefix+"login?ok=login.out", http.StatusSeeOther)
}

func (c *Console) setLang(q *req) {
	lang := "zh"
	if q.r.URL.Query().Get("to") == "en" {
		lang = "en"
	}
	http.SetCookie(q.w, &http.Cookie{Name: langCookie, Value: lang, Path: Prefix, Secure: true, HttpOnly: true, SameSite: http.SameSiteStrictMode, MaxAge: 365 * 86400})
	next := q.r.URL.Query().Get("back")
	if !strings.HasPrefix(next, Prefix) || strings.HasPrefix(next, "//") || strings.Contains(next, "\\") {
		next = Prefix
	}
	http.Redirect(q.w, q.r, next, http.StatusSeeOther)
}

func clip(s string, n int) string {
	if len(s) > n {
		return s[:n]
	}
	return s
}
