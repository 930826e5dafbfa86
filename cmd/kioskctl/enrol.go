package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"path/filepath"

	"github.com/tongban/tongban/backoffice/api"
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
	fp := fs.String("ca-fingerprint", "", "the back office CA's fingerprint from the provisioning sheet (SM3:XXXX-… or SHA256:…); required")
	ca := fs.String("ca", "", "back office CA certificate (PEM) from the provisioning partition; it must have the fingerprint")
	dev := fs.Bool("insecure-dev", false, "development only: allow plain http:// to a loopback back office")
	code := fs.String("code", "", "the enrolment code from the back office's Enrol page (tongban-enrol:?…): the server, token and CA fingerprint in one")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *code != "" {
		if *server != "" || *token != "" || *fp != "" {
			return errors.New("enrol: give either --code or --server, --token and --ca-fingerprint, not both")
		}
		c, err := api.ParseEnrolmentCode(*code)
		if err != nil {
			return fmt.Errorf("enrol: --code: %w", err)
		}
		*server, *token, *fp = c.Server, c.Token, c.CAFingerprint
	}
	if *server == "" || *token == "" || *dir == "" || *fp == "" {
		fs.Usage()
		return errors.New("enrol: --dir and either --code or --server, --token and --ca-fingerprint are required")
	}
	id, err := uplink.Enrol(ctx, uplink.EnrolOptions{Server: *server, Token: *token, Dir: *dir, CAFile: *ca, CAFingerprint: *fp, InsecureDev: *dev})
	// The identity folder sits in the terminal's data folder (identity/).
	if err := technicianAction(filepath.Dir(filepath.Clean(*dir)), "enrol", err); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "enrolled terminal %s of center %s; certificate valid until %s\nidentity written to %s\nback office clock offset %s (signed by the CA)\n",
		id.Terminal, id.Center, id.NotAfter.Format("2006-01-02"), *dir, id.ClockOffset)
	return nil
}
