package idcard

import "github.com/tongban/tongban/internal/samid"

const samIDLen = samid.Len

// SAMID is the SAM module's 16-byte serial number (管理信息).
type SAMID [samIDLen]byte

// String formats the serial as the vendors' tools show it:
// 05.01-YYYYMMDD-nnnnnnnnnn-nnnnnnnnnn. Its fields are little-endian.
func (id SAMID) String() string { return samid.Format(id) }
