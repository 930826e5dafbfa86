package document

import (
	"context"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/makiuchi-d/gozxing"
	"github.com/makiuchi-d/gozxing/qrcode"
)

// TestPrintedQRCodeLeadsToVerification renders the PDF to an image with
// pdftoppm, as a scanner would see the paper, and reads the QR code back:
// it must be the verification address of this document's number.
func TestPrintedQRCodeLeadsToVerification(t *testing.T) {
	if _, err := exec.LookPath("pdftoppm"); err != nil {
		if os.Getenv("TONGBAN_REQUIRE_CUPS") != "" {
			t.Fatal("pdftoppm missing: make deps installs poppler-utils")
		}
		t.Skip("pdftoppm missing")
	}
	iss, _ := testIssuer(t)
	doc, err := iss.Issue(context.Background(), sampleDocument())
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	pdf := filepath.Join(dir, "doc.pdf")
	os.WriteFile(pdf, doc.PDF, 0o600)
	if out, err := exec.Command("pdftoppm", "-r", "150", "-png", "-singlefile", pdf, filepath.Join(dir, "page")).CombinedOutput(); err != nil {
		t.Fatalf("pdftoppm: %v\n%s", err, out)
	}
	f, err := os.Open(filepath.Join(dir, "page.png"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	bmp, err := gozxing.NewBinaryBitmapFromImage(img)
	if err != nil {
		t.Fatal(err)
	}
	res, err := qrcode.NewQRCodeReader().Decode(bmp, map[gozxing.DecodeHintType]interface{}{gozxing.DecodeHintType_TRY_HARDER: true})
	if err != nil {
		t.Fatalf("no QR code read from the rendered page: %v", err)
	}
	if want := "https://bo.example.test/v/" + doc.Number; res.GetText() != want {
		t.Errorf("QR code says %q, want %q", res.GetText(), want)
	}
}

// FuzzCheck: no signature or file bytes panic the upload check, and none
// but the issued pair is genuine.
func FuzzCheck(f *testing.F) {
	iss, _ := testIssuer(f)
	doc, err := iss.Issue(context.Background(), sampleDocument())
	if err != nil {
		f.Fatal(err)
	}
	f.Add([]byte("%PDF-1.4"), []byte{0x30, 0x44, 0x02, 0x20})
	f.Add(doc.PDF[:100], doc.Signature)
	f.Fuzz(func(t *testing.T, pdf, sig []byte) {
		rec, err := iss.Check(context.Background(), pdf, sig)
		if err == nil && rec.Digest != Digest(doc.PDF) {
			t.Fatalf("a file that was not issued checked as %s", rec.Number)
		}
	})
}
