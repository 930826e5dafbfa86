package backoffice

import (
	"context"
	"crypto/ecdsa"
	"encoding/hex"
	"fmt"
	"math"
	"net/http"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/internal/sealed"
)

// checkAuditHead says in plain words what is wrong with an audit head a
// terminal sent, or "".
func checkAuditHead(h *api.AuditHead) string {
	if h == nil {
		return ""
	}
	if h.Seq == 0 || h.Seq > math.MaxInt64 {
		return "audit.seq must be a whole number from 1 to 2^63-1"
	}
	if b, err := hex.DecodeString(h.Head); err != nil || len(b) != 32 || hex.EncodeToString(b) != h.Head {
		return "audit.head must be 64 lower-case hex digits"
	}
	return ""
}

// checkCheckpoint says in plain words why an audit head is not the
// terminal's signed checkpoint, or "". A terminal whose certificate
// carries an SM2 key signs every head (internal/sealed SignCheckpoint); a
// terminal without one (enrolled before sealing, or dev mode) sends them
// unsigned, and a signature there, which nothing can check, is dropped
// rather than kept as if it meant something.
func checkCheckpoint(r *http.Request, terminal string, h *api.AuditHead) string {
	if h == nil {
		return ""
	}
	var pub *ecdsa.PublicKey
	if cert := clientCert(r); cert != nil {
		pub, _ = PayloadKey(cert)
	}
	switch {
	case pub == nil:
		h.Signature = nil
	case len(h.Signature) == 0:
		return "audit.signature is required: this terminal signs its audit checkpoints with its SM2 key"
	case !sealed.VerifyCheckpoint(pub, terminal, h.Seq, h.Head, h.Signature):
		return "audit.signature does not verify under this terminal's SM2 key"
	}
	return ""
}

// anchorAudit keeps a terminal's audit head (sent with a heartbeat or a
// batch) and raises an alarm when its chain went backwards or forked. The
// alarm is raised once until staff resolve it. What it cannot see (a later
// head that does not extend the anchored one) is in kiosk/audit's doc.
func (s *Server) anchorAudit(ctx context.Context, terminal string, h *api.AuditHead) (before *api.AuditHead, err error) {
	if h == nil {
		return nil, nil
	}
	now := s.now()
	v, err := s.st.AnchorAudit(ctx, store.AuditAnchor{Terminal: terminal, Seq: h.Seq, Head: h.Head, ReceivedAt: now, Signature: h.Signature})
	if err != nil {
		return nil, err
	}
	if v.Highest.Seq > 0 {
		before = &api.AuditHead{Seq: v.Highest.Seq, Head: v.Highest.Head}
	}
	raise := func(kind api.AlarmKind, detail string) error {
		s.log.Warn("ALARM", "terminal", terminal, "kind", kind, "seq", h.Seq)
		_, err := s.st.RaiseAlarmOnce(ctx, store.Alarm{Terminal: terminal, Kind: string(kind), Device: "audit", Detail: detail, RaisedAt: now, ReceivedAt: now})
		return err
	}
	if v.Backwards {
		if err := raise(api.AlarmAuditRollback, fmt.Sprintf("the terminal's audit trail went backwards: it reports entry %d, but entry %d (head %s…) was anchored on %s. Entries were cut off, or the log was replaced by an older copy or rewritten. Check it with kioskctl audit verify --anchor %d:%s",
			h.Seq, v.Highest.Seq, v.Highest.Head[:12], v.Highest.ReceivedAt.In(shanghai).Format("2006-01-02 15:04"), v.Highest.Seq, v.Highest.Head)); err != nil {
			return nil, err
		}
	}
	if v.ForkedFrom != "" {
		if err := raise(api.AlarmAuditFork, fmt.Sprintf("the terminal's audit trail forked: entry %d was anchored with head %s… and is now reported with head %s…: its history was rewritten. Check it with kioskctl audit verify --anchor %d:%s",
			h.Seq, v.ForkedFrom[:12], h.Head[:12], h.Seq, v.ForkedFrom)); err != nil {
			return nil, err
		}
	}
	return before, nil
}
