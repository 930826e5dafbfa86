package backoffice

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/json"
	"encoding/pem"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/internal/sealed"
)

// MaxTokenLifetime caps an enrolment token's lifetime.
const MaxTokenLifetime = 24 * time.Hour

// Token kinds, by prefix. The prefix is part of the secret whose hash is
// stored, so a holder cannot turn one kind into another.
const (
	tokenNew     = "tbe_" // a terminal not enrolled yet
	tokenReEnrol = "tbr_" // an enrolled terminal, again, in the same center
	tokenMove    = "tbm_" // an enrolled terminal, again, moved to another center
)

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return hex.EncodeToString(sum[:])
}

// IssueEnrolmentToken creates a single-use token that lets one new
// terminal of center enrol within ttl (at most 24 h). Only its hash is
// stored; the token itself is returned once, to be given to the
// technician. A terminal enrolled already is refused: re-enrolling it is
// IssueReEnrolmentToken, an explicit operator decision.
func (s *Server) IssueEnrolmentToken(ctx context.Context, terminal, center string, ttl time.Duration) (string, error) {
	return s.issueToken(ctx, terminal, center, ttl, tokenNew)
}

// IssueReEnrolmentToken creates a token that enrols an already enrolled
// terminal again (a replaced disk, a lost key): its certificates from the
// earlier enrolment are refused from then on. The center must stay the
// terminal's unless move is set, which the operator chooses explicitly.
func (s *Server) IssueReEnrolmentToken(ctx context.Context, terminal, center string, ttl time.Duration, move bool) (string, error) {
	t, err := s.st.Terminal(ctx, terminal)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return "", fmt.Errorf("backoffice: terminal %s: %w", terminal, api.ErrNotEnrolled)
	case err != nil:
		return "", err
	case t.Center != center && !move:
		return "", fmt.Errorf("backoffice: terminal %s belongs to center %s, not %s; moving it needs the explicit move option: %w", terminal, t.Center, center, api.ErrOtherCenter)
	case t.Center == center && move:
		return "", fmt.Errorf("backoffice: terminal %s is in center %s already: %w", terminal, center, api.ErrSameCenter)
	}
	kind := tokenReEnrol
	if move {
		kind = tokenMove
	}
	return s.issueToken(ctx, terminal, center, ttl, kind)
}

func (s *Server) issueToken(ctx context.Context, terminal, center string, ttl time.Duration, kind string) (string, error) {
	if terminal == "" || center == "" {
		return "", errors.New("backoffice: a token needs a terminal and a center")
	}
	if kind == tokenNew {
		if _, err := s.st.Terminal(ctx, terminal); err == nil {
			return "", fmt.Errorf("backoffice: terminal %s is enrolled already; re-enrol it explicitly (backoffice --issue-token %s --center %s --reenrol): %w", terminal, terminal, center, api.ErrAlreadyEnrolled)
		} else if !errors.Is(err, store.ErrNotFound) {
			return "", err
		}
	}
	if ttl <= 0 || ttl > MaxTokenLifetime {
		ttl = MaxTokenLifetime
	}
	raw := make([]byte, 20) // 160 bits
	rand.Read(raw)
	token := kind + hex.EncodeToString(raw)
	now := s.now()
	err := s.st.CreateEnrolmentToken(ctx, store.EnrolmentToken{Hash: tokenHash(token), Terminal: terminal, Center: center, CreatedAt: now, ExpiresAt: now.Add(ttl)})
	if err != nil {
		return "", err
	}
	s.log.Info("enrolment token issued", "terminal", terminal, "center", center, "kind", strings.TrimSuffix(kind, "_"), "expires", now.Add(ttl).UTC())
	return token, nil
}

// checkEnrolmentTarget refuses a token that would silently take over an
// enrolled terminal or move it to another center.
func (s *Server) checkEnrolmentTarget(ctx context.Context, token string, tok store.EnrolmentToken) *problem {
	t, err := s.st.Terminal(ctx, tok.Terminal)
	if errors.Is(err, store.ErrNotFound) {
		return nil
	}
	if err != nil {
		return s.storeProblem(err)
	}
	token = strings.TrimSpace(token)
	switch {
	case !strings.HasPrefix(token, tokenReEnrol) && !strings.HasPrefix(token, tokenMove):
		return newProblem(http.StatusConflict, api.CodeAlreadyEnrolled,
			"terminal "+tok.Terminal+" is enrolled already; an operator must re-enrol it explicitly with a re-enrolment token", false)
	case t.Center != tok.Center && !strings.HasPrefix(token, tokenMove):
		return newProblem(http.StatusConflict, api.CodeCenterChange,
			"this token would move terminal "+tok.Terminal+" to another center; an operator must choose that explicitly", false)
	}
	return nil
}

