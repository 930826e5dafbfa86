package scanner

import (
	"bytes"
	"strings"
	"testing"
)

// frameAll pushes each chunk, ends with an idle gap when idle is set, and
// returns the frames as strings ("!long" for a too-long report).
func frameAll(f Framing, chunks []string, idle bool) []string {
	fr := NewFramer(f)
	var got []string
	emit := func(x Frame) {
		if x.TooLong {
			got = append(got, "!long")
			return
		}
		got = append(got, string(x.Data))
	}
	for _, c := range chunks {
		fr.Push([]byte(c), emit)
	}
	if idle {
		fr.End(emit)
	}
	return got
}

func TestFramer(t *testing.T) {
	long := strings.Repeat("A", 20)
	tests := []struct {
		name   string
		f      Framing
		chunks []string
		idle   bool
		want   []string
	}{
		{"CR", Framing{Suffix: SuffixCR}, []string{"abc\rdef\r"}, false, []string{"abc", "def"}},
		{"LF", Framing{Suffix: SuffixLF}, []string{"abc\ndef\n"}, false, []string{"abc", "def"}},
		{"TAB", Framing{Suffix: SuffixTAB}, []string{"abc\tdef\t"}, false, []string{"abc", "def"}},
		{"CRLF", Framing{Suffix: SuffixCRLF}, []string{"abc\r\ndef\r\n"}, false, []string{"abc", "def"}},
		{"CRLF keeps a lone CR inside", Framing{Suffix: SuffixCRLF}, []string{"line1\rline2\r\n"}, false, []string{"line1\rline2"}},
		{"CR suffix, scanner sends CRLF", Framing{Suffix: SuffixCR}, []string{"abc\r\ndef\r\n"}, false, []string{"abc", "def"}},
		{"split across reads", Framing{Suffix: SuffixCR}, []string{"ab", "c", "\rd", "ef\r"}, false, []string{"abc", "def"}},
		{"CRLF split between CR and LF", Framing{Suffix: SuffixCRLF}, []string{"abc\r", "\n"}, false, []string{"abc"}},
		{"no suffix yet: nothing", Framing{Suffix: SuffixCR}, []string{"abc"}, false, nil},
		{"idle gap ends a code without suffix", Framing{Suffix: SuffixCR}, []string{"abc"}, true, []string{"abc"}},
		{"idle framing keeps line breaks", Framing{}, []string{"Some line\r breaks\nin here."}, true, []string{"Some line\r breaks\nin here."}},
		{"empty frames skipped", Framing{Suffix: SuffixCR}, []string{"\r\r\rabc\r\r"}, false, []string{"abc"}},
		{"control characters removed", Framing{Suffix: SuffixCR}, []string{"\x02a\x00b\x11c\x13\x1b\x7f\x03\r"}, false, []string{"abc"}},
		{"only control characters", Framing{Suffix: SuffixCR}, []string{"\x00\x11\x13\r"}, false, nil},
		{"at max length", Framing{Suffix: SuffixCR, MaxLen: 20}, []string{long + "\r"}, false, []string{long}},
		{"over max length dropped to its end", Framing{Suffix: SuffixCR, MaxLen: 20}, []string{long + "B\rnext\r"}, false, []string{"!long", "next"}},
		{"over-long across reads reported once", Framing{Suffix: SuffixCR, MaxLen: 5}, []string{"0123456789", "0123456789", "01\rok\r"}, false, []string{"!long", "ok"}},
		{"over-long in idle framing", Framing{MaxLen: 5}, []string{"0123456789"}, true, []string{"!long"}},
		{"over-long then idle, then a good code", Framing{Suffix: SuffixCR, MaxLen: 5}, []string{"0123456789"}, true, []string{"!long"}},
		{"GB18030 bytes pass through", Framing{Suffix: SuffixCR}, []string{"\xb2\xe2\xca\xd4\r"}, false, []string{"\xb2\xe2\xca\xd4"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := frameAll(tt.f, tt.chunks, tt.idle)
			if strings.Join(got, "|") != strings.Join(tt.want, "|") || len(got) != len(tt.want) {
				t.Errorf("frames = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestFramerRecoversAfterOverlongIdle(t *testing.T) {
	fr := NewFramer(Framing{Suffix: SuffixCR, MaxLen: 5})
	var got []string
	emit := func(x Frame) { got = append(got, string(x.Data)) }
	fr.Push([]byte("0123456789"), emit)
	fr.End(emit)
	fr.Push([]byte("ok\r"), emit)
	if len(got) != 2 || got[1] != "ok" {
		t.Fatalf("frames = %q, want a too-long report then %q", got, "ok")
	}
}

func TestParseSuffix(t *testing.T) {
	for name, want := range map[string]string{"cr": "\r", "LF": "\n", "crlf": "\r\n", "tab": "\t", "none": ""} {
		got, err := ParseSuffix(name)
		if err != nil || got != want {
			t.Errorf("ParseSuffix(%q) = %q, %v; want %q", name, got, err, want)
		}
	}
	if _, err := ParseSuffix("etx"); err == nil {
		t.Error(`ParseSuffix("etx") = nil error, want one`)
	}
}

// FuzzFramer checks, for any bytes cut into any reads, that frames never
// exceed the maximum, hold no control characters but TAB/CR/LF, never
// start or end with CR/LF/TAB, and do not depend on how the stream was
// split into reads.
func FuzzFramer(f *testing.F) {
	f.Add([]byte("abc\rdef\r"), uint8(1), uint8(0))
	f.Add([]byte("abc\r\ndef\r\n"), uint8(3), uint8(2))
	f.Add([]byte("\x00\x02https://tongban.sh.example/q/XH0123-20261128-0042\x03\r"), uint8(7), uint8(0))
	f.Add(bytes.Repeat([]byte("A"), 100), uint8(9), uint8(1))
	f.Add([]byte("\xb2\xe2\xca\xd4\t\xff\xfe\t"), uint8(2), uint8(3))
	f.Fuzz(func(t *testing.T, data []byte, cut uint8, suffixIdx uint8) {
		suffix := []string{SuffixCR, SuffixLF, SuffixCRLF, SuffixTAB, SuffixNone}[int(suffixIdx)%5]
		framing := Framing{Suffix: suffix, MaxLen: 32}
		whole := frameAll(framing, []string{string(data)}, true)
		step := int(cut)%7 + 1
		var chunks []string
		for i := 0; i < len(data); i += step {
			chunks = append(chunks, string(data[i:min(i+step, len(data))]))
		}
		pieces := frameAll(framing, chunks, true)
		if strings.Join(whole, "\x00") != strings.Join(pieces, "\x00") {
			t.Fatalf("framing depends on read sizes: %q vs %q", whole, pieces)
		}
		for _, fr := range whole {
			if fr == "!long" {
				continue
			}
			if len(fr) == 0 || len(fr) > 32 {
				t.Fatalf("frame %q has length %d", fr, len(fr))
			}
			if strings.Trim(fr, "\r\n\t") != fr {
				t.Fatalf("frame %q not trimmed", fr)
			}
			for _, c := range []byte(fr) {
				if (c < 0x20 && c != '\t' && c != '\r' && c != '\n') || c == 0x7f {
					t.Fatalf("frame %q holds control byte %#x", fr, c)
				}
			}
			// (A two-byte suffix can reappear when a control byte between
			// its halves is removed, which is harmless.)
			if len(suffix) == 1 && strings.Contains(fr, suffix) {
				t.Fatalf("frame %q holds the suffix %q", fr, suffix)
			}
		}
	})
}
