package backoffice

import (
	"context"
	"crypto/ecdsa"
	"crypto/hmac"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/internal/samid"
	"github.com/tongban/tongban/internal/ssmtoken"
)

// IdentityVerifier stands for the platform that issues 随申码 and
// e-certificate codes: it says whose a scanned code is, or why not.
type IdentityVerifier interface {
	VerifyCode(ctx context.Context, code string, now time.Time) (VerifiedIdentity, error)
}

// VerifiedIdentity is what the issuing platform vouches for.
type VerifiedIdentity struct {
	Kind     string // ssmtoken.KindSuishenma or KindECert
	FullName string
	IDNo     string
}

// ErrReplayed is a code that was verified once already.
var ErrReplayed = errors.New("backoffice: this code was used already; refresh it on the phone")

// UsedNonces remembers the nonces of tokens verified once, each until its
// token expires. The back office's store is one, so a restart does not
// let a used token be replayed.
type UsedNonces interface {
	// UseNonce marks nonce used until expires; false: it was used before.
	UseNonce(ctx context.Context, nonce string, expires, now time.Time) (bool, error)
}

// TokenDouble is the test double of the issuing platform: it checks the
// token's SM2 signature under the issuer's key, its expiry, and that its
// nonce was not used before (kept in used until the token would have
// expired).
type TokenDouble struct {
	issuer *ecdsa.PublicKey
	used   UsedNonces
}

// NewTokenDouble checks tokens signed by issuer, remembering used nonces
// in used (the back office's store).
func NewTokenDouble(issuer *ecdsa.PublicKey, used UsedNonces) *TokenDouble {
	return &TokenDouble{issuer: issuer, used: used}
}

// VerifyCode implements IdentityVerifier.
func (d *TokenDouble) VerifyCode(ctx context.Context, code string, now time.Time) (VerifiedIdentity, error) {
	tok, err := ssmtoken.Parse(code)
	if err != nil {
		return VerifiedIdentity{}, err
	}
	if err := tok.Verify(d.issuer, now); err != nil {
		return VerifiedIdentity{}, err
	}
	if !validResidentID(tok.IDNo) {
		return VerifiedIdentity{}, ssmtoken.ErrMalformed
	}
	fresh, err := d.used.UseNonce(ctx, tok.Nonce, tok.ExpiresAt(), now)
	if err != nil {
		return VerifiedIdentity{}, fmt.Errorf("backoffice: remembering the code's nonce: %w", err)
	}
	if !fresh {
		return VerifiedIdentity{}, ErrReplayed
	}
	return VerifiedIdentity{Kind: tok.Kind, FullName: tok.Name, IDNo: tok.IDNo}, nil
}

// EventLife is how long an identification event lets a terminal look the
// resident up: one visit.
const EventLife = 15 * time.Minute

// event is an identification event. Its ID is the event itself, MACed
// with HMAC-SM3 under the back office's key, so it needs no table and
// survives a restart; only the back office can make one.
type event struct {
	Terminal string `json:"t"`
	Subject  string `json:"s"` // lookupHash of the resident's ID number
	Kind     string `json:"k"`
	Expires  int64  `json:"e"`
	Reader   string `json:"r,omitempty"` // the SAM ID of the card reader that vouched
}

func (s *Server) eventMAC(payload string) string {
	m := hmac.New(sm3.New, s.hkey)
	m.Write([]byte("identification-event\x00"))
	m.Write([]byte(payload))
	return hex.EncodeToString(m.Sum(nil))
}

func (s *Server) issueEvent(terminal, idNo, kind string, now time.Time) (string, time.Time) {
	return s.issueEventFrom(terminal, idNo, kind, "", now)
}

// issueEventFrom is issueEvent recording the SAM ID of the card reader
// that vouched for the resident ("" for a verified code).
func (s *Server) issueEventFrom(terminal, idNo, kind, reader string, now time.Time) (string, time.Time) {
	exp := now.Add(EventLife)
	b, _ := json.Marshal(event{Terminal: terminal, Subject: s.lookupHash(HolderResident, idNo), Kind: kind, Expires: exp.Unix(), Reader: reader})
	p := base64.RawURLEncoding.EncodeToString(b)
	return p + "." + s.eventMAC(p), exp
}

