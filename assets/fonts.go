package assets

import (
	_ "embed"

	"fyne.io/fyne/v2"
)

//go:embed fonts/NotoSansSC-Regular-GB2312.otf
var fontRegular []byte

//go:embed fonts/NotoSansSC-Bold-GB2312.otf
var fontBold []byte

// FontRegular is the embedded regular UI face (OpenType, CFF outlines).
func FontRegular() []byte { return fontRegular }

// FontBold is the embedded bold UI face.
func FontBold() []byte { return fontBold }

// RegularResource is FontRegular as a Fyne resource.
func RegularResource() fyne.Resource {
	return fyne.NewStaticResource("NotoSansSC-Regular-GB2312.otf", fontRegular)
}

// BoldResource is FontBold as a Fyne resource.
func BoldResource() fyne.Resource {
	return fyne.NewStaticResource("NotoSansSC-Bold-GB2312.otf", fontBold)
}
