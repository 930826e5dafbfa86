package api

import (
	"errors"
	"fmt"
	"net/url"
	"strings"

	"github.com/tongban/tongban/internal/sealed"
)

// EnrolmentCode is everything a technician needs to enrol one terminal, in
// one line of text: the console shows it as a QR code, and the terminal's
// set-up takes it scanned or typed, as does kioskctl enrol --code. It
// carries the back office CA's fingerprint with the token, so that the
// token goes only to that back office: nothing is trusted on first use.
//
//	tongban-enrol:?ca=SM3%3A…&server=https%3A%2F%2Fbo.example%3A8443&token=tbe_…
type EnrolmentCode struct {
	Server        string // the back office's address, https://host:port
	Token         string // the single-use enrolment token
	CAFingerprint string // the back office CA's fingerprint (SM3:…)
}

// EnrolmentCodePrefix begins every enrolment code.
const EnrolmentCodePrefix = "tongban-enrol:"

// maxEnrolmentCode bounds what ParseEnrolmentCode reads.
const maxEnrolmentCode = 1024

// String is the code's text form.
func (c EnrolmentCode) String() string {
	v := url.Values{}
	v.Set("server", c.Server)
	v.Set("token", c.Token)
	v.Set("ca", c.CAFingerprint)
	return EnrolmentCodePrefix + "?" + v.Encode()
}

// IsEnrolmentCode reports whether s looks like an enrolment code (and not,
// say, a bare token), so that a set-up field can take either.
func IsEnrolmentCode(s string) bool {
	s = strings.TrimSpace(s)
	return len(s) >= len(EnrolmentCodePrefix) && strings.EqualFold(s[:len(EnrolmentCodePrefix)], EnrolmentCodePrefix)
}

// ParseEnrolmentCode reads an enrolment code as scanned or typed. What is
// wrong with it is said in plain words, naming the part.
func ParseEnrolmentCode(s string) (EnrolmentCode, error) {
	s = strings.TrimSpace(s)
	if len(s) > maxEnrolmentCode {
		return EnrolmentCode{}, fmt.Errorf("the enrolment code is %d characters long: a code is a few hundred at most; scan it again", len(s))
	}
	if !IsEnrolmentCode(s) {
		return EnrolmentCode{}, fmt.Errorf("this is not an enrolment code (they begin with %s); scan the code on the back office's Enrol page", EnrolmentCodePrefix)
	}
	rest, ok := strings.CutPrefix(s[len(EnrolmentCodePrefix):], "?")
	if !ok {
		return EnrolmentCode{}, errors.New("the enrolment code is cut short after its beginning; scan it again")
	}
	v, err := url.ParseQuery(rest)
	if err != nil {
		return EnrolmentCode{}, fmt.Errorf("the enrolment code is damaged (%v); scan it again", err)
	}
	var c EnrolmentCode
	for key, vals := range v {
		if len(vals) != 1 {
			return EnrolmentCode{}, fmt.Errorf("the enrolment code gives %s %d times; scan it again", key, len(vals))
		}
		switch key {
		case "server":
			c.Server = vals[0]
		case "token":
			c.Token = vals[0]
		case "ca":
			c.CAFingerprint = vals[0]
		default:
			return EnrolmentCode{}, fmt.Errorf("the enrolment code has an unknown part %q; is it from this back office?", key)
		}
	}
	switch {
	case c.Server == "":
		return EnrolmentCode{}, errors.New("the enrolment code has no back office address (server); scan it again")
	case c.Token == "":
		return EnrolmentCode{}, errors.New("the enrolment code has no token; scan it again")
	case c.CAFingerprint == "":
		return EnrolmentCode{}, errors.New("the enrolment code has no CA fingerprint (ca); without it the token could go to anyone")
	}
	if u, err := url.Parse(c.Server); err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") || u.User != nil {
		return EnrolmentCode{}, fmt.Errorf("the enrolment code's back office address %q is not an https:// address", c.Server)
	}
	if !TokenShape(c.Token) {
		return EnrolmentCode{}, fmt.Errorf("the enrolment code's token %q is not an enrolment token (tbe_, tbr_ or tbm_ and one word)", c.Token)
	}
	if err := sealed.CheckFingerprint(c.CAFingerprint); err != nil {
		return EnrolmentCode{}, fmt.Errorf("the enrolment code's CA fingerprint: %v", err)
	}
	return c, nil
}

// TokenShape reports whether t has the shape of an enrolment token: tbe_
// (a new terminal), tbr_ (re-enrolment) or tbm_ (a move), then letters,
// digits, - and _, 12 to 200 characters in all.
func TokenShape(t string) bool {
	if !(strings.HasPrefix(t, "tbe_") || strings.HasPrefix(t, "tbr_") || strings.HasPrefix(t, "tbm_")) || len(t) < 12 || len(t) > 200 {
		return false
	}
	for _, r := range t {
		if !(r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