// parseEvent returns the event an ID names, if the back office made it.
func (s *Server) parseEvent(id string) (event, bool) {
	p, mac, ok := strings.Cut(id, ".")
	if !ok || len(id) > 512 || !hmac.Equal([]byte(mac), []byte(s.eventMAC(p))) {
		return event{}, false
	}
	b, err := base64.RawURLEncoding.DecodeString(p)
	var e event
	if err != nil || json.Unmarshal(b, &e) != nil {
		return event{}, false
	}
	return e, true
}

// IdentificationLive reports whether eventID is an identification event
// the back office issued to terminal for the resident with this ID number
// and that has not expired. Every endpoint that answers about a resident
// (licence lookups, queries, documents) asks it first.
func (s *Server) IdentificationLive(eventID, terminal, idNo string) bool {
	e, ok := s.parseEvent(eventID)
	return ok && e.Terminal == terminal && terminal != "" &&
		hmac.Equal([]byte(e.Subject), []byte(s.lookupHash(HolderResident, idNo))) &&
		s.now().Before(time.Unix(e.Expires, 0))
}

// identifiedBy reports whether eventID was issued to terminal for this
// resident, expired or not: a submission queued offline arrives later
// than an event lives.
func (s *Server) identifiedBy(eventID, terminal, idNo string) bool {
	e, ok := s.parseEvent(eventID)
	return ok && e.Terminal == terminal && hmac.Equal([]byte(e.Subject), []byte(s.lookupHash(HolderResident, idNo)))
}

func (s *Server) handleIdentify(w http.ResponseWriter, r *http.Request, terminal string) {
	var q api.IdentifyRequest
	if !readJSON(w, r, maxSmallBody, &q) {
		return
	}
	if q.Code == "" {
		s.identifyCard(w, r, terminal, q)
		return
	}
	if s.verifier == nil {
		writeProblem(w, newProblem(http.StatusServiceUnavailable, api.CodeUnavailable,
			"the back office cannot verify Suishenma codes now; use the ID card or go to the counter", true))
		return
	}
	now := s.now()
	id, err := s.verifier.VerifyCode(r.Context(), q.Code, now)
	if err != nil {
		reason := "the code could not be verified; use the ID card or go to the counter"
		switch {
		case errors.Is(err, ssmtoken.ErrExpired):
			reason = "the code has expired; refresh it on the phone and scan again"
		case errors.Is(err, ErrReplayed):
			reason = "the code was used already; refresh it on the phone and scan again"
		}
		// No part of the code is logged: it carries the resident's number.
		s.log.Warn("identification refused", "terminal", terminal, "why", err.Error())
		writeProblem(w, newProblem(http.StatusUnprocessableEntity, api.CodeMalformed, reason, false))
		return
	}
	ev, exp := s.issueEvent(terminal, id.IDNo, id.Kind, now)
	s.log.Info("identification", "terminal", terminal, "kind", id.Kind)
	writeJSON(w, http.StatusOK, api.IdentifyResponse{EventID: ev, Kind: id.Kind, IDType: "1", IDNo: id.IDNo, FullName: id.FullName, ExpiresAt: exp.UTC()})
}

// ReaderAllowList says which card readers (by SAM ID) may vouch for a
// card read at a terminal. sam is in the canonical form (samid.Canonical).
type ReaderAllowList interface {
	ReaderAllowed(ctx context.Context, terminal, sam string) (bool, error)
}

// MemReaders is a ReaderAllowList in memory: terminal → SAM IDs. Make it
// with NewMemReaders, which refuses an entry that is not a SAM ID.
type MemReaders map[string][]string

// NewMemReaders checks every SAM ID of m (terminal → SAM IDs, as an
// operator writes them) and returns the allow-list with each in canonical
// form. An entry that is not a SAM ID is an error naming it: it would
// otherwise never match, and the reader would be refused with no clue why.
func NewMemReaders(m map[string][]string) (MemReaders, error) {
	out := make(MemReaders, len(m))
	for terminal, sams := range m {
		if terminal == "" {
			return nil, fmt.Errorf("a reader allow-list entry has no terminal code")
		}
		for i, sam := range sams {
			c, err := samid.Canonical(sam)
			if err != nil {
				return nil, fmt.Errorf("terminal %s, reader %d (%q): %w", terminal, i+1, clip(sam, 64), err)
			}
			out[terminal] = append(out[terminal], c)
		}
	}
	return out, nil
}

