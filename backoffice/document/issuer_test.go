package document

import (
	"bytes"
	"context"
	"crypto/rand"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/emmansun/gmsm/sm2"
)

func testIssuer(t testing.TB) (*PDFIssuer, *MemRecords) {
	t.Helper()
	key, err := sm2.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	fonts, err := SystemFonts()
	if err != nil {
		if os.Getenv("TONGBAN_REQUIRE_CUPS") != "" {
			t.Fatal(err)
		}
		t.Skip(err)
	}
	recs := &MemRecords{}
	iss, err := New(Config{Key: key, Records: recs, VerifyURL: "https://bo.example.test/v/", Fonts: fonts,
		Now: func() time.Time { return time.Date(2026, 12, 5, 9, 30, 0, 0, shanghai) }})
	if err != nil {
		t.Fatal(err)
	}
	return iss, recs
}

func sampleDocument() Document {
	return Document{
		Item: "SH-HJ-001", Title: "户籍证明", Center: "徐汇区示例街道社区事务受理服务中心",
		Subject: "测*甲",
		Fields: []Field{
			{Label: "公民身份号码", Value: "310101********0012"},
			{Label: "户籍地址", Value: "上海市徐汇区示例路**号"},
			{Label: "证明事项", Value: "该居民户籍登记在本辖区。"},
		},
		Asked: time.Date(2026, 12, 5, 9, 29, 0, 0, shanghai),
	}
}

func pdftotext(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("TONGBAN_REQUIRE_CUPS") != "" {
			t.Fatal("pdftotext missing: make deps installs poppler-utils")
		}
		t.Skip("pdftotext missing")
	}
	p := filepath.Join(t.TempDir(), "doc.pdf")
	os.WriteFile(p, pdf, 0o600)
	out, err := exec.Command("pdftotext", p, "-").CombinedOutput()
	if err != nil {
		t.Fatalf("pdftotext: %v\n%s", err, out)
	}
	return string(out)
}

func TestIssueRendersSignsRecords(t *testing.T) {
	iss, _ := testIssuer(t)
	ctx := context.Background()
	d := sampleDocument()
	doc, err := iss.Issue(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if !ValidNumber(doc.Number) {
		t.Errorf("number %q has not a number's shape", doc.Number)
	}
	text := pdftotext(t, doc.PDF)
	for _, want := range []string{"户籍证明", d.Center, "测*甲", "310101********0012", "该居民户籍登记在本辖区", "2026年12月05日", doc.Number, "https://bo.example.test/v/" + doc.Number} {
		if !strings.Contains(text, want) {
			t.Errorf("the PDF's text lacks %q:\n%s", want, text)
		}
	}
	// The signature checks, and gives back what was certified.
	rec, err := iss.Check(ctx, doc.PDF, doc.Signature)
	if err != nil {
		t.Fatalf("check: %v", err)
	}
	if rec.Number != doc.Number || rec.Subject != "测*甲" || len(rec.Fields) != 3 || rec.Digest != Digest(doc.PDF) {
		t.Errorf("record %+v", rec)
	}
	got, ok, err := iss.Lookup(ctx, doc.Number)
	if err != nil || !ok || got.Title != "户籍证明" {
		t.Errorf("lookup: %+v %v %v", got, ok, err)
	}
	if os.Getenv("TONGBAN_DOCUMENT_SHOT") != "" {
		os.WriteFile(os.Getenv("TONGBAN_DOCUMENT_SHOT"), doc.PDF, 0o644)
	}
}

// TestCheckRefusesTampering: one changed byte, another document's
// signature, a key that is not the back office's, an unrecorded PDF.
func TestCheckRefusesTampering(t *testing.T) {
	iss, recs := testIssuer(t)
	ctx := context.Background()
	a, _ := iss.Issue(ctx, sampleDocument())
	b, _ := iss.Issue(ctx, sampleDocument())
	if a.Number == b.Number {
		t.Fatal("two documents got the same number")
	}
	changed := bytes.Clone(a.PDF)
	i := bytes.Index(changed, []byte("/Title"))
	changed[i+1] = 't'
	other, _ := sm2.GenerateKey(rand.Reader)
	foreign, _ := Sign(other, rand.Reader, a.PDF)
	// Signed by the back office's key but never recorded (e.g. the
	// record store was restored from an older backup).
	unrecorded := append(bytes.Clone(a.PDF), '\n')
	unrecordedSig, _ := Sign(iss.cfg.Key, rand.Reader, unrecorded)
	for name, tc := range map[string][2][]byte{
		"changed byte":         {changed, a.Signature},
		"other document's sig": {a.PDF, b.Signature},
		"foreign key":          {a.PDF, foreign},
		"garbage signature":    {a.PDF, []byte("not a signature")},
		"signed, not recorded": {unrecorded, unrecordedSig},
	} {
		if _, err := iss.Check(ctx, tc[0], tc[1]); !errors.Is(err, ErrNotGenuine) {
			t.Errorf("%s: %v, want ErrNotGenuine", name, err)
		}
	}
	// Both genuine ones still check after the failures.
	for _, d := range []Issued{a, b} {
		if _, err := iss.Check(ctx, d.PDF, d.Signature); err != nil {
			t.Errorf("%s: %v", d.Number, err)
		}
	}
	if _, ok, _ := recs.Get(ctx, "0000-0000-0000-0000"); ok {
		t.Error("an unissued number is recorded")
	}
}

func TestIssueRefusesWhatItMustNotPrint(t *testing.T) {
	iss, recs := testIssuer(t)
	for name, change := range map[string]func(*Document){
		"unmasked subject":  func(d *Document) { d.Subject = "测试甲" },
		"whole ID number":   func(d *Document) { d.Fields[0].Value = "310101199001010012" },
		"no title":          func(d *Document) { d.Title = " " },
		"nothing certified": func(d *Document) { d.Fields = nil },
	} {
		d := sampleDocument()
		change(&d)
		if _, err := iss.Issue(context.Background(), d); err == nil {
			t.Errorf("%s: issued", name)
		}
	}
	if len(recs.byNumber) != 0 {
		t.Errorf("refused documents were recorded: %d", len(recs.byNumber))
	}
}

func TestNumbers(t *testing.T) {
	seen := map[string]bool{}
	if _, err := NewNumber(bytes.NewReader([]byte{1, 2, 3})); err == nil {
		t.Error("a number from 3 random bytes")
	}
	iss, _ := testIssuer(t)
	for range 2000 {
		n, err := NewNumber(iss.cfg.Rand)
		if err != nil {
			t.Fatal(err)
		}
		if !ValidNumber(n) || seen[n] {
			t.Fatalf("number %q invalid or repeated", n)
		}
		seen[n] = true
	}
	for _, bad := range []string{"", "0000-0000-0000-000", "0000-0000-0000-000I", "../../etc", "0000_0000_0000_0000"} {
		if ValidNumber(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}
