package hardware_test

import (
	"context"
	"errors"
	"net"
	"sync"
	"testing"
	"time"

	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/devices/sim"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/hardware"
	"github.com/tongban/tongban/kiosk/idnumber"
	"github.com/tongban/tongban/kiosk/kiosktest"
)

var today = time.Date(2026, 11, 28, 0, 0, 0, 0, time.UTC)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// newAdapter runs a simulated reader on a pipe and adapts the driver on it.
func newAdapter(t *testing.T, s *sim.IDCardReader) *hardware.IDReader {
	t.Helper()
	host, dev := net.Pipe()
	ctx, cancel := context.WithCancel(context.Background())
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { defer wg.Done(); s.Serve(ctx, dev) }()
	t.Cleanup(func() { cancel(); host.Close(); dev.Close(); wg.Wait() })
	r := idcard.NewReader(host, &idcard.Options{Timeouts: idcard.Timeouts{
		Find: 200 * time.Millisecond, SAM: 200 * time.Millisecond, ReadBase: 500 * time.Millisecond,
		ReadAddress: 200 * time.Millisecond, Quiet: 10 * time.Millisecond,
	}})
	return hardware.NewIDReader(r, hardware.IDReaderOptions{
		Poll: time.Millisecond,
		Now:  func() time.Time { return today },
		Read: idcard.ReadOptions{AppendedAddress: true},
	})
}

func TestReadCardEveryType(t *testing.T) {
	tests := []struct {
		card sim.SyntheticCard
		want kiosk.Identity
	}{
		{sim.SampleResident(), kiosk.Identity{Card: kiosk.CardResident, Name: "测试甲", Sex: kiosk.SexMale, Nation: "汉族",
			BirthDate: day(1985, 7, 15), Address: "上海市徐汇区测试路100弄1号101室", Number: "310104198507150017",
			Issuer: "上海市公安局徐汇分局", ValidFrom: day(2020, 1, 1), ValidUntil: day(2040, 1, 1)}},
		{sim.SampleResidentLongTerm(), kiosk.Identity{Card: kiosk.CardResident, Name: "张测试", Sex: kiosk.SexFemale, Nation: "汉族",
			BirthDate: day(1950, 1, 1), Address: "上海市黄浦区新测试路8号", Number: "310101195001010022",
			Issuer: "上海市公安局黄浦分局", ValidFrom: day(2010, 1, 1)}},
		{sim.SampleResidentMinority(), kiosk.Identity{Card: kiosk.CardResident, Name: "阿依·测试", Sex: kiosk.SexFemale, Nation: "维吾尔族",
			BirthDate: day(1990, 3, 8), Address: "上海市浦东新区测试大道300号", Number: "310115199003080047",
			Issuer: "上海市公安局浦东分局", ValidFrom: day(2018, 6, 1), ValidUntil: day(2038, 6, 1)}},
		{sim.SamplePermitMO(), kiosk.Identity{Card: kiosk.CardPermitHKMOTW, Name: "澳测试", Sex: kiosk.SexFemale,
			BirthDate: day(1988, 5, 12), Address: "上海市长宁区测试路20号", Number: "820000198805120042",
			Issuer: "上海市公安局长宁分局", ValidFrom: day(2022, 3, 1), ValidUntil: day(2027, 3, 1)}},
		{sim.SampleForeign2017(), kiosk.Identity{Card: kiosk.CardForeignPR2017, Name: "测试阿尔法", NameEN: "TEST, ALPHA",
			Sex: kiosk.SexMale, Nation: "USA", BirthDate: day(1985, 7, 15), Number: "USA310085071501",
			ValidFrom: day(2019, 1, 1), ValidUntil: day(2029, 1, 1)}},
		{sim.SampleForeign2023(), kiosk.Identity{Card: kiosk.CardForeignPR2023, Name: "测试贝塔",
			NameEN: "TESTPERSON-LONGFAMILYNAME, BETA GAMMA DELTA", Sex: kiosk.SexMale, Nation: "USA",
			BirthDate: day(1985, 6, 15), Number: "931840198506150111", Issuer: "国家移民管理局",
			ValidFrom: day(2024, 1, 1), ValidUntil: day(2034, 1, 1)}},
	}
	for _, tt := range tests {
		t.Run(tt.want.Number, func(t *testing.T) {
			c := tt.card
			a := newAdapter(t, sim.NewIDCardReader(sim.IDCardOptions{Card: &c}))
			got, err := a.ReadCard(context.Background())
			if err != nil {
				t.Fatal(err)
			}
			tt.want.ReaderSAM = sim.SimSAMID.String() // the reader that read it
			if got != tt.want {
				t.Errorf("got\n%+v\nwant\n%+v", got, tt.want)
			}
		})
	}
}

