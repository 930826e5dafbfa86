package main

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/tongban/tongban/devices/sim"
)

const idreaderHelp = `idreader place CARD          put a sample card on the reader (CARD: %s)
  idreader remove              take the card away
  idreader fault F [N]         one fault from now on, replacing any other:
                                 moved    the card is taken away during the next read
                                 corrupt  damage the checksum of the next N replies (default 1)
                                 slow     hold every reply back N (default 200ms; 2s looks unplugged)
                                 sam      the SAM fails its self-test (every command answers 60)
                                 garbage  noise and broken preambles before every reply
                                 none     a healthy reader again`

// slowReplyDefault is a slow reader that still answers within the
// driver's shortest timeout (find card, 300 ms).
const slowReplyDefault = 200 * time.Millisecond

// sampleCardNames are the names `idreader place` takes, sorted.
func sampleCardNames() []string {
	cards := sim.SampleCards()
	names := make([]string, 0, len(cards))
	for n := range cards {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

func idreaderCommand(r *sim.IDCardReader) func(string) (string, error) {
	return func(line string) (string, error) {
		fields := strings.Fields(line)
		if len(fields) == 0 {
			return "", fmt.Errorf("idreader: say place, remove or fault")
		}
		switch fields[0] {
		case "place":
			if len(fields) != 2 {
				return "", fmt.Errorf("idreader place: which card? one of %s", strings.Join(sampleCardNames(), ", "))
			}
			c, ok := sim.SampleCards()[fields[1]]
			if !ok {
				return "", fmt.Errorf("idreader place: no sample card %q; one of %s", fields[1], strings.Join(sampleCardNames(), ", "))
			}
			r.Place(c)
			return "card " + fields[1] + " placed", nil
		case "remove":
			r.Remove()
			return "card removed", nil
		case "fault":
			if len(fields) < 2 || len(fields) > 3 {
				return "", fmt.Errorf("idreader fault: say moved, corrupt [N], slow [DURATION], sam, garbage or none")
			}
			arg := ""
			if len(fields) == 3 {
				arg = fields[2]
			}
			f, what, err := idreaderFault(fields[1], arg)
			if err != nil {
				return "", err
			}
			r.SetFaults(f)
			return what, nil
		}
		return "", fmt.Errorf("unknown idreader command %q", fields[0])
	}
}

// idreaderFault is the fault an operator named, and what it will do.
func idreaderFault(name, arg string) (sim.IDCardFaults, string, error) {
	noArg := func() error {
		if arg != "" {
			return fmt.Errorf("idreader fault %s takes no argument", name)
		}
		return nil
	}
	switch name {
	case "moved":
		return sim.IDCardFaults{RemoveMidRead: true}, "the card will be taken away during the next read", noArg()
	case "corrupt":
		n := 1
		if arg != "" {
			v, err := strconv.Atoi(arg)
			if err != nil || v < 1 || v > 1000 {
				return sim.IDCardFaults{}, "", fmt.Errorf("idreader fault corrupt: %q is not a count of replies from 1 to 1000", arg)
			}
			n = v
		}
		return sim.IDCardFaults{CorruptReplies: n}, fmt.Sprintf("the next %d replies will have bad checksums", n), nil
	case "slow":
		d := slowReplyDefault
		if arg != "" {
			v, err := time.ParseDuration(arg)
			if err != nil || v <= 0 || v > time.Minute {
				return sim.IDCardFaults{}, "", fmt.Errorf("idreader fault slow: %q is not a delay such as 200ms or 2s (up to a minute)", arg)
			}
			d = v
		}
		return sim.IDCardFaults{Delay: d}, fmt.Sprintf("every reply held back %s", d), nil
	case "sam":
		return sim.IDCardFaults{SAMSelfTestFailed: true}, "the SAM fails its self-test", noArg()
	case "garbage":
		return sim.IDCardFaults{Garbage: true}, "noise before every reply", noArg()
	case "none":
		return sim.IDCardFaults{}, "a healthy reader again", noArg()
	}
	return sim.IDCardFaults{}, "", fmt.Errorf("idreader fault: unknown fault %q; say moved, corrupt, slow, sam, garbage or none", name)
}
