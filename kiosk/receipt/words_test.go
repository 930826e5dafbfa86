package receipt_test

import "github.com/tongban/tongban/kiosk/i18n"

// printed gives the documents' words: the i18n catalog, as on a terminal.
var printed = func() *i18n.Catalog {
	c, err := i18n.Load()
	if err != nil {
		panic(err)
	}
	return c
}()