// ReaderAllowed implements ReaderAllowList.
func (m MemReaders) ReaderAllowed(_ context.Context, terminal, sam string) (bool, error) {
	for _, s := range m[terminal] {
		if s == sam && sam != "" {
			return true, nil
		}
	}
	return false, nil
}

// readerAllowed reports whether the reader with this SAM ID (as the
// terminal sent it) is allow-listed for terminal.
func (s *Server) readerAllowed(ctx context.Context, terminal, sam string) bool {
	if s.readers == nil || sam == "" {
		return false
	}
	c, err := samid.Canonical(sam)
	if err != nil {
		return false
	}
	ok, err := s.readers.ReaderAllowed(ctx, terminal, c)
	if err != nil {
		s.log.Error("reader allow-list failure", "terminal", terminal, "err", err)
	}
	return ok && err == nil
}

func (s *Server) identifyCard(w http.ResponseWriter, r *http.Request, terminal string, q api.IdentifyRequest) {
	if !validResidentID(q.IDNo) {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "idno is not a valid resident ID number (check digit)", false))
		return
	}
	sam, err := samid.Canonical(q.ReaderSAM)
	if err != nil {
		s.log.Warn("identification refused: not a SAM ID", "terminal", terminal, "sam", clip(q.ReaderSAM, 40))
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed,
			"reader_sam is not a card reader's SAM ID (five numbers like 05.01-20240101-0000000042-0000000007)", false))
		return
	}
	if !s.readerAllowed(r.Context(), terminal, sam) {
		s.log.Warn("identification refused: card reader not allow-listed", "terminal", terminal, "sam", sam)
		writeProblem(w, newProblem(http.StatusForbidden, api.CodeUnverified,
			"this card reader is not allow-listed for this terminal; a technician must register its SAM ID in the back office", false))
		return
	}
	now := s.now()
	ev, exp := s.issueEventFrom(terminal, q.IDNo, "idcard", sam, now)
	s.log.Info("identification", "terminal", terminal, "kind", "idcard", "sam", sam)
	writeJSON(w, http.StatusOK, api.IdentifyResponse{EventID: ev, Kind: "idcard", IDType: "1", IDNo: q.IDNo, ExpiresAt: exp.UTC()})
}

// ReaderOf returns the SAM ID of the card reader an identification event
// records (the reader that vouched for the card), or "" for an event of a
// verified code or one the back office did not make.
func (s *Server) ReaderOf(eventID string) string {
	e, ok := s.parseEvent(eventID)
	if !ok {
		return ""
	}
	return e.Reader
}

// vouched says why a submission's identity is not one the back office
// verified or an allow-listed reader read, or "" when it is. Checked when
// the back office has a reader allow-list (Options.Readers): without one
// no card could be vouched for.
func (s *Server) vouched(ctx context.Context, it api.SubmissionItem, terminal string) string {
	if s.readers == nil {
		return ""
	}
	// In 代办 the card read, and so what vouches, is the agent's.
	who := it.Applicant
	if it.Agent != nil {
		who = it.Agent.Applicant
	}
	switch {
	case it.Identification != "":
		e, ok := s.parseEvent(it.Identification)
		if !ok || who.IDType != "1" || !s.identifiedBy(it.Identification, terminal, who.IDNo) {
			return "the applicant's identity does not match an identification the back office made for this terminal"
		}
		if e.Kind == "idcard" && !s.readerAllowed(ctx, terminal, it.ReaderSAM) {
			return "the card reader that read the applicant's card is not allow-listed for this terminal"
		}
		return ""
	case it.ReaderSAM != "":
		if !s.readerAllowed(ctx, terminal, it.ReaderSAM) {
			return "the card reader that read the applicant's card is not allow-listed for this terminal"
		}
		return ""
	}
	return "the applicant's identity was not verified: a Suishenma code must be verified by the back office, a card read by an allow-listed reader"
}
