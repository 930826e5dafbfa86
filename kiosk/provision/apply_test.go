package provision

import (
	"encoding/pem"

	"context"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/tongban/tongban/internal/sealed"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/backofficetest"
	"github.com/tongban/tongban/kiosk/uplink"
)

// backOffice runs a real back office with mutual TLS on loopback and
// returns it, its URL and its CA certificate.
func backOffice(t *testing.T) (*backoffice.Server, string, []byte) {
	t.Helper()
	bo := backofficetest.TLS(t)
	ca, err := os.ReadFile(bo.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	return bo.Server, bo.URL, ca
}

// stick writes a provision file for terminal CS0101 with token and the CA
// beside it, as a technician would on the TONGBAN-PROV partition.
func stick(t *testing.T, url, token string, ca []byte) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "backoffice-ca.pem"), ca, 0o600); err != nil {
		t.Fatal(err)
	}
	fp := "none"
	if blk, _ := pem.Decode(ca); blk != nil {
		fp = sealed.Fingerprint(blk.Bytes)
	}
	text := strings.NewReplacer("https://10.0.2.2:8443", url, "tbe_0123456789abcdef0123456789abcdef", token,
		"SM3:0000-1111-2222-3333-4444-5555-6666-7777-8888-9999-AAAA-BBBB-CCCC-DDDD-EEEE-FFFF", fp).Replace(goodFile)
	path := filepath.Join(dir, FileName)
	if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

type recorder struct{ steps []string }

func (r *recorder) progress(s Step, err error) {
	mark := "ok"
	if err != nil {
		mark = "failed"
	}
	r.steps = append(r.steps, string(s)+" "+mark)
}

func applier(dataDir string, enrol Enroller, r *recorder) *Applier {
	return &Applier{DataDir: dataDir, Enrol: enrol, Now: time.Now, Log: slog.New(slog.DiscardHandler), Progress: r.progress}
}

func TestApplyZeroTouch(t *testing.T) {
	srv, url, ca := backOffice(t)
	ctx := context.Background()
	token, err := srv.IssueEnrolmentToken(ctx, "CS0101", "CS01", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	path := stick(t, url, token, ca)
	data := t.TempDir()
	r := &recorder{}
	if err := applier(data, uplink.Enrol, r).Apply(ctx, path); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(r.steps, ", "); got != "read ok, enrol ok, token ok, config ok" {
		t.Errorf("steps: %s", got)
	}
	if !Provisioned(data) {
		t.Fatal("no configuration written")
	}
	id, err := uplink.LoadIdentity(filepath.Join(data, "identity"))
	if err != nil || id.Terminal != "CS0101" || id.Center != "CS01" {
		t.Fatalf("identity %+v, %v", id, err)
	}
	left, _ := os.ReadFile(path)
	if strings.Contains(string(left), token) {
		t.Error("the used token is still on the stick")
	}
	// Applied again (the unit runs at every boot until provisioned, and a
	// technician may run it by hand): it keeps the identity, needs no token.
	os.Remove(filepath.Join(data, ConfigName))
	r.steps = nil
	if err := applier(data, uplink.Enrol, r).Apply(ctx, path); err != nil {
		t.Fatalf("again: %v", err)
	}
	if got := strings.Join(r.steps, ", "); got != "read ok, enrol ok, config ok" {
		t.Errorf("steps again: %s", got)
	}
}

// A power cut after enrolment and before the configuration: the token is
// spent, and the terminal resumes from its kept identity rather than
// asking for a new token or starting half set up.
func TestApplyResumesAfterPowerCutBeforeConfig(t *testing.T) {
	srv, url, ca := backOffice(t)
	ctx := context.Background()
	token, _ := srv.IssueEnrolmentToken(ctx, "CS0101", "CS01", time.Hour)
	path := stick(t, url, token, ca)
	data := t.TempDir()
	cut := func(ctx context.Context, o uplink.EnrolOptions) (*uplink.Identity, error) {
		if _, err := uplink.Enrol(ctx, o); err != nil {
			return nil, err
		}
		return nil, context.Canceled // the power goes here
	}
	if err := applier(data, cut, &recorder{}).Apply(ctx, path); err == nil {
		t.Fatal("the cut run should fail")
	}
	if Provisioned(data) {
		t.Fatal("half set up: a configuration after a failed enrolment step")
	}
	r := &recorder{}
	if err := applier(data, uplink.Enrol, r).Apply(ctx, path); err != nil {
		t.Fatalf("after the cut: %v", err)
	}
	if !Provisioned(data) {
		t.Fatal("not provisioned after resuming")
	}
}

func TestApplyFailuresThenRetry(t *testing.T) {
	srv, url, ca := backOffice(t)
	ctx := context.Background()
	data := t.TempDir()

	// A wrong token: refused, nothing written, the file kept for a retry.
	path := stick(t, url, "tbe_00000000000000000000000000000000", ca)
	r := &recorder{}
	err := applier(data, uplink.Enrol, r).Apply(ctx, path)
	if err == nil || Provisioned(data) {
		t.Fatalf("wrong token: %v, provisioned %v", err, Provisioned(data))
	}
	if got := strings.Join(r.steps, ", "); got != "read ok, enrol failed" {
		t.Errorf("steps: %s", got)
	}

	// An unreachable back office: refused in words naming it.
	ln, _ := net.Listen("tcp", "127.0.0.1:0")
	dead := "https://" + ln.Addr().String()
	ln.Close()
	token, _ := srv.IssueEnrolmentToken(ctx, "CS0101", "CS01", time.Hour)
	err = applier(data, uplink.Enrol, &recorder{}).Apply(ctx, stick(t, dead, token, ca))
	if err == nil || !strings.Contains(err.Error(), dead) {
		t.Fatalf("unreachable: %v", err)
	}

	// The same token, now with the right address: it was never spent.
	if err := applier(data, uplink.Enrol, &recorder{}).Apply(ctx, stick(t, url, token, ca)); err != nil {
		t.Fatalf("retry: %v", err)
	}

	// A file for another terminal on an enrolled one: refused, not moved.
	other := stick(t, url, "tbe_11111111111111111111111111111111", ca)
	text, _ := os.ReadFile(other)
	os.WriteFile(other, []byte(strings.ReplaceAll(string(text), "CS0101", "CS0102")), 0o600)
	err = applier(data, uplink.Enrol, &recorder{}).Apply(ctx, other)
	if err == nil || !strings.Contains(err.Error(), "already enrolled as CS0101") {
		t.Fatalf("other terminal: %v", err)
	}
}
