package backoffice

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
)

// MaxTokenLifetime caps an enrolment token's lifetime.
const MaxTokenLifetime = 24 * time.Hour

func tokenHash(token string) string {
	sum := sha256.Sum256([]byte(strings.TrimSpace(token)))
	return hex.EncodeToString(sum[:])
}

// IssueEnrolmentToken creates a single-use token that lets one terminal of
// center enrol within ttl (at most 24 h). Only its hash is stored; the token
// itself is returned once, to be given to the technician.
func (s *Server) IssueEnrolmentToken(ctx context.Context, terminal, center string, ttl time.Duration) (string, error) {
	if terminal == "" || center == "" {
		return "", errors.New("backoffice: a token needs a terminal and a center")
	}
	if ttl <= 0 || ttl > MaxTokenLifetime {
		ttl = MaxTokenLifetime
	}
	raw := make([]byte, 20) // 160 bits
	rand.Read(raw)
	token := "tbe_" + hex.EncodeToString(raw)
	now := s.now()
	err := s.st.CreateEnrolmentToken(ctx, store.EnrolmentToken{Hash: tokenHash(token), Terminal: terminal, Center: center, CreatedAt: now, ExpiresAt: now.Add(ttl)})
	if err != nil {
		return "", err
	}
	s.log.Info("enrolment token issued", "terminal", terminal, "center", center, "expires", now.Add(ttl).UTC())
	return token, nil
}

func (s *Server) handleEnrol(w http.ResponseWriter, r *http.Request, _ string) {
	if s.ca == nil {
		writeProblem(w, newProblem(http.StatusServiceUnavailable, api.CodeUnavailable, "this back office has no CA and cannot enrol terminals", false))
		return
	}
	body, p := readBody(w, r, maxSmallBody)
	if p != nil {
		writeProblem(w, p)
		return
	}
	var req api.EnrolRequest
	if p := decodeStrict(body, &req); p != nil {
		writeProblem(w, p)
		return
	}
	// Check the CSR before spending the token on it.
	csr, err := checkCSR(req.CSRPEM)
	if err != nil {
		writeProblem(w, newProblem(http.StatusBadRequest, api.CodeBadCSR, err.Error(), false))
		return
	}
	now := s.now()
	tok, err := s.st.ConsumeEnrolmentToken(r.Context(), tokenHash(req.Token), now)
	switch {
	case errors.Is(err, store.ErrNotFound):
		writeProblem(w, newProblem(http.StatusUnauthorized, api.CodeTokenUnknown, "this enrolment token is not known here", false))
		return
	case errors.Is(err, store.ErrTokenUsed):
		writeProblem(w, newProblem(http.StatusUnauthorized, api.CodeTokenUsed, "this enrolment token was already used; ask for a new one", false))
		return
	case errors.Is(err, store.ErrTokenExpired):
		writeProblem(w, newProblem(http.StatusUnauthorized, api.CodeTokenExpired, "this enrolment token has expired; ask for a new one", false))
		return
	case err != nil:
		writeProblem(w, s.storeProblem(err))
		return
	}
	cert, err := s.ca.IssueClientCert(csr, tok.Terminal, tok.Center, now)
	if err != nil {
		writeProblem(w, newProblem(http.StatusInternalServerError, api.CodeInternal, "the certificate could not be issued", false))
		return
	}
	serial := cert.SerialNumber.Text(16)
	if err := s.st.PutTerminal(r.Context(), store.Terminal{ID: tok.Terminal, Center: tok.Center, CertSerial: serial, CertNotAfter: cert.NotAfter, EnrolledAt: now}); err != nil {
		writeProblem(w, s.storeProblem(err))
		return
	}
	if rec, ok := w.(*recorder); ok {
		rec.terminal = tok.Terminal
	}
	s.log.Info("terminal enrolled", "terminal", tok.Terminal, "center", tok.Center, "serial", serial, "not_after", cert.NotAfter.UTC())
	resp := api.EnrolResponse{
		Terminal:       tok.Terminal,
		Center:         tok.Center,
		CertificatePEM: string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: cert.Raw})),
		CAPEM:          string(s.ca.CertPEM),
		NotAfter:       cert.NotAfter.UTC().Format(time.RFC3339),
	}
	if s.signer != nil {
		resp.BundleKey = s.signer.PublicKey().String()
	}
	writeJSON(w, http.StatusOK, resp)
}
