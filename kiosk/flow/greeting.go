package flow

import "github.com/tongban/tongban/kiosk"

// greeting is the masked name the browse screen greets the resident by:
// the name as the card gives it. A foreign permanent-residence card holds
// the name in Latin letters (and perhaps a Chinese one): an English
// session, or a card with no Chinese name, greets by the Latin name.
func greeting(who kiosk.Identity, lang kiosk.Lang) string {
	if who.NameEN != "" && (lang == kiosk.LangEN || who.Name == "") {
		return kiosk.MaskName(who.NameEN)
	}
	return who.MaskedName()
}
