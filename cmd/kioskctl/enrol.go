package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"github.com/tongban/tongban/kiosk/uplink"
)

// runEnrol enrols this terminal: a key made here, a CSR sent with a
// single-use token, the certificate and the trusted keys written to --dir.
func runEnrol(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("enrol", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", "", "back office URL, e.g. https://backoffice.example:8443")
	token := fs.String("token", "", "single-use enrolment token (tbe_…) from the back office")
	dir := fs.String("dir", "", "directory for the terminal's identity (key, certificate, CA)")
	ca := fs.String("ca", "", "back office CA certificate (PEM) to trust for this call; default: the system's")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *server == "" || *token == "" || *dir == "" {
		fs.Usage()
		return errors.New("enrol: --server, --token and --dir are required")
	}
	id, err := uplink.Enrol(ctx, uplink.EnrolOptions{Server: *server, Token: *token, Dir: *dir, CAFile: *ca})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "enrolled terminal %s of center %s; certificate valid until %s\nidentity written to %s\n",
		id.Terminal, id.Center, id.NotAfter.Format("2006-01-02"), *dir)
	return nil
}
