package backoffice

import (
	"bytes"
	"context"
	"encoding/hex"
	"encoding/json"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm3"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/internal/sealed"
	"github.com/tongban/tongban/internal/ssmtoken"
	"github.com/tongban/tongban/kiosk/audit"
)

// restartable is a back office whose process can be restarted over the
// same database and keys.
type restartable struct {
	t   *testing.T
	dir string
	f   *fixture
}

func newRestartable(t *testing.T) *restartable {
	r := &restartable{t: t, dir: t.TempDir()}
	r.start()
	t.Cleanup(func() { r.f.st.Close() })
	return r
}

func (r *restartable) start() {
	st, err := store.OpenSQLite(context.Background(), filepath.Join(r.dir, "bo.db"))
	if err != nil {
		r.t.Fatal(err)
	}
	keys, err := LoadOrCreateKeys(filepath.Join(r.dir, "keys"))
	if err != nil {
		r.t.Fatal(err)
	}
	logs := &logBuffer{}
	srv := New(st, Options{Logger: slog.New(slog.NewTextHandler(logs, nil)), Now: func() time.Time { return testNow },
		CA: keys.CA, Signer: keys.Signer, HashKey: keys.HashKey, InsecureDev: true,
		Verifier: NewTokenDouble(&ssmtoken.DevIssuer().PublicKey, st)})
	r.f = &fixture{srv: srv, st: st, keys: keys, logs: logs}
}

func (r *restartable) restart() {
	r.f.st.Close()
	r.start()
}

// terminalLog is a terminal's keyed audit log, opened and closed as the
// kiosk does at each start.
type terminalLog struct {
	t    *testing.T
	path string
	key  []byte
}

func (l terminalLog) start(events ...audit.Event) (uint64, string) {
	log, err := audit.OpenWith(l.path, audit.Options{Key: l.key, Now: func() time.Time { return testNow }})
	if err != nil {
		l.t.Fatal(err)
	}
	defer log.Close()
	for _, ev := range events {
		if err := log.Append(ev); err != nil {
			l.t.Fatal(err)
		}
	}
	return log.Head()
}

func (r *restartable) heartbeat(seq uint64, head string) {
	r.t.Helper()
	hb := api.Heartbeat{Terminal: terminalA, Version: "test", SentAt: testNow, Devices: []api.DeviceStatus{}, Available: true,
		Audit: &api.AuditHead{Seq: seq, Head: head}}
	if rec := r.f.do("POST", "/v1/heartbeats", terminalA, hb); rec.Code != 200 {
		r.t.Fatalf("heartbeat: %d %s", rec.Code, rec.Body)
	}
}

func (r *restartable) openAlarms(kind api.AlarmKind) []store.Alarm {
	as, err := r.f.st.ListAlarms(context.Background(), "", 100)
	if err != nil {
		r.t.Fatal(err)
	}
	var out []store.Alarm
	for _, a := range as {
		if a.Terminal == terminalA && a.Kind == string(kind) && a.State != store.AlarmResolved {
			out = append(out, a)
		}
	}
	return out
}

var staffDay = []audit.Event{
	{Kind: audit.SessionStarted, Actor: "resident", Ref: "sess-1"},
	{Kind: audit.StaffLogin, Actor: "staff:S-01"},
	{Kind: audit.StaffAction, Actor: "staff:S-01", Detail: "reprinted a receipt"},
	{Kind: audit.StaffLogout, Actor: "staff:S-01"},
	{Kind: audit.SessionEnded, Actor: "resident", Ref: "sess-1"},
}