// trust signs what the terminal must trust, with the back office's time.
func (s *Server) trust(terminal, center, nonce string) (api.SignedTrust, error) {
	t := api.Trust{Terminal: terminal, Center: center, CAFingerprint: sealed.Fingerprint(s.ca.Cert.Raw), Time: s.now().UTC(), Nonce: nonce}
	if s.signer != nil {
		t.BundleKey = s.signer.PublicKey().String()
	}
	if s.payloadKey != nil {
		k, err := sealed.FormatPublicKey(&s.payloadKey.PublicKey)
		if err != nil {
			return api.SignedTrust{}, err
		}
		t.PayloadKey = k
	}
	stmt, err := json.Marshal(t)
	if err != nil {
		return api.SignedTrust{}, err
	}
	sig, err := s.ca.Sign(stmt)
	if err != nil {
		return api.SignedTrust{}, err
	}
	return api.SignedTrust{Statement: stmt, Signature: sig}, nil
}

func (s *Server) handleEnrol(w http.ResponseWriter, r *http.Request, _ string) {
	if s.ca == nil {
		writeProblem(w, newProblem(http.StatusServiceUnavailable, api.CodeUnavailable, "this back office has no CA and cannot enrol terminals", false))
		return
	}
	var req api.EnrolRequest
	if !readJSON(w, r, maxSmallBody, &req) {
		return
	}
	// Check the CSR before spending the token on it.
	csr, err := checkCSR(req.CSRPEM)
	if err != nil {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeBadCSR, err.Error(), false))
		return
	}
	if req.PayloadKey != "" {
		if _, err := sealed.ParsePublicKey(req.PayloadKey); err != nil {
			writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "payload_key: "+err.Error(), false))
			return
		}
	}
	now := s.now()
	key := publicKeyHash(csr)
	tok, err := s.st.ConsumeEnrolmentToken(r.Context(), tokenHash(req.Token), key, now)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeProblem(w, newProblem(http.StatusUnauthorized, api.CodeTokenUnknown, "this enrolment token is not known here", false))
		return
	case errors.Is(err, store.ErrTokenUsed):
		s.log.Warn("enrolment refused: a used token with another key", "reason", api.CodeTokenUsed)
		writeProblem(w, newProblem(http.StatusUnauthorized, api.CodeTokenUsed, "this enrolment token was already used by another key; ask for a new one", false))
		return
	case errors.Is(err, store.ErrTokenExpired):
		writeProblem(w, newProblem(http.StatusUnauthorized, api.CodeTokenExpired, "this enrolment token has expired; ask for a new one", false))
		return
	case err != nil:
		writeProblem(w, s.storeProblem(err))
		return
	}
	if rec, ok := w.(*recorder); ok {
		rec.terminal = tok.Terminal
	}
	if tok.Cert == nil {
		cert, p := s.enrolNew(r.Context(), req, csr, tok, now)
		if p == nil || p.Code != api.CodeTokenUsed {
			s.answerEnrol(w, req, tok, cert, p)
			return
		}
		// A retry with the same key completed the token meanwhile: answer
		// with what it got.
		if tok, err = s.st.ConsumeEnrolmentToken(r.Context(), tokenHash(req.Token), key, now); err != nil {
			writeProblem(w, s.storeProblem(err))
			return
		}
	}
	cert, p := s.enrolAgain(r.Context(), req, tok, now)
	s.answerEnrol(w, req, tok, cert, p)
}

// publicKeyHash names the key a CSR is for: the SHA-256 of its public key.
func publicKeyHash(csr *x509.CertificateRequest) string {
	sum := sha256.Sum256(csr.RawSubjectPublicKeyInfo)
	return hex.EncodeToString(sum[:])
}

