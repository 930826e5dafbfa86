// Command backoffice runs the reference back-office server.
//
//	backoffice --db /var/lib/tongban/backoffice.db --tls-dir /etc/tongban/backoffice --addr :8443
//	backoffice --pg 'postgres://tongban@db/tongban' --tls-dir /etc/tongban/backoffice
//	backoffice --insecure-dev --addr 127.0.0.1:8080          (plain HTTP, loopback only)
//	backoffice --issue-token SH-XH-0001 --center XH01 ...    (print a one-time enrolment token)
//	backoffice --publish catalog=items.json ...              (sign and publish a bundle)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/tongban/tongban/backoffice"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/backoffice/store"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "backoffice:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("backoffice", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", ":8443", "listen address")
	dbPath := fs.String("db", "backoffice.db", "SQLite database file (the embedded store)")
	pg := fs.String("pg", "", "PostgreSQL DSN; when set, used instead of --db")
	tlsDir := fs.String("tls-dir", "backoffice-keys", "directory of the CA, bundle signing key and lookup key (created if missing)")
	hosts := fs.String("hosts", "localhost,127.0.0.1", "comma-separated names and addresses in the server certificate")
	dev := fs.Bool("insecure-dev", false, "plain HTTP, terminal named by the X-Tongban-Terminal header; loopback addresses only")
	issue := fs.String("issue-token", "", "print a single-use enrolment token for this terminal and exit")
	center := fs.String("center", "", "the terminal's center (with --issue-token)")
	ttl := fs.Duration("token-ttl", 24*time.Hour, "enrolment token lifetime (at most 24h)")
	publish := fs.String("publish", "", "sign and publish KIND=FILE (catalog or config) and exit")
	verbose := fs.Bool("v", false, "log every request")
	if err := fs.Parse(args); err != nil {
		return err
	}
	level := slog.LevelInfo
	if *verbose {
		level = slog.LevelDebug
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	keys, err := backoffice.LoadOrCreateKeys(*tlsDir)
	if err != nil {
		return err
	}
	var st *store.DB
	if *pg != "" {
		st, err = store.OpenPostgres(ctx, *pg)
	} else {
		if err := os.MkdirAll(filepath.Dir(*dbPath), 0o700); err != nil {
			return err
		}
		st, err = store.OpenSQLite(ctx, *dbPath)
	}
	if err != nil {
		return err
	}
	defer st.Close()
	sealKey, err := store.LoadOrCreateSealKey(filepath.Join(*tlsDir, backoffice.SealKeyFile))
	if err != nil {
		return err
	}
	if err := st.SealWith(sealKey); err != nil {
		return err
	}
	srv := backoffice.New(st, backoffice.Options{Logger: logger, CA: keys.CA, Signer: keys.Signer, HashKey: keys.HashKey, InsecureDev: *dev})

	switch {
	case *issue != "":
		if *center == "" {
			return errors.New("--issue-token needs --center")
		}
		tok, err := srv.IssueEnrolmentToken(ctx, *issue, *center, *ttl)
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, tok)
		return nil
	case *publish != "":
		kind, file, ok := strings.Cut(*publish, "=")
		if !ok || (kind != string(bundle.KindCatalog) && kind != string(bundle.KindConfig)) {
			return errors.New("--publish takes catalog=FILE or config=FILE")
		}
		payload, err := os.ReadFile(file)
		if err != nil {
			return err
		}
		v, err := srv.PublishBundle(ctx, bundle.Kind(kind), payload)
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "published %s bundle version %d (%d bytes), key %s\n", kind, v, len(payload), keys.Signer.PublicKey())
		return nil
	}

	if *dev && !backoffice.IsLoopback(*addr) {
		return fmt.Errorf("--insecure-dev serves plain HTTP and trusts a header: it listens only on loopback, not %q (try 127.0.0.1:8080)", *addr)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	if *dev {
		logger.Warn("DEV MODE: plain HTTP, no client certificates", "addr", ln.Addr().String(), "engine", st.Engine())
		return backoffice.Serve(ctx, ln, srv, nil, logger)
	}
	tlsCfg, err := keys.CA.ServerTLSConfig(strings.Split(*hosts, ","), time.Now())
	if err != nil {
		return err
	}
	logger.Info("serving with mutual TLS", "addr", ln.Addr().String(), "engine", st.Engine(), "ca", filepath.Join(*tlsDir, "ca.pem"), "bundle_key", keys.Signer.PublicKey().String())
	return backoffice.Serve(ctx, ln, srv, tlsCfg, logger)
}
