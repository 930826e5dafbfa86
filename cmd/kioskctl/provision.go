package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"time"

	"github.com/tongban/tongban/kiosk/provision"
	"github.com/tongban/tongban/kiosk/uplink"
)

// stepWords says what each set-up step does, for the technician watching.
var stepWords = map[provision.Step]string{
	provision.StepRead:   "read the provision file",
	provision.StepEnrol:  "enrol with the back office",
	provision.StepToken:  "remove the used token from the provision file",
	provision.StepConfig: "write the terminal's configuration",
}

// runProvision sets the terminal up from a provision file: enrol, remove
// the token, write the configuration. The image runs it at boot while the
// terminal is not yet provisioned (tongban-provision.service).
func runProvision(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("provision", flag.ContinueOnError)
	fs.SetOutput(stderr)
	file := fs.String("file", filepath.Join("/var/lib/tongban-prov", provision.FileName), "the provision file")
	data := fs.String("data", "/var/lib/tongban", "the data folder the configuration and identity go to")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if provision.Provisioned(*data) {
		fmt.Fprintf(stdout, "already provisioned: %s exists\n", filepath.Join(*data, provision.ConfigName))
		return nil
	}
	a := &provision.Applier{
		DataDir: *data,
		Enrol:   uplink.Enrol,
		Now:     time.Now,
		Log:     slog.New(slog.NewTextHandler(stderr, nil)),
		Progress: func(s provision.Step, err error) {
			if err != nil {
				fmt.Fprintf(stdout, "FAILED  %s: %v\n", stepWords[s], err)
				return
			}
			fmt.Fprintf(stdout, "ok      %s\n", stepWords[s])
		},
	}
	err := a.Apply(ctx, *file)
	if err != nil {
		err = fmt.Errorf("set-up stopped; correct what is named above and start it again: %w", err)
	}
	if err := technicianAction(*data, "provision", err); err != nil {
		return err
	}
	fmt.Fprintln(stdout, "provisioned: the terminal starts serving residents")
	return nil
}
