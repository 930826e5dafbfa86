package form

import (
	"bytes"
	"image/png"

	"github.com/tongban/tongban/kiosk"
)

// Bounds of a signature image: big enough for a full-width pad at 1080p,
// small enough for the queue.
const (
	signatureMaxBytes = 2 << 20
	signatureMaxSide  = 4096
)

// checkSignature accepts the PNG the signature pad produced: a well-formed
// PNG header with a sensible size. It does not judge the drawing.
func checkSignature(b []byte) kiosk.Text {
	if len(b) == 0 {
		return msgSignature()
	}
	if len(b) > signatureMaxBytes {
		return msgSignatureBad()
	}
	cfg, err := png.DecodeConfig(bytes.NewReader(b))
	if err != nil || cfg.Width < 1 || cfg.Height < 1 || cfg.Width > signatureMaxSide || cfg.Height > signatureMaxSide {
		return msgSignatureBad()
	}
	return kiosk.Text{}
}
