package escpos

import "fmt"

// Profile is what the layout and the encoder need to know of a printer model.
type Profile struct {
	Name     string // for logs and the self-test page
	Dots     int    // printable width in dots
	Columns  int    // font A columns per line (a Chinese character takes two)
	NativeQR bool   // understands GS ( k; otherwise QR codes go as raster
	Cutter   bool   // has an autocutter; otherwise the resident tears the paper
}

// Paper58 is a 58 mm printer: 48 mm printable, 384 dots, 32 columns.
func Paper58() Profile {
	return Profile{Name: "58mm", Dots: 384, Columns: 32, NativeQR: true, Cutter: true}
}

// Paper80 is an 80 mm printer: 72 mm printable, 576 dots, 48 columns.
func Paper80() Profile {
	return Profile{Name: "80mm", Dots: 576, Columns: 48, NativeQR: true, Cutter: true}
}

// ProfileForWidth returns the profile for a paper width of 58 or 80 mm.
func ProfileForWidth(mm int) (Profile, error) {
	switch mm {
	case 58:
		return Paper58(), nil
	case 80:
		return Paper80(), nil
	}
	return Profile{}, fmt.Errorf("escpos: paper width %d mm is not supported; use 58 or 80", mm)
}

// Validate checks that the profile's figures agree with each other.
func (p Profile) Validate() error {
	if p.Dots <= 0 || p.Dots%8 != 0 {
		return fmt.Errorf("escpos: profile %q: width %d dots is not a positive multiple of 8", p.Name, p.Dots)
	}
	if p.Columns <= 0 || p.Columns*FontAWidth > p.Dots {
		return fmt.Errorf("escpos: profile %q: %d columns do not fit %d dots", p.Name, p.Columns, p.Dots)
	}
	return nil
}
