package flow

import "github.com/tongban/tongban/kiosk"

// DevicesChanged tells the session that the terminal's devices or its
// connection changed: the screen is redrawn so greyed items and reasons
// follow at once, the item on screen is checked again, and the attract
// screen says when the terminal cannot serve (words: why, in plain words).
func (s *Session) DevicesChanged(state kiosk.TerminalState, words kiosk.Text) {
	s.update(func() {
		s.terminal, s.terminalWords = state, words
		if s.state == ItemDetail && s.item != nil && s.deps.Gate != nil {
			ok, why := s.deps.Gate(*s.item)
			switch {
			case !ok:
				s.notice = why
			case s.notice == s.gateNotice:
				s.notice = kiosk.Text{} // served again
			}
			s.gateNotice = why
		}
	})
}
