package uplink

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
)

// TestAuditHeadAnchored: every heartbeat and every batch carries the audit
// chain's head, the back office anchors the highest, and a head that goes
// backwards (heartbeat, sync, heartbeat lower) raises its alarm there.
func TestAuditHeadAnchored(t *testing.T) {
	bo := startBackOffice(t)
	ctx := context.Background()
	seq, head := uint64(0), ""
	q := newFakeQueue(submissions(2)...)
	var told []string
	c := newClient(t, bo.URL, q, &fakeClock{now: time.Now()}, func(c *Config) {
		c.AuditHead = func() (uint64, string) { return seq, head }
		c.CheckAuditAnchor = func(seq uint64, head string) { told = append(told, fmt.Sprintf("%d:%s", seq, head)) }
	})
	headOf := func(n uint64) string { return strings.Repeat(string("0123456789abcdef"[n%16]), 64) }
	anchored := func() uint64 {
		a, err := bo.Store.AuditAnchorOf(ctx, testTerminal)
		if err != nil {
			return 0
		}
		return a.Seq
	}
	rollbacks := func() int {
		as, _ := bo.Store.ListAlarms(ctx, "", 50)
		n := 0
		for _, a := range as {
			n += map[bool]int{true: 1}[a.Kind == string(api.AlarmAuditRollback)]
		}
		return n
	}
	steps := []struct {
		name     string
		seq      uint64
		send     func() error
		anchored uint64
		alarms   int
	}{
		{"heartbeat before any entry", 0, func() error { _, err := c.Heartbeat(ctx); return err }, 0, 0},
		{"heartbeat", 5, func() error { _, err := c.Heartbeat(ctx); return err }, 5, 0},
		{"sync", 7, func() error { _, err := c.SyncOnce(ctx); return err }, 7, 0},
		{"heartbeat gone backwards", 6, func() error { _, err := c.Heartbeat(ctx); return err }, 7, 1},
		{"heartbeat on again", 9, func() error { _, err := c.Heartbeat(ctx); return err }, 9, 1},
	}
	for _, s := range steps {
		seq, head = s.seq, headOf(s.seq)
		if err := s.send(); err != nil {
			t.Fatalf("%s: %v", s.name, err)
		}
		if got := anchored(); got != s.anchored {
			t.Errorf("%s: anchored %d, want %d", s.name, got, s.anchored)
		}
		if got := rollbacks(); got != s.alarms {
			t.Errorf("%s: %d rollback alarms, want %d", s.name, got, s.alarms)
		}
	}
	// The terminal is told the anchor held before, once a run: the first
	// heartbeat answer that carries one (the one gone backwards: 7).
	if len(told) != 1 || told[0] != "7:"+headOf(7) {
		t.Errorf("told the anchor %v, want once 7:%s", told, headOf(7))
	}
}

// TestAuditCheckpointSignedOverMutualTLS: an enrolled terminal signs each
// audit head it sends with its SM2 key; the back office checks the
// signature against the key in the terminal's certificate and keeps it
// with the anchor. Without the signer, the same heartbeat is refused.
func TestAuditCheckpointSignedOverMutualTLS(t *testing.T) {
	o := tlsBackOffice(t)
	ctx := context.Background()
	_, dir, err := o.enrol(t, o.token(t))
	if err != nil {
		t.Fatal(err)
	}
	id, err := LoadIdentity(dir)
	if err != nil {
		t.Fatal(err)
	}
	head := strings.Repeat("7e", 32)
	mk := func(sign bool) *Client {
		return newClient(t, o.url, newFakeQueue(), &fakeClock{now: time.Now()}, func(c *Config) {
			c.HTTP, c.Terminal, c.Center = id.HTTPClient(nil), id.Terminal, id.Center
			c.AuditHead = func() (uint64, string) { return 12, head }
			if sign {
				c.SignAudit = id.CheckpointSigner()
			}
		})
	}
	if _, err := mk(false).Heartbeat(ctx); err == nil || !strings.Contains(err.Error(), "signature") {
		t.Fatalf("an unsigned head from a terminal with an SM2 key: %v", err)
	}
	if _, err := mk(true).Heartbeat(ctx); err != nil {
		t.Fatal(err)
	}
	a, err := o.st.AuditAnchorOf(ctx, id.Terminal)
	if err != nil || a.Seq != 12 || a.Head != head || len(a.Signature) == 0 {
		t.Fatalf("anchor %+v, %v; want 12 with its signed checkpoint", a, err)
	}
}
