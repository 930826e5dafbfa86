package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/tongban/tongban/devices/scanner"
	"github.com/tongban/tongban/devices/sim"
)

func testDevices(t *testing.T) ([]simulatedDevice, map[string]*plugged) {
	t.Helper()
	devices, err := simulatedDevices(devsimConfig{suffix: scanner.SuffixCR})
	if err != nil {
		t.Fatal(err)
	}
	byName := map[string]*plugged{}
	for _, d := range devices {
		byName[d.name] = &plugged{dev: d, link: t.TempDir() + "/" + d.name}
	}
	return devices, byName
}

func TestDevsimCommands(t *testing.T) {
	devices, byName := testDevices(t)
	png := filepath.Join(t.TempDir(), "printed.png")
	tests := []struct{ line, want string }{
		{"scanner scan hello", "sent"},
		{"scanner gb 测试", "sent"},
		{"scanner garbage", "sent"},
		{"scanner fly", "unknown scanner command"},
		{"idreader place resident", "card resident placed"},
		{"idreader place permit-tw", "card permit-tw placed"},
		{"idreader place passport", `no sample card "passport"; one of foreign-2017`},
		{"idreader place", "which card?"},
		{"idreader remove", "card removed"},
		{"idreader fault moved", "taken away during the next read"},
		{"idreader fault corrupt", "next 1 replies"},
		{"idreader fault corrupt 3", "next 3 replies"},
		{"idreader fault corrupt lots", "not a count"},
		{"idreader fault slow", "held back 200ms"},
		{"idreader fault slow 2s", "held back 2s"},
		{"idreader fault slow -1s", "not a delay"},
		{"idreader fault sam", "self-test"},
		{"idreader fault garbage", "noise"},
		{"idreader fault garbage 2", "takes no argument"},
		{"idreader fault none", "healthy"},
		{"idreader fault fire", `unknown fault "fire"`},
		{"idreader fault", "say moved"},
		{"idreader fly", "unknown idreader command"},
		{"printer paper low", "1 m left"},
		{"printer status", "paper low"},
		{"printer paper out", "paper out"},
		{"printer status", "paper out"},
		{"printer paper full", "40 m roll"},
		{"printer paper wet", `"wet" is not one of out, low, full`},
		{"printer cover open", "cover open"},
		{"printer status", "cover open, offline"},
		{"printer cover close", "cover shut"},
		{"printer cutter jam", "cutter jammed"},
		{"printer cutter ok", "cutter cleared"},
		{"printer status", "paper full, online"},
		{"printer png " + png, "wrote " + png + " (384x"},
		{"printer png", "give the file"},
		{"printer png /nonexistent/dir/x.png", "no such file"},
		{"printer clear", "forgotten"},
		{"printer scan x", "unknown printer command"},
		{"modem dial", "unknown command"},
		{"unplug nothing", "no device nothing"},
		{"help", "scanner scan TEXT"},
		{"help", "idreader place CARD          put a sample card on the reader (CARD: foreign-2017, foreign-2023, permit-hk"},
		{"help", "printer png FILE"},
		{"help", "devices: idreader, printer, scanner"},
	}
	for _, tt := range tests {
		if got := devsimCommand(t.Context(), tt.line, byName, devices); !strings.Contains(got, tt.want) {
			t.Errorf("devsimCommand(%q) = %q, want %q", tt.line, got, tt.want)
		}
	}
	if _, err := encodeGB18030("测试"); err != nil {
		t.Error(err)
	}
}

func TestDevsimRefusesUnknownCard(t *testing.T) {
	err := devsim(t.Context(), []string{"-dir", t.TempDir(), "-card", "library-card"}, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), `no sample card "library-card"`) {
		t.Errorf("err = %v", err)
	}
	err = devsim(t.Context(), []string{"-dir", t.TempDir(), "-width", "76"}, strings.NewReader(""), io.Discard, io.Discard)
	if err == nil || !strings.Contains(err.Error(), "58") {
		t.Errorf("err = %v", err)
	}
}

// operator drives a running `kioskctl devsim` as a person at its prompt.
type operator struct {
	t   *testing.T
	in  *io.PipeWriter
	out *bufio.Scanner
}

// say types a command and returns devsim's answer (its first line).
func (o *operator) say(line string) string {
	o.t.Helper()
	if _, err := io.WriteString(o.in, line+"\n"); err != nil {
		o.t.Fatal(err)
	}
	return o.next()
}

func (o *operator) next() string {
	o.t.Helper()
	if !o.out.Scan() {
		o.t.Fatalf("devsim stopped: %v", o.out.Err())
	}
	return o.out.Text()
}

// startDevsim runs devsim in dir until the test ends and waits until it
// is ready; it returns the operator and what devsim printed at start.
func startDevsim(t *testing.T, dir string, args ...string) (*operator, string) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	inR, inW := io.Pipe()
	outR, outW := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- devsim(ctx, append([]string{"-dir", dir}, args...), inR, outW, io.Discard)
		outW.Close()
	}()
	t.Cleanup(func() {
		cancel()
		inW.Close()
		go io.Copy(io.Discard, outR)
		if err := <-done; err != nil {
			t.Errorf("devsim: %v", err)
		}
	})
	o := &operator{t: t, in: inW, out: bufio.NewScanner(outR)}
	var banner strings.Builder
	for {
		line := o.next()
		banner.WriteString(line + "\n")
		if strings.HasPrefix(line, "ready") {
			return o, banner.String()
		}
	}
}