// enrolNew enrols the terminal of a token just consumed: a certificate for
// the CSR's key, recorded with the terminal's enrolment in one step.
func (s *Server) enrolNew(ctx context.Context, req api.EnrolRequest, csr *x509.CertificateRequest, tok store.EnrolmentToken, now time.Time) (*x509.Certificate, *problem) {
	if p := s.checkEnrolmentTarget(ctx, req.Token, tok); p != nil {
		s.log.Warn("enrolment refused", "terminal", tok.Terminal, "center", tok.Center, "reason", p.Code)
		return nil, p
	}
	cert, err := s.ca.IssueClientCert(csr, tok.Terminal, tok.Center, "", req.PayloadKey, now)
	if err != nil {
		return nil, newProblem(http.StatusInternalServerError, api.CodeInternal, "the certificate could not be issued", false)
	}
	serial := EnrolmentID(cert)
	err = s.st.CompleteEnrolment(ctx, tok.Hash, store.Terminal{ID: tok.Terminal, Center: tok.Center, CertSerial: serial, CertNotAfter: cert.NotAfter, EnrolledAt: now}, cert.Raw)
	if errors.Is(err, store.ErrTokenUsed) {
		return nil, newProblem(http.StatusConflict, api.CodeTokenUsed, "this token was completed meanwhile", true)
	}
	if err != nil {
		return nil, s.storeProblem(err)
	}
	s.log.Info("terminal enrolled", "terminal", tok.Terminal, "center", tok.Center, "serial", serial, "not_after", cert.NotAfter.UTC())
	return cert, nil
}

// enrolAgain answers a terminal that asks again, with the key that used
// the token, after losing the answer (a power cut): the same certificate,
// as long as it is still the terminal's current enrolment, unrevoked and
// unexpired, and the SM2 payload key is the one it carries. Giving it
// again gives nothing new: it is useless without the private key.
func (s *Server) enrolAgain(ctx context.Context, req api.EnrolRequest, tok store.EnrolmentToken, now time.Time) (*x509.Certificate, *problem) {
	used := func(why string) *problem {
		s.log.Warn("enrolment retry refused", "terminal", tok.Terminal, "reason", why)
		return newProblem(http.StatusUnauthorized, api.CodeTokenUsed, "this enrolment token was already used and "+why+"; ask for a new one", false)
	}
	cert, err := x509.ParseCertificate(tok.Cert)
	if err != nil {
		return nil, newProblem(http.StatusInternalServerError, api.CodeInternal, "the certificate this token got cannot be read", false)
	}
	t, err := s.st.Terminal(ctx, tok.Terminal)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return nil, used("its terminal is no longer enrolled")
	case err != nil:
		return nil, s.storeProblem(err)
	case !t.RevokedAt.IsZero():
		return nil, used("its terminal was revoked since")
	case t.CertSerial != EnrolmentID(cert):
		return nil, used("its terminal was enrolled again since")
	case !now.Before(cert.NotAfter):
		return nil, used("the certificate it got has expired")
	}
	had := ""
	if k, err := PayloadKey(cert); err == nil && k != nil {
		had, _ = sealed.FormatPublicKey(k)
	}
	if req.PayloadKey != had {
		return nil, used("its terminal enrolled with another payload key")
	}
	s.log.Info("terminal enrolled, answered again", "terminal", tok.Terminal, "center", tok.Center, "serial", EnrolmentID(cert))
	return cert, nil
}

// answerEnrol writes the enrolment answer for cert, or p.
func (s *Server) answerEnrol(w http.ResponseWriter, req api.EnrolRequest, tok store.EnrolmentToken, cert *x509.Certificate, p *problem) {
	if p != nil {
		writeProblem(w, p)
		return
	}
	tr, err := s.trust(tok.Terminal, tok.Center, req.Nonce)
	if err != nil {
		writeProblem(w, newProblem(http.StatusInternalServerError, api.CodeInternal, "the trust statement could not be signed", false))
		return
	}
	resp := api.EnrolResponse{
		Terminal:       tok.Terminal,
		Center:         tok.Center,
		CertificatePEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})),
		CAPEM:          string(s.ca.CertPEM),
		NotAfter:       cert.NotAfter.UTC().Format(time.RFC3339),
		Trust:          tr,
	}
	if s.signer != nil {
		resp.BundleKey = s.signer.PublicKey().String()
	}
	writeJSON(w, http.StatusOK, resp)
}

