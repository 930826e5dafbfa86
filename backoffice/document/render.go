package document

import (
	"bytes"
	"fmt"
	"time"
	"unicode/utf8"

	"codeberg.org/go-pdf/fpdf"
	qrcode "github.com/skip2/go-qrcode"
)

// shanghai is the documents' time zone, fixed (China has no DST).
var shanghai = time.FixedZone("CST", 8*3600)

// Page geometry in millimetres (A4 portrait).
const (
	pageW, pageH = 210.0, 297.0
	margin       = 25.0
	labelW       = 40.0
)

// page sets text in two faces: the CJK fallback face has no Latin
// letters or digits, so each run of text takes the face that has it.
type page struct{ *fpdf.Fpdf }

// text writes s from x to the right margin, wrapping, with line height h.
func (p page) text(x, h, size float64, s string) {
	p.SetLeftMargin(x)
	p.SetX(x)
	for len(s) > 0 {
		latin := s[0] < utf8.RuneSelf
		n := 0
		for n < len(s) && (s[n] < utf8.RuneSelf) == latin {
			_, w := utf8.DecodeRuneInString(s[n:])
			n += w
		}
		face := "cjk"
		if latin {
			face = "latin"
		}
		p.SetFont(face, "", size)
		p.Write(h, s[:n])
		s = s[n:]
	}
	p.Ln(h)
	p.SetLeftMargin(margin)
}

// render lays out one A4 page: title, issuing center, subject, fields,
// date, number, and a QR code leading to the verification page.
func render(d Document, number, verifyURL string, issued time.Time, fonts Fonts) ([]byte, error) {
	png, err := qrcode.Encode(verifyURL, qrcode.Medium, 512)
	if err != nil {
		return nil, fmt.Errorf("document: QR code: %w", err)
	}
	f := fpdf.New("P", "mm", "A4", "")
	p := page{f}
	p.SetCreationDate(issued)
	p.SetModificationDate(issued)
	p.SetTitle(d.Title, true)
	p.SetCreator("Tongban back office", true)
	p.AddUTF8FontFromBytes("cjk", "", fonts.CJK)
	p.AddUTF8FontFromBytes("latin", "", fonts.Latin)
	p.SetMargins(margin, margin, margin)
	p.SetAutoPageBreak(true, margin)
	p.AddPage()

	p.SetFont("cjk", "", 24)
	p.CellFormat(pageW-2*margin, 16, d.Title, "", 1, "C", false, 0, "")
	p.SetFont("cjk", "", 12)
	p.CellFormat(pageW-2*margin, 8, "出具单位："+d.Center, "", 1, "C", false, 0, "")
	p.Ln(6)
	p.SetDrawColor(60, 60, 60)
	p.Line(margin, p.GetY(), pageW-margin, p.GetY())
	p.Ln(6)

	row := func(label, value string) {
		y := p.GetY()
		p.SetXY(margin, y)
		p.SetFont("cjk", "", 14)
		p.CellFormat(labelW, 10, label, "", 0, "L", false, 0, "")
		p.SetXY(margin+labelW, y)
		p.text(margin+labelW, 10, 14, value)
	}
	row("姓名", d.Subject)
	for _, fl := range d.Fields {
		row(fl.Label, fl.Value)
	}
	p.Ln(8)
	row("出具日期", issued.In(shanghai).Format("2006年01月02日 15:04"))
	row("文件编号", number)

	// The verification block at the bottom: QR code and plain words.
	y := pageH - margin - 40
	p.RegisterImageOptionsReader("qr", fpdf.ImageOptions{ImageType: "PNG"}, bytes.NewReader(png))
	p.ImageOptions("qr", margin, y, 40, 40, false, fpdf.ImageOptions{ImageType: "PNG"}, 0, "")
	p.SetY(y + 6)
	p.text(margin+45, 6, 11, "扫描二维码或访问以下地址，核验本文件的真伪和所证明的内容：")
	p.text(margin+45, 6, 9, verifyURL)
	p.text(margin+45, 6, 11, "本文件由后台以SM2电子签名（SM3摘要），签名文件随附。")
	if err := p.Error(); err != nil {
		return nil, fmt.Errorf("document: rendering: %w", err)
	}
	var out bytes.Buffer
	if err := p.Output(&out); err != nil {
		return nil, fmt.Errorf("document: rendering: %w", err)
	}
	return out.Bytes(), nil
}