func readCard(t *testing.T, port string, extra ...string) (cardReport, error) {
	t.Helper()
	var out bytes.Buffer
	args := append([]string{"idcard", "read", "--port", port, "--timeout", "3s"}, extra...)
	err := run(context.Background(), args, &out, io.Discard)
	var r cardReport
	if err == nil {
		if jerr := json.Unmarshal(out.Bytes(), &r); jerr != nil {
			t.Fatalf("%v: %s", jerr, out.String())
		}
	}
	return r, err
}

// The whole loop an operator goes through: devices at stable links, cards
// placed and faults set at the prompt, kioskctl reading and printing
// through them, unplug and replug.
func TestDevsimEndToEnd(t *testing.T) {
	if _, closeFn, err := sim.ServePTY(t.Context(), sim.NewScanner(sim.ScannerOptions{})); err != nil {
		t.Skipf("no pseudo-terminal here: %v", err)
	} else {
		closeFn()
	}
	dir := t.TempDir()
	o, banner := startDevsim(t, dir, "-card", "permit-hk")
	reader, printer := filepath.Join(dir, "idreader"), filepath.Join(dir, "printer")
	for _, want := range []string{"scanner  " + filepath.Join(dir, "scanner") + " -> /dev/pts/", "idreader " + reader + " -> /dev/pts/",
		"printer  " + printer + " -> /dev/pts/", "try: kioskctl idcard read --port " + reader} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}

	// The card given with -card, then others placed at the prompt.
	if r, err := readCard(t, reader, "--reveal"); err != nil || r.Number != sim.SamplePermitHK().Number {
		t.Fatalf("first read: %+v, %v", r, err)
	}
	o.say("idreader place foreign-2023")
	if r, err := readCard(t, reader, "--reveal"); err != nil || r.Number != sim.SampleForeign2023().Number {
		t.Fatalf("foreign-2023: %+v, %v", r, err)
	}

	// Each fault shows as its own error, and the next read works again.
	for _, f := range []struct{ fault, want string }{
		{"moved", "身份证移动了"},
		{"sam", "not ready"},
	} {
		o.say("idreader place resident")
		o.say("idreader fault " + f.fault)
		if _, err := readCard(t, reader); err == nil || !strings.Contains(err.Error(), f.want) {
			t.Errorf("fault %s: err = %v, want %q", f.fault, err, f.want)
		}
		o.say("idreader fault none")
		o.say("idreader place resident")
		if _, err := readCard(t, reader); err != nil {
			t.Errorf("after fault %s: %v", f.fault, err)
		}
	}
	o.say("idreader remove")
	if _, err := readCard(t, reader, "--timeout", "300ms"); err == nil || !strings.Contains(err.Error(), "没有读到身份证") {
		t.Errorf("no card: %v", err)
	}

	// Unplugged, the link is gone; replugged, it reads again.
	if got := o.say("unplug idreader"); got != "idreader unplugged" {
		t.Errorf("unplug: %q", got)
	}
	if _, err := readCard(t, reader); err == nil || !strings.Contains(err.Error(), "no serial port at this path") {
		t.Errorf("unplugged reader: %v", err)
	}
	if got := o.say("replug idreader"); !strings.HasPrefix(got, "idreader plugged in: "+reader+" -> /dev/pts/") {
		t.Errorf("replug: %q", got)
	}
	o.say("idreader place resident-longterm")
	if r, err := readCard(t, reader); err != nil || r.ValidUntil != "长期" {
		t.Errorf("after replug: %+v, %v", r, err)
	}

	// The printer prints, saves what it printed, and refuses without paper.
	var out bytes.Buffer
	if err := run(context.Background(), []string{"print", "ticket", "--port", printer}, &out, io.Discard); err != nil {
		t.Fatalf("print: %v", err)
	}
	img := filepath.Join(t.TempDir(), "ticket.png")
	if got := o.say("printer png " + img); !strings.HasPrefix(got, "wrote") {
		t.Fatalf("png: %q", got)
	}
	f, err := os.Open(img)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := png.DecodeConfig(f)
	f.Close()
	if err != nil || cfg.Width != 384 || cfg.Height < 200 {
		t.Errorf("png %dx%d, %v", cfg.Width, cfg.Height, err)
	}
	o.say("printer paper out")
	if err := run(context.Background(), []string{"print", "ticket", "--port", printer}, io.Discard, io.Discard); err == nil {
		t.Error("printed without paper")
	}
	o.say("printer paper full")
	o.say("unplug printer")
	if err := run(context.Background(), []string{"print", "ticket", "--port", printer}, io.Discard, io.Discard); err == nil {
		t.Error("printed on an unplugged printer")
	}
	o.say("replug printer")
	if err := run(context.Background(), []string{"print", "ticket", "--port", printer}, io.Discard, io.Discard); err != nil {
		t.Errorf("print after replug: %v", err)
	}
}
