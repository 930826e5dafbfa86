package idcard

import "fmt"

// Command is a request's command and parameter bytes, as CMD<<8 | PARA.
type Command uint16

// The reader's commands (reference/devices.md §1.3).
const (
	CmdResetSAM        Command = 0x10FF // reset the SAM module
	CmdSAMStatus       Command = 0x11FF // SAM self-check
	CmdSAMID           Command = 0x12FF // read the SAM's serial number (管理信息)
	CmdFindCard        Command = 0x2001 // 寻卡
	CmdSelectCard      Command = 0x2002 // 选卡
	CmdReadBase        Command = 0x3001 // read text and photo
	CmdReadAddress     Command = 0x3003 // read the appended address (追加住址)
	CmdReadFingerprint Command = 0x3010 // read text, photo and fingerprints
)

// NewCommand builds a command from its two bytes.
func NewCommand(code, param byte) Command { return Command(code)<<8 | Command(param) }

// Code is the command byte.
func (c Command) Code() byte { return byte(c >> 8) }

// Param is the parameter byte.
func (c Command) Param() byte { return byte(c) }

// String names the command for logs.
func (c Command) String() string {
	switch c {
	case CmdResetSAM:
		return "reset-sam"
	case CmdSAMStatus:
		return "sam-status"
	case CmdSAMID:
		return "sam-id"
	case CmdFindCard:
		return "find-card"
	case CmdSelectCard:
		return "select-card"
	case CmdReadBase:
		return "read-base"
	case CmdReadAddress:
		return "read-address"
	case CmdReadFingerprint:
		return "read-fingerprint"
	}
	return fmt.Sprintf("command-%02X%02X", c.Code(), c.Param())
}

// success is the SW3 a command answers when it worked.
func (c Command) success() Status {
	if c == CmdFindCard {
		return StatusFindOK
	}
	return StatusOK
}

// fits reports whether a reply with SW3 st and n data bytes can be the
// answer to c. Replies that cannot (a late answer to an earlier command)
// are skipped.
func (c Command) fits(st Status, n int) bool {
	if st != c.success() {
		return n == 0 // failures carry no data
	}
	switch c {
	case CmdResetSAM, CmdSAMStatus:
		return n == 0
	case CmdSAMID:
		return n == samIDLen
	case CmdFindCard:
		return n == 4
	case CmdSelectCard:
		return n == 8
	case CmdReadBase:
		return n >= 4+TextLen
	case CmdReadFingerprint:
		return n >= 6+TextLen
	case CmdReadAddress:
		return n > 0
	}
	return true
}
