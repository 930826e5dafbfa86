package escpos

import (
	"fmt"

	qrcode "github.com/skip2/go-qrcode"
)

// QR describes a QR code to print.
type QR struct {
	Data   string  // raw bytes of the symbol; UTF-8 for text
	Module int     // dots per module, 1..16
	Level  QRLevel // error correction
}

func (q QR) check() error {
	if q.Data == "" {
		return fmt.Errorf("escpos: QR code has no data")
	}
	if len(q.Data) > MaxQRData {
		return fmt.Errorf("escpos: QR data of %d bytes is more than %d", len(q.Data), MaxQRData)
	}
	if q.Module < 1 || q.Module > 16 {
		return fmt.Errorf("escpos: QR module size %d is outside 1..16", q.Module)
	}
	if q.Level < QRLevelL || q.Level > QRLevelH {
		return fmt.Errorf("escpos: unknown QR error-correction level %#x", byte(q.Level))
	}
	return nil
}

// QRCode prints q with the printer's own QR command (GS ( k, model 2).
func (e *Encoder) QRCode(q QR) {
	if err := q.check(); err != nil {
		e.fail(err)
		return
	}
	e.write(GS, '(', 'k', 4, 0, '1', 'A', '2', 0)         // model 2
	e.write(GS, '(', 'k', 3, 0, '1', 'C', byte(q.Module)) // module size
	e.write(GS, '(', 'k', 3, 0, '1', 'E', byte(q.Level))  // error correction
	n := len(q.Data) + 3                                  // store the data
	e.write(GS, '(', 'k', byte(n), byte(n>>8), '1', 'P', '0')
	e.write([]byte(q.Data)...)
	e.write(GS, '(', 'k', 3, 0, '1', 'Q', '0') // print
}

// RasterQRCode prints q as a raster image, for printers without GS ( k.
func (e *Encoder) RasterQRCode(q QR) {
	if err := q.check(); err != nil {
		e.fail(err)
		return
	}
	bm, err := QRBitmap(q.Data, q.Level)
	if err != nil {
		e.fail(err)
		return
	}
	e.Raster(bm.Scale(q.Module))
}

// QRBitmap returns the modules of the QR code for data, one dot per module,
// without a quiet zone (the paper around it is white).
func QRBitmap(data string, level QRLevel) (Bitmap, error) {
	lv := map[QRLevel]qrcode.RecoveryLevel{
		QRLevelL: qrcode.Low, QRLevelM: qrcode.Medium, QRLevelQ: qrcode.High, QRLevelH: qrcode.Highest,
	}[level]
	code, err := qrcode.New(data, lv)
	if err != nil {
		return Bitmap{}, fmt.Errorf("escpos: making QR code: %w", err)
	}
	code.DisableBorder = true
	bits := code.Bitmap()
	return Bitmap{Width: len(bits), Height: len(bits), Bits: bits}, nil
}
