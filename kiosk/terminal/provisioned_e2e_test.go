package terminal

import (
	"context"
	"log/slog"
	"os"
	"path/filepath"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/backofficetest"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/provision"
	"github.com/tongban/tongban/kiosk/ui/setup"
	kiosktheme "github.com/tongban/tongban/kiosk/ui/theme"
	"github.com/tongban/tongban/kiosk/uplink"
)

// setUpTerminal runs the first-boot set-up as the kiosk shows it, on a
// data folder and a stick: typed when file is "", else zero-touch from
// file on the stick. The back office's CA is on the stick either way.
func setUpTerminal(t *testing.T, bo *backofficetest.Running, file string, typed map[string]string) (dataDir string) {
	t.Helper()
	data, stick := t.TempDir(), t.TempDir()
	ca, err := os.ReadFile(bo.CAFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(stick, "backoffice-ca.pem"), ca, 0o600); err != nil {
		t.Fatal(err)
	}
	if file != "" {
		if err := os.WriteFile(filepath.Join(stick, provision.FileName), []byte(file), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	test.NewTempApp(t).Settings().SetTheme(kiosktheme.New(kiosktheme.Normal, kiosktheme.EmbeddedFonts()))
	w := test.NewTempWindow(t, nil)
	w.Resize(fyne.NewSize(1920, 1080))
	applier := &provision.Applier{DataDir: data, Enrol: uplink.Enrol, Now: time.Now, Log: slog.New(slog.DiscardHandler)}
	done := make(chan struct{})
	z := setup.Show(context.Background(), w, setup.Options{
		ProvFile: filepath.Join(stick, provision.FileName),
		Draft:    filepath.Join(data, "setup", provision.FileName),
		CAFile:   filepath.Join(stick, "backoffice-ca.pem"),
		Apply: func(ctx context.Context, path string, progress func(provision.Step, error)) error {
			a := *applier
			a.Progress = progress
			return a.Apply(ctx, path)
		},
		Done: func() { close(done) },
	})
	if typed != nil {
		test.Tap(z.Button("lang:zh"))
		for key, text := range typed {
			e := z.Field(key)
			fyne.DoAndWait(func() { e.SetText(text) })
		}
		test.Tap(z.Button("start"))
	}
	select {
	case <-done:
	case <-time.After(30 * time.Second):
		t.Fatalf("not set up: %q", z.Results())
	}
	return data
}

// provisionedTerminal starts the terminal on the configuration its set-up
// wrote, on simulated devices and the back office it enrolled with.
func provisionedTerminal(t *testing.T, data string) *simTerminal {
	t.Helper()
	cfg := config.DefaultConfig()
	path := filepath.Join(data, provision.ConfigName)
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	err = config.ParseConfigFile(&cfg, f, path)
	f.Close()
	if err != nil {
		t.Fatalf("the configuration the set-up wrote: %v", err)
	}
	cfg.Simulate = true // the devices only: the back office is the enrolled one
	cfg.SyncEvery = time.Second
	if err := cfg.Validate(); err != nil {
		t.Fatal(err)
	}
	return startSimTerminal(t, cfg)
}

// A terminal set up by hand through the wizard and one set up from a
// provision file each serve a resident's whole visit, and the submission
// reaches the back office they enrolled with, over mutual TLS: the
// official number on the receipt, the one row in the back office.
func TestProvisionedTerminalsServeAWholeVisit(t *testing.T) {
	if testing.Short() {
		t.Skip("end to end: the set-up, simulators, a back office and the uplink")
	}
	for _, how := range []string{"by hand", "by file"} {
		t.Run(how, func(t *testing.T) {
			// The back office knows the terminal's card reader (the
			// simulated one's SAM ID), as a technician registers it.
			readers, err := backoffice.NewMemReaders(map[string][]string{"XH0101": {sim.SimSAMID.String()}})
			if err != nil {
				t.Fatal(err)
			}
			bo := backofficetest.TLSWith(t, func(o *backoffice.Options) { o.Readers = readers })
			ctx := context.Background()
			token, err := bo.Server.IssueEnrolmentToken(ctx, "XH0101", "XH01", time.Hour)
			if err != nil {
				t.Fatal(err)
			}
			var data string
			if how == "by hand" {
				data = setUpTerminal(t, bo, "", map[string]string{"center.name": "徐汇区测试街道社区事务受理服务中心",
					"center.code": "xh01", "terminal": "xh0101", "url": bo.URL, "token": token})
			} else {
				data = setUpTerminal(t, bo, "center.name = 徐汇区测试街道社区事务受理服务中心\ncenter.code = XH01\nterminal.code = XH0101\n"+
					"backoffice.url = "+bo.URL+"\nidreader.port = /dev/kiosk-idreader\nprinter.port = /dev/kiosk-printer\nscanner.port = /dev/kiosk-scanner\n"+
					"enrol.token = "+token+"\nenrol.ca = backoffice-ca.pem\nenrol.ca_fingerprint = "+bo.Fingerprint+"\n", nil)
			}
			st := provisionedTerminal(t, data)
			if st.cfg.Terminal != "XH0101" || st.cfg.BackOffice != bo.URL || st.cfg.DataDir != data {
				t.Fatalf("configured as %s for %s in %s", st.cfg.Terminal, st.cfg.BackOffice, st.cfg.DataDir)
			}
			done := st.visit(t)
			r := done.Receipt
			if r == nil || r.Queued || r.Official == "" {
				t.Fatalf("receipt %+v: want the back office's official number", r)
			}
			e, err := st.queue.Find(r.LocalReceipt)
			if err != nil || e.State != kiosk.StateAcknowledged {
				t.Fatalf("queue entry %+v, %v: want acknowledged", e, err)
			}
			sub, err := bo.Store.SubmissionByReceipt(ctx, r.Official)
			if err != nil || sub.LocalReceipt != r.LocalReceipt || sub.Terminal != "XH0101" {
				t.Fatalf("the back office holds %+v, %v", sub, err)
			}
			counts, err := bo.Store.CountSubmissions(ctx, "XH0101")
			if err != nil || len(counts) != 1 || counts[e.ID] != 1 {
				t.Errorf("back office rows per submission: %v, %v; want exactly one of %s", counts, err, e.ID)
			}
		})
	}
}