// TestAuditAnchorSequence: heartbeats anchor the terminal's chain at the
// back office through a day of tampering: a cut tail (rollback alarm, also
// after a back-office restart), a restore (no new alarm), staff entries
// removed and the rest re-chained unkeyed (rollback, named by kioskctl's
// check against the anchor), and a forged entry re-chained to the same
// length (fork alarm). Before, the back office kept no anchor and raised
// nothing, and Verify said ok.
func TestAuditAnchorSequence(t *testing.T) {
	r := newRestartable(t)
	ctx := context.Background()
	l := terminalLog{t: t, path: filepath.Join(t.TempDir(), "audit.log"), key: []byte("terminal audit key, test only")}

	r.heartbeat(l.start(staffDay...)) // 1 opened + 5
	seq, head := l.start()            // restarted: 7
	r.heartbeat(seq, head)
	good, _ := os.ReadFile(l.path)
	if a, err := r.f.st.AuditAnchorOf(ctx, terminalA); err != nil || a.Seq != 7 || a.Head != head {
		t.Fatalf("anchor %+v, %v; want 7:%s", a, err, head)
	}
	if n := len(r.openAlarms(api.AlarmAuditRollback)) + len(r.openAlarms(api.AlarmAuditFork)); n != 0 {
		t.Fatalf("%d audit alarms on an honest chain", n)
	}

	// 1. The tail cut (entries 5 to 7), the kiosk restarted: it reports 5.
	lines := bytes.SplitAfter(good, []byte("\n"))
	os.WriteFile(l.path, bytes.Join(lines[:4], nil), 0o600)
	r.restart() // the back office restarts too: the anchor is in its database
	r.heartbeat(l.start())
	rb := r.openAlarms(api.AlarmAuditRollback)
	if len(rb) != 1 || !strings.Contains(rb[0].Detail, "went backwards") || !strings.Contains(rb[0].Detail, "--anchor 7:"+head) {
		t.Fatalf("after the cut: rollback alarms %+v", rb)
	}
	rep, _ := audit.VerifyWith(l.path, audit.VerifyOptions{Key: l.key, Anchor: &audit.Anchor{Seq: 7, Head: head}})
	if rep.Anchored || !hasProblem(rep, audit.Truncated) {
		t.Fatalf("kioskctl's check against the anchor: %v", rep.Problems)
	}

	// 2. Restored from the good copy: it extends the anchor; no new alarm,
	// and the anchor moves on.
	os.WriteFile(l.path, good, 0o600)
	seq, head = l.start()
	r.heartbeat(seq, head)
	if n := len(r.openAlarms(api.AlarmAuditRollback)); n != 1 {
		t.Fatalf("after the restore: %d rollback alarms, want the one still open", n)
	}
	if a, _ := r.f.st.AuditAnchorOf(ctx, terminalA); a.Seq != seq {
		t.Fatalf("anchor %d after the restore, want %d", a.Seq, seq)
	}
	// Staff resolve it; the chain stays honest: no alarm.
	r.f.st.ResolveAlarmsOf(ctx, terminalA, string(api.AlarmAuditRollback), "ops", testNow)
	anchor := audit.Anchor{Seq: seq, Head: head}
	r.heartbeat(seq, head)
	if n := len(r.openAlarms(api.AlarmAuditRollback)); n != 0 {
		t.Fatalf("the same head again raised %d alarms: %+v", n, r.openAlarms(api.AlarmAuditRollback))
	}

	// 3. Every staff.* entry removed and the rest re-chained with the old
	// unkeyed algorithm, then the kiosk restarted.
	var kept [][]byte
	for _, ln := range bytes.SplitAfter(good, []byte("\n")) {
		if len(ln) > 0 && !bytes.Contains(ln, []byte(`"kind":"staff.`)) {
			kept = append(kept, ln)
		}
	}
	os.WriteFile(l.path, rechainUnkeyed(t, kept), 0o600)
	r.heartbeat(l.start())
	if n := len(r.openAlarms(api.AlarmAuditRollback)); n != 1 {
		t.Fatalf("staff entries removed: %d rollback alarms, want 1", n)
	}
	rep, _ = audit.VerifyWith(l.path, audit.VerifyOptions{Key: l.key, Anchor: &anchor})
	if rep.Anchored || !hasProblem(rep, audit.Rewritten) {
		t.Fatalf("kioskctl's check against the anchor: %v", rep.Problems)
	}
	r.f.st.ResolveAlarmsOf(ctx, terminalA, string(api.AlarmAuditRollback), "ops", testNow)

	// 4. Back to the good log, anchored further; then one entry forged and
	// the log re-chained to the length that, after the kiosk's restart
	// (audit.keyed + audit.opened), reports the anchored sequence again.
	os.WriteFile(l.path, good, 0o600)
	seq, head = l.start()
	r.heartbeat(seq, head) // anchored at seq
	now, _ := os.ReadFile(l.path)
	all := bytes.SplitAfter(now, []byte("\n"))
	all = all[:len(all)-1] // the empty piece after the last newline
	forged := append([][]byte{}, all[:seq-2]...)
	forged[2] = bytes.Replace(forged[2], []byte("reprinted a receipt"), []byte("nothing happened"), 1)
	os.WriteFile(l.path, rechainUnkeyed(t, forged), 0o600)
	seq2, head2 := l.start()
	if seq2 != seq || head2 == head {
		t.Fatalf("the forgery reports %d:%s, want the anchored sequence %d with another head", seq2, head2, seq)
	}
	r.heartbeat(seq2, head2)
	fk := r.openAlarms(api.AlarmAuditFork)
	if len(fk) != 1 || !strings.Contains(fk[0].Detail, "forked") {
		t.Fatalf("forged entry: fork alarms %+v", fk)
	}
}

