package flow

import "github.com/tongban/tongban/kiosk"

// DevicesChanged tells the session that the terminal's devices or its
// connection changed: the screen is redrawn so greyed items and reasons
// follow at once, the item on screen is checked again, and the attract
// screen says when the terminal cannot serve (words: why, in plain words).
func (s *Session) DevicesChanged(state kiosk.TerminalState, words kiosk.Text) {
	s.dispatch(evDevices{state, words})
}
