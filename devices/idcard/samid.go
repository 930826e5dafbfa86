package idcard

import (
	"encoding/binary"
	"fmt"
)

const samIDLen = 16

// SAMID is the SAM module's 16-byte serial number (管理信息).
type SAMID [samIDLen]byte

// String formats the serial as the vendors' tools show it:
// 05.01-YYYYMMDD-nnnnnnnnnn-nnnnnnnnnn. Its fields are little-endian.
func (id SAMID) String() string {
	le := binary.LittleEndian
	return fmt.Sprintf("%02d.%02d-%08d-%010d-%010d",
		le.Uint16(id[0:]), le.Uint16(id[2:]), le.Uint32(id[4:]), le.Uint32(id[8:]), le.Uint32(id[12:]))
}
