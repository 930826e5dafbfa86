package sim

// The ESC/POS stream parser of the printer simulator. It splits the bytes
// into commands the way a printer does: a known command is taken with its
// parameters, an unknown one is skipped (its introducer and one byte), and
// everything else is text. Commands are recognised only between commands,
// so DLE EOT inside a raster image's data is data, as on Epson printers.

// maxBuffered is the largest command the simulator keeps in memory; the
// data of a larger image is read and thrown away, as a printer with a small
// buffer would.
const maxBuffered = 1 << 20

const (
	lf  = 0x0A
	esc = 0x1B
	fs  = 0x1C
	gs  = 0x1D
	dle = 0x10
)

// commandLength returns how many bytes the command at the start of p takes,
// and how many data bytes after them must be discarded unseen. need is
// true when p is too short to tell.
func commandLength(p []byte, chinese bool) (n, discard int, need bool) {
	if len(p) == 0 {
		return 0, 0, true
	}
	at := func(i int) (int, bool) {
		if i < len(p) {
			return int(p[i]), true
		}
		return 0, false
	}
	b := p[0]
	switch {
	case b == dle:
		c, ok := at(1)
		if !ok {
			return 0, 0, true
		}
		switch c {
		case 0x04, 0x05: // DLE EOT n, DLE ENQ n
			return 3, 0, len(p) < 3
		case 0x14: // DLE DC4 fn m t
			return 5, 0, len(p) < 5
		}
		return 1, 0, false
	case b == 0x12:
		if c, ok := at(1); !ok {
			return 0, 0, true
		} else if c == 0x54 {
			return 2, 0, false
		}
		return 1, 0, false
	case b == esc:
		c, ok := at(1)
		if !ok {
			return 0, 0, true
		}
		switch c {
		case '@', '2', 'i', 'm':
			return 2, 0, false
		case '!', 'E', '-', 'a', 'd', 'J', 't', 'M', '3', 'G', 'V', '{', ' ', 'R', 'U', 'r', 'K':
			return 3, 0, len(p) < 3
		case '$', '\\', 'c':
			return 4, 0, len(p) < 4
		case 'p':
			return 5, 0, len(p) < 5
		case '*': // ESC * m nL nH d...: 8-dot (m 0,1) or 24-dot (m 32,33) columns
			if len(p) < 5 {
				return 0, 0, true
			}
			cols := int(p[3]) | int(p[4])<<8
			if p[2] >= 32 {
				cols *= 3
			}
			return 5 + cols, 0, len(p) < 5+cols
		}
		return 2, 0, false
	case b == fs:
		c, ok := at(1)
		if !ok {
			return 0, 0, true
		}
		switch c {
		case '&', '.':
			return 2, 0, false
		case '!', '-', 'C', 'W':
			return 3, 0, len(p) < 3
		case 'S', 'p':
			return 4, 0, len(p) < 4
		}
		return 2, 0, false
	case b == gs:
		c, ok := at(1)
		if !ok {
			return 0, 0, true
		}
		switch c {
		case '!', 'h', 'w', 'H', 'f', 'a', 'r', 'B', 'I', '/', 'b':
			return 3, 0, len(p) < 3
		case 'L', 'W', 'P':
			return 4, 0, len(p) < 4
		case 'V':
			m, ok := at(2)
			if !ok {
				return 0, 0, true
			}
			if m == 65 || m == 66 {
				return 4, 0, len(p) < 4
			}
			return 3, 0, false
		case '(': // GS ( fn pL pH data
			if len(p) < 5 {
				return 0, 0, true
			}
			k := int(p[3]) | int(p[4])<<8
			return 5 + k, 0, len(p) < 5+k
		case 'v': // GS v 0 m xL xH yL yH data
			if len(p) < 3 {
				return 0, 0, true
			}
			if p[2] != '0' {
				return 3, 0, false
			}
			if len(p) < 8 {
				return 0, 0, true
			}
			k := (int(p[4]) | int(p[5])<<8) * (int(p[6]) | int(p[7])<<8)
			if k > maxBuffered {
				return 8, k, false
			}
			return 8 + k, 0, len(p) < 8+k
		case 'k': // GS k m ...
			m, ok := at(2)
			if !ok {
				return 0, 0, true
			}
			if m <= 6 { // data up to NUL, at most 255 bytes
				for i := 3; i < len(p) && i < 3+256; i++ {
					if p[i] == 0 {
						return i + 1, 0, false
					}
				}
				if len(p) >= 3+256 {
					return 3, 0, false // no terminator: malformed, skip the header
				}
				return 0, 0, true
			}
			if len(p) < 4 {
				return 0, 0, true
			}
			return 4 + int(p[3]), 0, len(p) < 4+int(p[3])
		case '8': // GS 8 L p1..p4 m fn data: 32-bit length
			if len(p) < 7 {
				return 0, 0, true
			}
			k := int(p[3]) | int(p[4])<<8 | int(p[5])<<16 | int(p[6])<<24
			if k > maxBuffered {
				return 7, k, false
			}
			return 7 + k, 0, len(p) < 7+k
		}
		return 2, 0, false
	case chinese && b >= 0x81 && b <= 0xFE:
		c, ok := at(1)
		if !ok {
			return 0, 0, true
		}
		if c >= 0x30 && c <= 0x39 {
			return 4, 0, len(p) < 4
		}
		if (c >= 0x40 && c <= 0x7E) || (c >= 0x80 && c <= 0xFE) {
			return 2, 0, false
		}
		return 1, 0, false // a lead byte without a trail: prints as '?'
	}
	return 1, 0, false
}