// Every failure is a kiosk.Error of the right kind with words in both languages.
func TestReadCardFailures(t *testing.T) {
	badDigit := sim.SampleResident()
	badDigit.Number = "310104198507150010"
	sexMismatch := sim.SampleResident()
	sexMismatch.Sex = "2"
	resident := sim.SampleResident()
	tests := []struct {
		name    string
		s       *sim.IDCardReader
		want    kiosk.ErrorKind
		wantErr error
	}{
		{"no card until the context ends", sim.NewIDCardReader(sim.IDCardOptions{}), kiosk.KindNoCard, idcard.ErrNoCard},
		{"card removed mid-read", sim.NewIDCardReader(sim.IDCardOptions{Card: &resident, Faults: sim.IDCardFaults{RemoveMidRead: true}}), kiosk.KindCardMoved, idcard.ErrCardMoved},
		{"SAM self-test failed", sim.NewIDCardReader(sim.IDCardOptions{Card: &resident, Faults: sim.IDCardFaults{SAMSelfTestFailed: true}}), kiosk.KindDevice, idcard.ErrSAMFault},
		{"damaged line every time", sim.NewIDCardReader(sim.IDCardOptions{Card: &resident, Faults: sim.IDCardFaults{CorruptReplies: 100}}), kiosk.KindDevice, idcard.ErrFrame},
		{"bad check digit", sim.NewIDCardReader(sim.IDCardOptions{Card: &badDigit}), kiosk.KindCardUnreadable, idnumber.ErrCheckDigit},
		{"sex differs from the number", sim.NewIDCardReader(sim.IDCardOptions{Card: &sexMismatch}), kiosk.KindCardUnreadable, idnumber.ErrSexMismatch},
		{"expired", func() *sim.IDCardReader {
			c := sim.SampleResidentExpired()
			return sim.NewIDCardReader(sim.IDCardOptions{Card: &c})
		}(), kiosk.KindInvalid, idnumber.ErrExpired},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a := newAdapter(t, tt.s)
			ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
			defer cancel()
			id, err := a.ReadCard(ctx)
			if kiosk.KindOf(err) != tt.want || !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v (kind %d), want kind %d wrapping %v", err, kiosk.KindOf(err), tt.want, tt.wantErr)
			}
			if m := kiosktest.Words(t, kiosk.MessageOf(err)); m.ZH == "" || m.EN == "" || m.ZH == m.EN {
				t.Errorf("message %+v", m)
			}
			if id.Present() {
				t.Errorf("identity returned with an error: %+v", id)
			}
		})
	}
}

func TestExpiredMessageShowsTheDate(t *testing.T) {
	c := sim.SampleResidentExpired()
	a := newAdapter(t, sim.NewIDCardReader(sim.IDCardOptions{Card: &c}))
	_, err := a.ReadCard(context.Background())
	if got, want := kiosktest.Words(t, kiosk.MessageOf(err)).ZH, "您的证件已于2020年1月1日过期，请到人工窗口办理，或换领新证后再来。"; got != want {
		t.Errorf("message %q, want %q", got, want)
	}
}

// One damaged reply is retried, and the card then reads.
func TestReadCardRetriesALineError(t *testing.T) {
	c := sim.SamplePermitHK()
	a := newAdapter(t, sim.NewIDCardReader(sim.IDCardOptions{Card: &c, Faults: sim.IDCardFaults{CorruptReplies: 1}}))
	if _, err := a.ReadCard(context.Background()); err != nil {
		t.Fatal(err)
	}
}

// A card placed while ReadCard waits is read.
func TestReadCardWaitsForACard(t *testing.T) {
	s := sim.NewIDCardReader(sim.IDCardOptions{})
	a := newAdapter(t, s)
	go func() { time.Sleep(20 * time.Millisecond); s.Place(sim.SamplePermitTW()) }()
	id, err := a.ReadCard(context.Background())
	if err != nil || id.Number != "830000199201300057" {
		t.Fatalf("got %q, %v", id.Number, err)
	}
}

// TestTakeCardPrompt: the prompt is the one message the screens use.
func TestTakeCardPrompt(t *testing.T) {
	if kiosktest.Words(t, hardware.TakeCardPrompt).ZH != "请取走您的身份证" {
		t.Error("prompt changed")
	}
}

// TestReadCardNamesItsReader: each card read carries the SAM ID of the
// reader that read it, asked afresh: a reader swapped between two reads
// (replugged, or another one) is named as the one it is.
func TestReadCardNamesItsReader(t *testing.T) {
	card := sim.SampleResident()
	s := sim.NewIDCardReader(sim.IDCardOptions{Card: &card})
	a := newAdapter(t, s)
	other := sim.SimSAMID
	other[12] = 99 // 05.01-20240101-0000000042-0000000099
	for i, want := range []string{sim.SimSAMID.String(), other.String(), other.String()} {
		if i == 1 {
			s.SetSAM(other)
		}
		s.Place(card)
		got, err := a.ReadCard(context.Background())
		if err != nil {
			t.Fatalf("read %d: %v", i+1, err)
		}
		if got.ReaderSAM != want {
			t.Errorf("read %d: ReaderSAM %q, want %q", i+1, got.ReaderSAM, want)
		}
	}
}
