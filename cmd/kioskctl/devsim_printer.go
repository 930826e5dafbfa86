package main

import (
	"bytes"
	"fmt"
	"os"
	"strings"

	"github.com/tongban/tongban/devices/escpos"
	"github.com/tongban/tongban/devices/sim"
)

const printerHelp = `printer paper out|low|full   run out of paper, near the end of the roll, or a new roll
  printer cover open|close     open or shut the paper cover
  printer cutter jam|ok        jam the autocutter or clear it
  printer png FILE             save what was printed as a PNG
  printer clear                forget what was printed
  printer status               the printer's status and what it printed`

// Paper roll lengths of the simulated printer, in dots (8 per mm).
const (
	paperFullDots = 40_000 * escpos.DotsPerMM // a 40 m roll
	paperLowDots  = 1_000 * escpos.DotsPerMM  // 1 m: past the 2 m near-end sensor
)

func printerCommand(p *sim.Printer) func(string) (string, error) {
	return func(line string) (string, error) {
		verb, arg, _ := strings.Cut(strings.TrimSpace(line), " ")
		arg = strings.TrimSpace(arg)
		bad := func(choices string) (string, error) {
			return "", fmt.Errorf("printer %s: %q is not one of %s", verb, arg, choices)
		}
		switch verb {
		case "paper":
			switch arg {
			case "out":
				p.LoadPaper(0)
				return "paper out", nil
			case "low":
				p.LoadPaper(paperLowDots)
				return "paper low: 1 m left", nil
			case "full":
				p.LoadPaper(paperFullDots)
				return "a new 40 m roll", nil
			}
			return bad("out, low, full")
		case "cover":
			switch arg {
			case "open":
				p.OpenCover()
				return "cover open", nil
			case "close":
				p.CloseCover()
				return "cover shut", nil
			}
			return bad("open, close")
		case "cutter":
			switch arg {
			case "jam":
				p.JamCutter(true)
				return "cutter jammed", nil
			case "ok":
				p.JamCutter(false)
				return "cutter cleared", nil
			}
			return bad("jam, ok")
		case "png":
			if arg == "" {
				return "", fmt.Errorf("printer png: give the file to write, e.g. printer png /tmp/printed.png")
			}
			var buf bytes.Buffer
			if err := p.WritePNG(&buf); err != nil {
				return "", fmt.Errorf("printer png: %w", err)
			}
			if err := os.WriteFile(arg, buf.Bytes(), 0o644); err != nil {
				return "", fmt.Errorf("printer png: %w", err)
			}
			b := p.Image().Bounds()
			return fmt.Sprintf("wrote %s (%dx%d dots)", arg, b.Dx(), b.Dy()), nil
		case "clear":
			p.ClearImage()
			return "printout forgotten", nil
		case "status":
			return describePrinter(p), nil
		}
		return "", fmt.Errorf("unknown printer command %q", verb)
	}
}

// describePrinter is one line on the simulated printer's state.
func describePrinter(p *sim.Printer) string {
	st, stats := p.Status(), p.Stats()
	var state []string
	switch {
	case st.PaperOut:
		state = append(state, "paper out")
	case st.PaperNearEnd:
		state = append(state, "paper low")
	default:
		state = append(state, "paper full")
	}
	if st.CoverOpen {
		state = append(state, "cover open")
	}
	if st.CutterError {
		state = append(state, "cutter jammed")
	}
	if st.Online {
		state = append(state, "online")
	} else {
		state = append(state, "offline")
	}
	return fmt.Sprintf("%s; %.1f m of paper left; %d lines printed, %d cuts, %d bytes received, %d status answers",
		strings.Join(state, ", "), float64(p.PaperLeft())/escpos.DotsPerMM/1000, len(p.Lines()), stats.Cuts, stats.Bytes, stats.StatusAnswers)
}