func hasProblem(rep audit.Report, k audit.ProblemKind) bool {
	for _, p := range rep.Problems {
		if p.Kind == k {
			return true
		}
	}
	return false
}

// rechainUnkeyed renumbers lines and re-chains them with the old unkeyed
// algorithm (SM3 over previous hash and JSON), as anyone can.
func rechainUnkeyed(t *testing.T, lines [][]byte) []byte {
	t.Helper()
	var out []byte
	prev := make([]byte, 32)
	for i, ln := range lines {
		var e map[string]any
		if err := json.Unmarshal(bytes.TrimSpace(ln[65:]), &e); err != nil {
			t.Fatal(err)
		}
		e["seq"] = i + 1
		e["prev"] = hex.EncodeToString(prev)
		delete(e, "mac")
		body, _ := json.Marshal(e)
		sum := sm3.Sum(append(append([]byte{}, prev...), body...))
		h := sum[:]
		out = append(out, hex.EncodeToString(h)+" "+string(body)+"\n"...)
		prev = h
	}
	return out
}

// TestAuditHeadRefused: a malformed head in a heartbeat is refused in plain
// words; in a batch it is skipped and the batch goes through.
func TestAuditHeadRefused(t *testing.T) {
	f := newFixture(t, true)
	for _, h := range []api.AuditHead{{Seq: 0, Head: strings.Repeat("a", 64)}, {Seq: 3, Head: "zz"}, {Seq: 3, Head: strings.Repeat("A", 64)}} {
		hb := api.Heartbeat{Terminal: terminalA, Version: "t", SentAt: testNow, Devices: []api.DeviceStatus{}, Available: true, Audit: &h}
		rec := f.do("POST", "/v1/heartbeats", terminalA, hb)
		if rec.Code != 400 || !strings.Contains(rec.Body.String(), "audit.") {
			t.Errorf("head %+v: %d %s", h, rec.Code, rec.Body)
		}
	}
	if _, err := f.st.AuditAnchorOf(context.Background(), terminalA); err != store.ErrNotFound {
		t.Errorf("a refused head was anchored: %v", err)
	}
	// Without a certificate (dev mode) nothing can check a signature: the
	// head is anchored, the signature not kept as if it meant something.
	hb := api.Heartbeat{Terminal: terminalA, Version: "t", SentAt: testNow, Devices: []api.DeviceStatus{}, Available: true,
		Audit: &api.AuditHead{Seq: 3, Head: strings.Repeat("a", 64), Signature: []byte("unverifiable")}}
	if rec := f.do("POST", "/v1/heartbeats", terminalA, hb); rec.Code != 200 {
		t.Fatalf("dev-mode head with a signature: %d %s", rec.Code, rec.Body)
	}
	if a, err := f.st.AuditAnchorOf(context.Background(), terminalA); err != nil || a.Seq != 3 || a.Signature != nil {
		t.Errorf("dev-mode anchor %+v, %v; want 3 with no signature", a, err)
	}
}

