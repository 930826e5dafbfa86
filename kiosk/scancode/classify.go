package scancode

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk"
)

// MaxLen is the longest content classified; longer content is refused.
const MaxLen = 2048

// Rules say how to recognise each kind of code. The zero value recognises
// only this system's own links.
type Rules struct {
	ProgressBases    []string // link prefixes before a receipt number
	AppointmentBases []string // link prefixes before an appointment number
	Suishenma        []string // content prefixes of 随申码 tokens
	ECertificate     []string // content prefixes of e-certificate tokens
}

// DefaultRules recognises this system's links and the placeholder
// prefixes for 随申码 and e-certificate codes.
func DefaultRules() Rules {
	return Rules{
		ProgressBases:    []string{ProgressBase},
		AppointmentBases: []string{AppointmentBase},
		Suishenma:        []string{"https://ssm.sh.example/", "SSM:"},
		ECertificate:     []string{"https://ecert.sh.example/", "ECERT:"},
	}
}

var (
	receiptPattern     = regexp.MustCompile(`^([A-Z0-9]{2,16})-([0-9]{8})-([0-9]{1,8})$`)
	appointmentPattern = regexp.MustCompile(`^[A-Z0-9][A-Z0-9-]{5,31}$`)
	badgePattern       = regexp.MustCompile(`^([A-Z0-9]{2,16}):([0-9a-f]{32})$`)
)

// Classify says what kind of code text is. Content that claims to be one
// of this system's codes but is broken, and content that cannot be a code
// at all (empty, too long, control characters), is a *kiosk.Error of kind
// KindInvalid with a plain-words message.
func (r Rules) Classify(text string) (kiosk.ScannedCode, error) {
	const op = "scancode.Classify"
	text = strings.TrimSpace(text)
	switch {
	case text == "":
		return kiosk.ScannedCode{}, invalid(op, msgEmpty)
	case len(text) > MaxLen:
		return kiosk.ScannedCode{}, invalid(op, msgUnusable)
	case !utf8.ValidString(text) || strings.ContainsFunc(text, isBadControl):
		return kiosk.ScannedCode{}, invalid(op, msgUnusable)
	}

	if rest, ok := cutPrefixFold(text, r.ProgressBases); ok {
		receipt, ok := receiptIn(rest)
		if !ok {
			return kiosk.ScannedCode{}, invalid(op, msgBadReceipt)
		}
		return kiosk.ScannedCode{Kind: kiosk.ScanProgress, Receipt: receipt, ProgressKey: progressKeyIn(rest)}, nil
	}
	if rest, ok := cutPrefixFold(text, r.AppointmentBases); ok {
		id, ok := appointmentIn(rest)
		if !ok {
			return kiosk.ScannedCode{}, invalid(op, msgBadAppointment)
		}
		return kiosk.ScannedCode{Kind: kiosk.ScanAppointment, Appointment: id}, nil
	}
	if rest, ok := cutPrefixFold(text, []string{api.StaffBadgePrefix}); ok {
		number, secret, ok := badgeIn(rest)
		if !ok {
			return kiosk.ScannedCode{}, invalid(op, msgBadBadge)
		}
		return kiosk.ScannedCode{Kind: kiosk.ScanStaffBadge, StaffNumber: number, Token: secret}, nil
	}
	if receipt, ok := validReceipt(text); ok {
		return kiosk.ScannedCode{Kind: kiosk.ScanProgress, Receipt: receipt}, nil
	}
	if hasPrefixFold(text, r.Suishenma) {
		return kiosk.ScannedCode{Kind: kiosk.ScanSuishenma, Token: text}, nil
	}
	if hasPrefixFold(text, r.ECertificate) {
		return kiosk.ScannedCode{Kind: kiosk.ScanECertificate, Token: text}, nil
	}
	if u, err := url.Parse(text); err == nil && (strings.EqualFold(u.Scheme, "http") || strings.EqualFold(u.Scheme, "https")) && u.Host != "" {
		return kiosk.ScannedCode{Kind: kiosk.ScanWebLink, URL: text}, nil
	}
	return kiosk.ScannedCode{Kind: kiosk.ScanOther}, nil
}

// progressKeyIn reads the progress key from the query of a progress link
// (…?k=<16 hex digits>); anything else is no key.
func progressKeyIn(rest string) string {
	_, query, ok := strings.Cut(rest, "?")
	if !ok {
		return ""
	}
	query, _, _ = strings.Cut(query, "#")
	v, err := url.ParseQuery(query)
	if err != nil {
		return ""
	}
	k := strings.ToLower(v.Get(api.ProgressKeyParam))
	if len(k) != 16 || strings.Trim(k, "0123456789abcdef") != "" {
		return ""
	}
	return k
}

// receiptIn reads the receipt number that follows a progress base: one
// path segment, then at most a slash, a query or a fragment.
func receiptIn(rest string) (string, bool) {
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	rest = strings.TrimSuffix(rest, "/")
	seg, err := url.PathUnescape(rest)
	if err != nil || strings.Contains(seg, "/") {
		return "", false
	}
	return validReceipt(seg)
}

// validReceipt checks a local receipt number and returns it upper-cased.
func validReceipt(s string) (string, bool) {
	s = strings.ToUpper(s)
	m := receiptPattern.FindStringSubmatch(s)
	if m == nil {
		return "", false
	}
	if _, err := time.Parse("20060102", m[2]); err != nil {
		return "", false
	}
	return s, true
}

func appointmentIn(rest string) (string, bool) {
	if i := strings.IndexAny(rest, "?#"); i >= 0 {
		rest = rest[:i]
	}
	seg, err := url.PathUnescape(strings.TrimSuffix(rest, "/"))
	if err != nil {
		return "", false
	}
	seg = strings.ToUpper(seg)
	return seg, appointmentPattern.MatchString(seg)
}

func cutPrefixFold(s string, prefixes []string) (string, bool) {
	for _, p := range prefixes {
		if p != "" && len(s) >= len(p) && strings.EqualFold(s[:len(p)], p) {
			return s[len(p):], true
		}
	}
	return "", false
}

func hasPrefixFold(s string, prefixes []string) bool {
	_, ok := cutPrefixFold(s, prefixes)
	return ok
}

// isBadControl reports control characters other than line breaks and tabs,
// which multi-line QR content may hold.
func isBadControl(r rune) bool {
	return unicode.IsControl(r) && r != '\n' && r != '\r' && r != '\t'
}

// badgeIn reads a staff badge after its prefix: the staff number (2 to 16
// capital letters or digits) and the badge secret (32 lower-case hex
// digits). Whether the badge is real is for the staff desk to say, against
// the roster of the signed configuration bundle.
func badgeIn(rest string) (number, secret string, ok bool) {
	m := badgePattern.FindStringSubmatch(rest)
	if m == nil {
		return "", "", false
	}
	return m[1], m[2], true
}

// BadgeContent is the QR content of a staff badge, as the back-office
// console prints it.
func BadgeContent(number, secret string) string {
	return api.StaffBadgePrefix + number + ":" + secret
}
