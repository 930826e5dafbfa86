package voice

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"time"
)

// Audio is mono 16-bit PCM.
type Audio struct {
	Rate    int // samples a second
	Samples []int16
}

// Duration is how long the audio plays.
func (a Audio) Duration() time.Duration {
	if a.Rate <= 0 {
		return 0
	}
	return time.Duration(len(a.Samples)) * time.Second / time.Duration(a.Rate)
}

// Scaled returns the audio at volume percent (0–100) of its level; it
// never makes it louder.
func (a Audio) Scaled(volume int) Audio {
	volume = min(max(volume, 0), 100)
	if volume == 100 {
		return a
	}
	out := Audio{Rate: a.Rate, Samples: make([]int16, len(a.Samples))}
	for i, s := range a.Samples {
		out.Samples[i] = int16(int32(s) * int32(volume) / 100)
	}
	return out
}

// Silence is d of silence at rate.
func Silence(rate int, d time.Duration) Audio {
	return Audio{Rate: rate, Samples: make([]int16, int(d.Seconds()*float64(rate)))}
}

// Append adds b after a (b must have a's rate; an empty a takes b's).
func (a Audio) Append(b Audio) Audio {
	if a.Rate == 0 {
		a.Rate = b.Rate
	}
	a.Samples = append(a.Samples[:len(a.Samples):len(a.Samples)], b.Samples...)
	return a
}

// RMS is the root mean square level, 0 to 1.
func (a Audio) RMS() float64 {
	if len(a.Samples) == 0 {
		return 0
	}
	var sum float64
	for _, s := range a.Samples {
		f := float64(s) / 32768
		sum += f * f
	}
	return math.Sqrt(sum / float64(len(a.Samples)))
}

// WAV encodes the audio as a RIFF WAVE file.
func (a Audio) WAV() []byte {
	var b bytes.Buffer
	data := len(a.Samples) * 2
	b.WriteString("RIFF")
	binary.Write(&b, binary.LittleEndian, uint32(36+data))
	b.WriteString("WAVEfmt ")
	for _, v := range []any{uint32(16), uint16(1), uint16(1), uint32(a.Rate), uint32(a.Rate * 2), uint16(2), uint16(16)} {
		binary.Write(&b, binary.LittleEndian, v)
	}
	b.WriteString("data")
	binary.Write(&b, binary.LittleEndian, uint32(data))
	binary.Write(&b, binary.LittleEndian, a.Samples)
	return b.Bytes()
}

// ErrNotWAV is returned for bytes that are not 16-bit mono PCM WAVE.
var ErrNotWAV = errors.New("not a 16-bit mono PCM WAV file")

// maxWAVSamples bounds a prompt at ten minutes at 48 kHz: a recording that
// claims more is refused rather than read into memory.
const maxWAVSamples = 10 * 60 * 48000

// ReadWAV decodes a 16-bit mono PCM WAVE file, as espeak-ng writes and as a
// voice pack's recordings must be. A data chunk size of 0 or 0xFFFFFFFF
// (a stream written to a pipe) means "to the end".
func ReadWAV(data []byte) (Audio, error) {
	if len(data) < 12 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WAVE" {
		return Audio{}, fmt.Errorf("%w: no RIFF/WAVE header", ErrNotWAV)
	}
	var a Audio
	fmtSeen := false
	r := data[12:]
	for len(r) >= 8 {
		id, size := string(r[:4]), binary.LittleEndian.Uint32(r[4:8])
		body := r[8:]
		if id == "data" {
			if !fmtSeen {
				return Audio{}, fmt.Errorf("%w: data before fmt", ErrNotWAV)
			}
			if size == 0 || size == 0xFFFFFFFF || int64(size) > int64(len(body)) {
				size = uint32(len(body))
			}
			n := int(size / 2)
			if n > maxWAVSamples {
				return Audio{}, fmt.Errorf("%w: longer than ten minutes", ErrNotWAV)
			}
			a.Samples = make([]int16, n)
			if err := binary.Read(bytes.NewReader(body[:n*2]), binary.LittleEndian, a.Samples); err != nil && err != io.EOF {
				return Audio{}, fmt.Errorf("%w: %v", ErrNotWAV, err)
			}
			return a, nil
		}
		if int64(size) > int64(len(body)) {
			return Audio{}, fmt.Errorf("%w: chunk %q runs past the end", ErrNotWAV, id)
		}
		if id == "fmt " {
			if size < 16 {
				return Audio{}, fmt.Errorf("%w: short fmt chunk", ErrNotWAV)
			}
			format := binary.LittleEndian.Uint16(body[0:2])
			channels := binary.LittleEndian.Uint16(body[2:4])
			rate := binary.LittleEndian.Uint32(body[4:8])
			bits := binary.LittleEndian.Uint16(body[14:16])
			if format != 1 || channels != 1 || bits != 16 || rate < 8000 || rate > 192000 {
				return Audio{}, fmt.Errorf("%w: format %d, %d channels, %d bits, %d Hz", ErrNotWAV, format, channels, bits, rate)
			}
			a.Rate = int(rate)
			fmtSeen = true
		}
		skip := int(size) + int(size&1)
		if skip > len(body) {
			break
		}
		r = body[skip:]
	}
	return Audio{}, fmt.Errorf("%w: no data chunk", ErrNotWAV)
}
