package receipt_test

import (
	"bytes"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/receipt"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata/")

// sampleTime is a fixed moment for every sample: 2026-11-28 03:12 Shanghai.
var sampleTime = time.Date(2026, 11, 28, 3, 12, 0, 0, time.FixedZone("CST", 8*3600))

// sampleSlot is an appointment time: Monday 2026-12-07 09:30 Shanghai.
var sampleSlot = time.Date(2026, 12, 7, 9, 30, 0, 0, time.FixedZone("CST", 8*3600))

// fontPath is the embedded UI font, read from its file so this test does
// not pull in Fyne through package assets.
const fontPath = "../../assets/fonts/NotoSansSC-Regular-GB2312.otf"
const boldPath = "../../assets/fonts/NotoSansSC-Bold-GB2312.otf"

type document struct {
	name   string
	layout func(kiosk.Lang, escpos.Profile) ([]byte, error)
}

func documents() []document {
	return []document{
		{"receipt", func(l kiosk.Lang, p escpos.Profile) ([]byte, error) {
			return receipt.Acceptance(receipt.SampleReceipt(l, sampleTime), p, printed)
		}},
		{"ticket", func(l kiosk.Lang, p escpos.Profile) ([]byte, error) {
			return receipt.Ticket(receipt.SampleTicket(l, sampleTime), p, printed)
		}},
		{"appointment", func(l kiosk.Lang, p escpos.Profile) ([]byte, error) {
			return receipt.Appointment(receipt.SampleAppointment(l, sampleSlot), p, printed)
		}},
		{"result", func(l kiosk.Lang, p escpos.Profile) ([]byte, error) {
			return receipt.Result(receipt.SampleResult(l, sampleTime), p, printed)
		}},
		{"selftest", func(l kiosk.Lang, p escpos.Profile) ([]byte, error) {
			return receipt.SelfTest(receipt.SampleSelfTest(l, sampleTime), p, printed)
		}},
	}
}

func profiles() []escpos.Profile { return []escpos.Profile{escpos.Paper58(), escpos.Paper80()} }

func newSimPrinter(t testing.TB, p escpos.Profile) *sim.Printer {
	t.Helper()
	regular, err := os.ReadFile(fontPath)
	if err != nil {
		t.Fatal(err)
	}
	bold, err := os.ReadFile(boldPath)
	if err != nil {
		t.Fatal(err)
	}
	pr, err := sim.NewPrinter(sim.PrinterOptions{Profile: p, Font: regular, BoldFont: bold})
	if err != nil {
		t.Fatal(err)
	}
	return pr
}

func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file (%d bytes, want %d); run with -update if the change is intended", path, len(got), len(want))
	}
}

// TestDocumentsGolden checks every document at both widths and in both
// languages against its golden ESC/POS bytes and its golden rendering, and
// that the simulated printer printed it without wrapping at the paper's
// edge, missing glyphs or commands it did not understand.
func TestDocumentsGolden(t *testing.T) {
	for _, d := range documents() {
		for _, p := range profiles() {
			for _, lang := range []kiosk.Lang{kiosk.LangZH, kiosk.LangEN} {
				name := fmt.Sprintf("%s-%s-%s", d.name, p.Name, lang)
				t.Run(name, func(t *testing.T) {
					job, err := d.layout(lang, p)
					if err != nil {
						t.Fatal(err)
					}
					golden(t, filepath.Join("testdata", name+".bin"), job)

					pr := newSimPrinter(t, p)
					pr.Process(job)
					st := pr.Stats()
					if st.Overflows != 0 || st.MissingGlyphs != 0 || st.Ignored != 0 || st.Lost != 0 || st.Cuts != 1 {
						t.Errorf("printer stats %+v: want no overflow, missing glyph, ignored command or lost line, and one cut", st)
					}
					for _, l := range pr.Lines() {
						if escpos.Columns(l) > p.Columns {
							t.Errorf("line %q takes %d columns, more than %d", l, escpos.Columns(l), p.Columns)
						}
					}
					var img bytes.Buffer
					if err := pr.WritePNG(&img); err != nil {
						t.Fatal(err)
					}
					goldenImage(t, filepath.Join("testdata", name+".png"), img.Bytes())
				})
			}
		}
	}
}