// handleRenew issues a new client certificate for the authenticated
// terminal, of the same enrolment, center and SM2 payload key, for a key
// the terminal made anew.
func (s *Server) handleRenew(w http.ResponseWriter, r *http.Request, terminal string) {
	cur := clientCert(r)
	if s.ca == nil || cur == nil {
		writeProblem(w, newProblem(http.StatusUnauthorized, api.CodeUnauthenticated, "renewal needs the terminal's current client certificate", false))
		return
	}
	var req api.RenewRequest
	if !readJSON(w, r, maxSmallBody, &req) {
		return
	}
	csr, err := checkCSR(req.CSRPEM)
	if err != nil {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeBadCSR, err.Error(), false))
		return
	}
	t, err := s.st.Terminal(r.Context(), terminal)
	if err != nil {
		writeProblem(w, s.storeProblem(err))
		return
	}
	payloadKey := ""
	if k, err := PayloadKey(cur); err == nil && k != nil {
		payloadKey, _ = sealed.FormatPublicKey(k)
	}
	now := s.now()
	cert, err := s.ca.IssueClientCert(csr, terminal, t.Center, t.CertSerial, payloadKey, now)
	if err != nil {
		writeProblem(w, newProblem(http.StatusInternalServerError, api.CodeInternal, "the certificate could not be issued", false))
		return
	}
	tr, err := s.trust(terminal, t.Center, req.Nonce)
	if err != nil {
		writeProblem(w, newProblem(http.StatusInternalServerError, api.CodeInternal, "the trust statement could not be signed", false))
		return
	}
	if err := s.st.RenewTerminal(r.Context(), terminal, t.CertSerial, cert.NotAfter); errors.Is(err, store.ErrNotFound) {
		writeProblem(w, newProblem(http.StatusForbidden, api.CodeCertReplaced, "this terminal was revoked or enrolled again meanwhile", false))
		return
	} else if err != nil {
		writeProblem(w, s.storeProblem(err))
		return
	}
	s.log.Info("terminal certificate renewed", "terminal", terminal, "serial", cert.SerialNumber.Text(16), "not_after", cert.NotAfter.UTC())
	writeJSON(w, http.StatusOK, api.RenewResponse{
		CertificatePEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})),
		NotAfter:       cert.NotAfter.UTC().Format(time.RFC3339),
		Trust:          tr,
	})
}

// handleTime answers the back office's time in a statement the CA signs
// over the terminal's nonce: a terminal whose clock is wrong learns the
// offset from it (uplink.Identity.SyncClock).
func (s *Server) handleTime(w http.ResponseWriter, r *http.Request, terminal string) {
	if s.ca == nil {
		writeProblem(w, newProblem(http.StatusServiceUnavailable, api.CodeUnavailable, "this back office has no CA to sign its time", false))
		return
	}
	var req api.TimeRequest
	if !readJSON(w, r, maxSmallBody, &req) {
		return
	}
	if len(req.Nonce) < 16 || len(req.Nonce) > 64 {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeMalformed, "nonce must be 16 to 64 characters", false))
		return
	}
	center := ""
	if t, err := s.st.Terminal(r.Context(), terminal); err == nil {
		center = t.Center
	}
	tr, err := s.trust(terminal, center, req.Nonce)
	if err != nil {
		writeProblem(w, newProblem(http.StatusInternalServerError, api.CodeInternal, "the time could not be signed", false))
		return
	}
	writeJSON(w, http.StatusOK, tr)
}

// clientCert is the request's verified client certificate, if any.
func clientCert(r *http.Request) *x509.Certificate {
	if r.TLS == nil || len(r.TLS.VerifiedChains) == 0 {
		return nil
	}
	return r.TLS.VerifiedChains[0][0]
}

// CheckClientCertificate is asked at every TLS handshake (CA.ServerTLSConfig)
// about a client certificate the CA verified: a terminal that is unknown,
// revoked, or enrolled again since this certificate's enrolment is refused
// there, before any request is read; so is a certificate superseded by a
// renewed one the terminal has used since (a renewal rotates the key: the
// old key, copied from a disk, stops working once the new one is in use).
// A terminal uses a renewed certificate only once it is on its disk
// (uplink.Identity.Renew), so the renewal's own answer, if lost, costs it
// nothing.
func (s *Server) CheckClientCertificate(cert *x509.Certificate) error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	t, err := s.st.Terminal(ctx, cert.Subject.CommonName)
	switch {
	case errors.Is(err, store.ErrNotFound):
		return fmt.Errorf("terminal %q is not enrolled here", cert.Subject.CommonName)
	case err != nil:
		return fmt.Errorf("the enrolment of terminal %q cannot be checked: %w", cert.Subject.CommonName, err)
	case !t.RevokedAt.IsZero():
		return fmt.Errorf("terminal %q was revoked at %s", t.ID, t.RevokedAt.UTC().Format(time.RFC3339))
	case t.CertSerial != EnrolmentID(cert):
		return fmt.Errorf("the certificate of terminal %q belongs to an earlier enrolment", t.ID)
	case cert.NotBefore.Before(t.CertInUse):
		return fmt.Errorf("the certificate of terminal %q was superseded by its renewed certificate", t.ID)
	case cert.NotBefore.After(t.CertInUse):
		if err := s.st.CertificateInUse(ctx, t.ID, t.CertSerial, cert.NotBefore); err != nil {
			s.log.Warn("a renewed certificate in use could not be recorded", "terminal", t.ID, "err", err)
		}
	}
	return nil
}
