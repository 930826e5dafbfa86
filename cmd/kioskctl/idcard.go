package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"github.com/tongban/tongban/devices/idcard"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/hardware"
	"github.com/tongban/tongban/kiosk/i18n"
)

const idcardUsage = `usage: kioskctl idcard read --port PATH [--baud N] [--reveal] [--timeout D]

Reads one ID card from the SAM reader on a serial port (real, or simulated
on a pseudo-terminal) and prints it as JSON with the time taken. The name
and number are masked and the address left out unless --reveal is given.`

func runIDCard(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "read" {
		fmt.Fprintln(stderr, idcardUsage)
		return errors.New("idcard: say what to do: read")
	}
	fs := flag.NewFlagSet("idcard read", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprintln(stderr, idcardUsage); fs.PrintDefaults() }
	port := fs.String("port", "", "serial port of the reader, e.g. /dev/ttyUSB0 or a pseudo-terminal")
	baud := fs.Int("baud", 115200, "line speed: 115200, 57600, 38400, 19200 or 9600")
	reveal := fs.Bool("reveal", false, "print the full name, number and address")
	timeout := fs.Duration("timeout", 10*time.Second, "how long to wait for a card")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *port == "" {
		fs.Usage()
		return errors.New("idcard read: --port is required")
	}
	if *timeout <= 0 {
		return fmt.Errorf("idcard read: --timeout must be positive, not %s", *timeout)
	}
	f, err := openPort(*port, *baud)
	if err != nil {
		return fmt.Errorf("idcard read: %w", err)
	}
	defer f.Close()

	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	start := time.Now()
	reader := idcard.NewReader(f, nil)
	if err := reader.SAMStatus(ctx); err != nil {
		return fmt.Errorf("idcard read: the reader on %s is not ready (is it a SAM ID card reader, at %d baud?): %w", *port, *baud, err)
	}
	samID, err := reader.SAMID(ctx)
	if err != nil {
		return fmt.Errorf("idcard read: reading the SAM serial number: %w", err)
	}
	id, err := hardware.NewIDReader(reader, hardware.IDReaderOptions{
		Read: idcard.ReadOptions{AppendedAddress: true},
	}).ReadCard(ctx)
	if err != nil {
		m := kiosk.MessageOf(err)
		if words, lerr := i18n.Load(); lerr == nil {
			m = words.Resolve(m)
		}
		return fmt.Errorf("idcard read: %s / %s (%w)", m.ZH, m.EN, err)
	}
	took := time.Since(start)
	return json.NewEncoder(stdout).Encode(cardJSON(id, samID, took, *reveal))
}

// cardReport is what `idcard read` prints.
type cardReport struct {
	Card       kiosk.CardType `json:"card"`
	Name       string         `json:"name"`
	NameEN     string         `json:"name_en,omitempty"`
	Sex        kiosk.Sex      `json:"sex"`
	Nation     string         `json:"nation,omitempty"`
	BirthDate  string         `json:"birth_date"`
	Address    string         `json:"address,omitempty"`
	Number     string         `json:"number"`
	Issuer     string         `json:"issuer,omitempty"`
	ValidFrom  string         `json:"valid_from"`
	ValidUntil string         `json:"valid_until"`
	SAMID      string         `json:"sam_id"`
	TookMS     float64        `json:"took_ms"`
}

func cardJSON(id kiosk.Identity, sam idcard.SAMID, took time.Duration, reveal bool) cardReport {
	r := cardReport{
		Card: id.Card, Name: id.MaskedName(), Sex: id.Sex, Nation: id.Nation,
		BirthDate: id.BirthDate.Format(time.DateOnly), Number: id.MaskedNumber(), Issuer: id.Issuer,
		ValidFrom: id.ValidFrom.Format(time.DateOnly), ValidUntil: "长期",
		SAMID: sam.String(), TookMS: float64(took.Microseconds()) / 1000,
	}
	if id.NameEN != "" {
		r.NameEN = kiosk.MaskName(id.NameEN)
	}
	if !id.ValidUntil.IsZero() {
		r.ValidUntil = id.ValidUntil.Format(time.DateOnly)
	}
	if reveal {
		r.Name, r.NameEN, r.Number, r.Address = id.Name, id.NameEN, id.Number, id.Address
	}
	return r
}