// FuzzAuditHead: whatever a terminal sends as its audit head, the check
// never panics, and what it accepts is a head the store can keep.
func FuzzAuditHead(f *testing.F) {
	f.Add([]byte(`{"seq":7,"head":"` + strings.Repeat("ab", 32) + `"}`))
	f.Add([]byte(`{"seq":0,"head":""}`))
	f.Add([]byte(`{"seq":18446744073709551615,"head":"` + strings.Repeat("AB", 32) + `"}`))
	f.Add([]byte(`{"seq":-1}`))
	f.Fuzz(func(t *testing.T, in []byte) {
		var h api.AuditHead
		if json.Unmarshal(in, &h) != nil {
			return
		}
		if checkAuditHead(&h) != "" {
			return
		}
		if _, err := audit.ParseAnchor(audit.Anchor{Seq: h.Seq, Head: h.Head}.String()); err != nil || int64(h.Seq) <= 0 {
			t.Fatalf("accepted %+v, which is no anchor: %v", h, err)
		}
	})
}

// TestSignedCheckpoints: over mutual TLS, a terminal whose certificate
// carries an SM2 key must sign each audit head with it; the signed
// checkpoint is kept with the anchor. Unsigned, signed for another
// sequence, or signed by another key: refused in plain words and not
// anchored.
func TestSignedCheckpoints(t *testing.T) {
	m := newMutual(t)
	a, status, code := m.enrol(t, terminalA, m.issue(t, terminalA, "XH01"))
	if status != 200 {
		t.Fatalf("enrol: %d %s", status, code)
	}
	other, _ := sealed.LoadOrCreateKey(filepath.Join(t.TempDir(), "other"))
	head := strings.Repeat("5a", 32)
	sign := func(k *sealed.PrivateKey, seq uint64) []byte {
		sig, err := sealed.SignCheckpoint(nil, k, terminalA, seq, head)
		if err != nil {
			t.Fatal(err)
		}
		return sig
	}
	steps := []struct {
		name   string
		sig    []byte
		status int
	}{
		{"unsigned", nil, 400},
		{"signed for another sequence", sign(a.sm2, 8), 400},
		{"signed by another key", sign(other, 7), 400},
		{"signed", sign(a.sm2, 7), 200},
	}
	for _, s := range steps {
		hb := api.Heartbeat{Terminal: terminalA, Version: "t", SentAt: time.Now(), Devices: []api.DeviceStatus{}, Available: true,
			Audit: &api.AuditHead{Seq: 7, Head: head, Signature: s.sig}}
		got, code := m.post(t, a.client, "/v1/heartbeats", hb, nil)
		if got != s.status {
			t.Fatalf("%s: %d %s, want %d", s.name, got, code, s.status)
		}
		anc, err := m.f.st.AuditAnchorOf(context.Background(), terminalA)
		if s.status != 200 && err != store.ErrNotFound {
			t.Fatalf("%s: anchored anyway: %+v %v", s.name, anc, err)
		}
		if s.status == 200 && (err != nil || !sealed.VerifyCheckpoint(&a.sm2.PublicKey, terminalA, anc.Seq, anc.Head, anc.Signature)) {
			t.Fatalf("%s: the anchor does not keep the signed checkpoint: %+v %v", s.name, anc, err)
		}
	}
}
