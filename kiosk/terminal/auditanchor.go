package terminal

import (
	"context"
	"path/filepath"

	"github.com/tongban/tongban/kiosk/audit"
	"github.com/tongban/tongban/kiosk/outbox"
)

// checkAuditAnchor checks, in the background, that the audit log holds the
// entry the back office anchored before this run, unchanged (the uplink
// calls it once per run with the first heartbeat answer that carries the
// anchor). A log rewritten while the kiosk was stopped, then continued to
// a higher sequence than anchored, passes the back office's own checks;
// here it is found, and raised as audit-rewritten.
func (t *Terminal) checkAuditAnchor(seq uint64, head string) {
	t.goRun(func(context.Context) {
		key, err := outbox.LoadKey(filepath.Join(t.cfg.DataDir, auditKeyFile))
		if err != nil {
			t.log.Error("the audit key cannot be read to check the back office's anchor", "err", err)
			return
		}
		a := audit.Anchor{Seq: seq, Head: head}
		rep, err := audit.VerifyWith(filepath.Join(t.cfg.DataDir, "audit.log"), audit.VerifyOptions{Key: key, Anchor: &a})
		if err != nil {
			t.log.Error("the audit log cannot be read to check the back office's anchor", "err", err)
			return
		}
		if rep.Anchored {
			t.log.Info("the audit log holds the back office's anchor", "seq", seq)
			return
		}
		msg := "the audit trail does not hold the entry the back office anchored"
		if n := len(rep.Problems); n > 0 {
			msg = string(rep.Problems[n-1].Kind) + ": " + rep.Problems[n-1].Message
		}
		t.log.Error("the audit log does not match the back office's anchor", "seq", seq, "problem", msg)
		t.raise(string(alarmAuditRewritten), "audit", clip(msg))
	})
}
