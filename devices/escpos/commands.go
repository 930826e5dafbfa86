package escpos

// Control bytes of ESC/POS.
const (
	LF  = 0x0A
	ESC = 0x1B
	FS  = 0x1C
	GS  = 0x1D
	DLE = 0x10
	EOT = 0x04
)

// Align is a line's justification (ESC a n).
type Align byte

// Justifications.
const (
	AlignLeft   Align = 0
	AlignCenter Align = 1
	AlignRight  Align = 2
)

// Cut is the kind of paper cut (GS V).
type Cut byte

// Cuts: full cuts the paper through, partial leaves a small tab.
const (
	CutFull    Cut = 0x41 // GS V 65 n: feed n dots, then cut fully
	CutPartial Cut = 0x42 // GS V 66 n: feed n dots, then cut leaving a tab
)

// QRLevel is a QR error-correction level.
type QRLevel byte

// QR error-correction levels as GS ( k fn 69 takes them.
const (
	QRLevelL QRLevel = 0x30 // 7 %
	QRLevelM QRLevel = 0x31 // 15 %
	QRLevelQ QRLevel = 0x32 // 25 %
	QRLevelH QRLevel = 0x33 // 30 %
)

// Underline thickness (ESC - n).
const (
	UnderlineOff   = 0
	UnderlineThin  = 1
	UnderlineThick = 2
)

// Fixed sizes of the standard fonts at 203 dpi.
const (
	DotsPerMM        = 8
	FontAWidth       = 12 // dots, single-byte character
	FontAHeight      = 24 // dots
	WideCharWidth    = 24 // dots, GB18030 multi-byte character
	DefaultLineDots  = 30 // ESC 2: 1/6 inch at 180 units per inch, rounded for 203 dpi
	MaxQRData        = 7089
	maxRasterBandRow = 128 // rows per GS v 0 command; fits every buffer we know
)
