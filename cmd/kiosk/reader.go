package main

import (
	"github.com/tongban/tongban/kiosk/config"
	"log/slog"
	"time"

	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/devices/serialport"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/hardware"
)

// readerSpec tells the device manager how to find and check the ID reader.
func readerSpec(cfg config.Config) hardware.DeviceSpec {
	return hardware.DeviceSpec{
		Kind:      kiosk.DeviceIDReader,
		Port:      matchOf(cfg.IDReader),
		Mode:      serialport.Mode{Baud: cfg.IDReader.Baud, ReadTimeout: 200 * time.Millisecond},
		Probe:     hardware.SAMStatusProbe,
		Essential: false, // residents can still identify with 随申码
	}
}

// newCardReader reads ID cards through the device manager and tells the
// session when the card is taken away.
func newCardReader(t *terminal, log *slog.Logger) *hardware.ManagedIDReader {
	r := hardware.NewManagedIDReader(t.manager, &idcard.Options{Logger: log},
		hardware.IDReaderOptions{Logger: log, Read: idcard.ReadOptions{AppendedAddress: true}})
	t.reader = r
	return r
}