// goldenImage compares pixels, not PNG bytes, so a new PNG encoder does
// not fail the test.
func goldenImage(t *testing.T, path string, got []byte) {
	t.Helper()
	if *update {
		golden(t, path, got)
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	gi, err1 := png.Decode(bytes.NewReader(got))
	wi, err2 := png.Decode(bytes.NewReader(want))
	if err1 != nil || err2 != nil {
		t.Fatalf("decoding PNGs: %v, %v", err1, err2)
	}
	if gi.Bounds() != wi.Bounds() {
		t.Fatalf("%s: rendering is %v, golden %v", path, gi.Bounds(), wi.Bounds())
	}
	g, gok := gi.(*image.Gray)
	w, wok := wi.(*image.Gray)
	if !gok || !wok {
		t.Fatalf("%s: renderings are %T and %T, want grey images", path, gi, wi)
	}
	diff := 0
	for i := range g.Pix {
		if g.Pix[i] != w.Pix[i] {
			diff++
		}
	}
	if diff > 0 {
		t.Errorf("%s: %d pixels differ from the golden rendering", path, diff)
	}
}

// TestReceiptQRDecodes renders the receipt with native and raster QR codes
// at both widths and decodes the QR code from the picture.
func TestReceiptQRDecodes(t *testing.T) {
	want := receipt.SampleReceipt(kiosk.LangZH, sampleTime).ProgressURL
	for _, p := range profiles() {
		for _, native := range []bool{true, false} {
			p.NativeQR = native
			t.Run(fmt.Sprintf("%s-native=%v", p.Name, native), func(t *testing.T) {
				job, err := receipt.Acceptance(receipt.SampleReceipt(kiosk.LangZH, sampleTime), p, printed)
				if err != nil {
					t.Fatal(err)
				}
				pr := newSimPrinter(t, p)
				pr.Process(job)
				got, err := decodeQR(pr.Image())
				if err != nil {
					t.Fatalf("QR code does not decode: %v", err)
				}
				if got != want {
					t.Errorf("QR code says %q, want %q", got, want)
				}
			})
		}
	}
}

func decodeQR(img image.Image) (string, error) {
	// A white margin around the paper gives the decoder its quiet zone.
	b := img.Bounds()
	framed := image.NewGray(image.Rect(0, 0, b.Dx()+64, b.Dy()+64))
	for i := range framed.Pix {
		framed.Pix[i] = 0xFF
	}
	for y := 0; y < b.Dy(); y++ {
		for x := 0; x < b.Dx(); x++ {
			r, _, _, _ := img.At(b.Min.X+x, b.Min.Y+y).RGBA()
			framed.Pix[(y+32)*framed.Stride+x+32] = uint8(r >> 8)
		}
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(framed)
	if err != nil {
		return "", err
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		return "", err
	}
	return res.GetText(), nil
}

// TestReceiptContent checks what the acceptance receipt says, line by line
// as printed: masked applicant, both numbers, the queued line only when
// queued.
func TestReceiptContent(t *testing.T) {
	tests := []struct {
		name    string
		edit    func(*kiosk.Receipt)
		lang    kiosk.Lang
		want    []string
		notWant []string
	}{
		{"queued zh", func(*kiosk.Receipt) {}, kiosk.LangZH,
			[]string{"受 理 回 执", "回执编号：XH0123-20261128-0042", "申请人：测*甲", "证件号码：310104********0013", "提交时间：2026-11-28 03:12", "承诺时限：30个工作日", "网络恢复后将自动提交"},
			[]string{"受理编号", "310104195001010013"}},
		{"confirmed zh", func(r *kiosk.Receipt) { r.Queued = false; r.Official = "SH-2026-000123" }, kiosk.LangZH,
			[]string{"受理编号：SH-2026-000123"},
			[]string{"网络恢复后将自动提交"}},
		{"queued en", func(*kiosk.Receipt) {}, kiosk.LangEN,
			[]string{"Acceptance Receipt", "XH0123-20261128-0042", "Applicant: 测*甲", "Time limit: 30 working days", "It will be sent when the network"},
			nil},
		{"nothing to bring", func(r *kiosk.Receipt) { r.StillToBring = nil }, kiosk.LangZH,
			[]string{"还需携带：无"}, nil},
		{"on the spot", func(r *kiosk.Receipt) { r.Promise = kiosk.TimeLimit{} }, kiosk.LangZH,
			[]string{"承诺时限：当场办结"}, nil},
		{"one working day", func(r *kiosk.Receipt) { r.Promise = kiosk.TimeLimit{Days: 1} }, kiosk.LangEN,
			[]string{"Time limit: 1 working day"}, []string{"days"}},
		{"calendar days", func(r *kiosk.Receipt) { r.Promise = kiosk.TimeLimit{Days: 15, Unit: "calendar-days"} }, kiosk.LangZH,
			[]string{"承诺时限：15天"}, []string{"工作日"}},
		{"months", func(r *kiosk.Receipt) { r.Promise = kiosk.TimeLimit{Days: 2, Unit: "months"} }, kiosk.LangEN,
			[]string{"Time limit: 2 months"}, nil},
		{"bundle parts zh", func(r *kiosk.Receipt) {
			r.Parts = []kiosk.ReceiptPart{{Name: kiosk.Text{ZH: "逝者民政待遇停发", EN: "Stop civil-affairs payments"}, Number: "XH0123-20261128-0042-1"},
				{Name: kiosk.Text{ZH: "逝者社会保险待遇结算", EN: "Settle social insurance"}, Number: "XH0123-20261128-0042-2"}}
		}, kiosk.LangZH,
			[]string{"分项办理", "1. 逝者民政待遇停发", "XH0123-20261128-0042-1", "2. 逝者社会保险待遇结算", "XH0123-20261128-0042-2"}, nil},
		{"bundle parts en", func(r *kiosk.Receipt) {
			r.Parts = []kiosk.ReceiptPart{{Name: kiosk.Text{ZH: "逝者民政待遇停发", EN: "Stop civil-affairs payments"}, Number: "XH0123-20261128-0042-1"},
				{Name: kiosk.Text{ZH: "逝者社会保险待遇结算", EN: "Settle social insurance"}, Number: "XH0123-20261128-0042-2"}}
		}, kiosk.LangEN,
			[]string{"Parts (each with its number)", "Stop civil-affairs payments", "XH0123-20261128-0042-2"}, []string{"分项"}},
		{"one item has no parts", func(*kiosk.Receipt) {}, kiosk.LangZH, nil, []string{"分项办理"}},
		{"unknown unit reads as working days", func(r *kiosk.Receipt) { r.Promise = kiosk.TimeLimit{Days: 3, Unit: "fortnights"} }, kiosk.LangZH,
			[]string{"承诺时限：3个工作日"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := receipt.SampleReceipt(tt.lang, sampleTime)
			tt.edit(&r)
			job, err := receipt.Acceptance(r, escpos.Paper58(), printed)
			if err != nil {
				t.Fatal(err)
			}
			pr := newSimPrinter(t, escpos.Paper58())
			pr.Process(job)
			text := strings.Join(pr.Lines(), "\n")
			for _, w := range tt.want {
				if !strings.Contains(text, w) {
					t.Errorf("receipt lacks %q:\n%s", w, text)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(text, w) {
					t.Errorf("receipt has %q:\n%s", w, text)
				}
			}
		})
	}
}

func TestLayoutRefusesIncompleteDocuments(t *testing.T) {
	r := receipt.SampleReceipt(kiosk.LangZH, sampleTime)
	r.ProgressURL = ""
	if _, err := receipt.Acceptance(r, escpos.Paper58(), printed); err == nil {
		t.Error("a receipt without a progress link was laid out")
	}
	r = receipt.SampleReceipt(kiosk.LangZH, sampleTime)
	r.LocalReceipt = ""
	if _, err := receipt.Acceptance(r, escpos.Paper58(), printed); err == nil {
		t.Error("a receipt without a receipt number was laid out")
	}
	tk := receipt.SampleTicket(kiosk.LangZH, sampleTime)
	tk.Number = ""
	if _, err := receipt.Ticket(tk, escpos.Paper58(), printed); err == nil {
		t.Error("a ticket without a number was laid out")
	}
	if _, err := receipt.Ticket(receipt.SampleTicket(kiosk.LangZH, sampleTime), escpos.Profile{Dots: 100}, printed); err == nil {
		t.Error("a bad profile was accepted")
	}
}

// TestTicketWaiting: how many wait ahead, in each language's plural.
func TestTicketWaiting(t *testing.T) {
	tests := []struct {
		lang    kiosk.Lang
		waiting int
		want    string
	}{
		{kiosk.LangZH, 0, "前面没有人等候"},
		{kiosk.LangZH, 3, "您前面还有 3 人等候"},
		{kiosk.LangEN, 0, "Nobody is ahead of you"},
		{kiosk.LangEN, 1, "1 person is ahead of you"},
		{kiosk.LangEN, 12, "12 people are ahead of you"},
	}
	for _, tt := range tests {
		tk := receipt.SampleTicket(tt.lang, sampleTime)
		tk.Waiting = tt.waiting
		job, err := receipt.Ticket(tk, escpos.Paper80(), printed)
		if err != nil {
			t.Fatal(err)
		}
		pr := newSimPrinter(t, escpos.Paper80())
		pr.Process(job)
		if text := strings.Join(pr.Lines(), "\n"); !strings.Contains(text, tt.want) {
			t.Errorf("%s, %d waiting: ticket lacks %q:\n%s", tt.lang, tt.waiting, tt.want, text)
		}
	}
}
