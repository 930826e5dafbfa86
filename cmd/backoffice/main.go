// Command backoffice runs the reference back-office server.
//
//	backoffice --db /var/lib/tongban/backoffice.db --tls-dir /etc/tongban/backoffice --addr :8443
//	backoffice --pg 'postgres://tongban@db/tongban' --tls-dir /etc/tongban/backoffice
//	backoffice --insecure-dev --addr 127.0.0.1:8080          (plain HTTP, loopback only)
//	backoffice --issue-token SH-XH-0001 --center XH01 ...    (print a one-time enrolment token)
//	backoffice --publish catalog=items.json ...              (sign and publish a bundle)
//	backoffice user add --username op1 --name 测试运维 --role operator --db ... < password
//	backoffice import-records --center XH01 --item pension-received --title 个人享受城镇基本养老金情况 \
//	    --source 上海市社会保险事业管理中心 --file pension.csv --db ...  (department records, CSV)
//	backoffice --connectors connectors.json ...                  (department services per center and item)
//
// The web console is served on the same listener under /console/.
package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
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
	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/backoffice/bundle"
	"github.com/tongban/tongban/backoffice/connector"
	"github.com/tongban/tongban/backoffice/console"
	"github.com/tongban/tongban/backoffice/document"
	"github.com/tongban/tongban/backoffice/store"
	"github.com/tongban/tongban/internal/sealed"
	"github.com/tongban/tongban/internal/ssmtoken"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "backoffice:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	userAdd := len(args) >= 2 && args[0] == "user" && args[1] == "add"
	importRecords := len(args) >= 1 && args[0] == "import-records"
	if importRecords {
		args = args[1:]
	}
	if userAdd {
		args = args[2:]
	} else if len(args) >= 1 && args[0] == "user" {
		return errors.New("usage: backoffice user add --username NAME --name DISPLAY --role staff|director|operator|auditor [--center CODE] (password on standard input)")
	}
	fs := flag.NewFlagSet("backoffice", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", ":8443", "listen address")
	dbPath := fs.String("db", "backoffice.db", "SQLite database file (the embedded store)")
	pg := fs.String("pg", "", "PostgreSQL DSN; when set, used instead of --db")
	tlsDir := fs.String("tls-dir", "backoffice-keys", "directory of the CA, bundle signing key and lookup key (created if missing)")
	hosts := fs.String("hosts", "localhost,127.0.0.1", "comma-separated names and addresses in the server certificate")
	readers := fs.String("readers", "", "JSON file of allow-listed card readers: {\"TERMINAL\": [\"SAM ID\", ...]}")
	dev := fs.Bool("insecure-dev", false, "plain HTTP, terminal named by the X-Tongban-Terminal header; loopback addresses only")
	issue := fs.String("issue-token", "", "print a single-use enrolment token for this terminal and exit")
	center := fs.String("center", "", "the terminal's center (with --issue-token)")
	reenrol := fs.Bool("reenrol", false, "with --issue-token: the terminal is enrolled already and is to be enrolled again (its old certificates stop working)")
	move := fs.Bool("move", false, "with --issue-token --reenrol: the terminal moves to --center, another center than its own")
	ttl := fs.Duration("token-ttl", 24*time.Hour, "enrolment token lifetime (at most 24h)")
	publish := fs.String("publish", "", "sign and publish KIND=FILE (catalog or config) and exit")
	anchorOf := fs.String("audit-anchor", "", "print this terminal's audit anchor as SEQ:HEAD (for kioskctl audit verify --anchor) and exit")
	verbose := fs.Bool("v", false, "log every request")
	username := fs.String("username", "", "user add: the account's log-in name")
	display := fs.String("name", "", "user add: the person's name as the console shows it")
	role := fs.String("role", store.RoleOperator, "user add: staff, director, operator or auditor")
	silent := fs.Duration("silent-after", 5*time.Minute, "a terminal with no heartbeat for this long is offline and raises an alarm")
	idle := fs.Duration("console-idle", 15*time.Minute, "a console session with no request for this long ends")
	connectorsFile := fs.String("connectors", "", "JSON file of department services per center and item (backoffice/README.md); none: nothing connected, or the demonstration data with --insecure-dev")
	publicURL := fs.String("public-url", "", "the address residents reach this server at, for documents' QR codes (default: the first of --hosts on the port of --addr)")
	item := fs.String("item", "", "import-records: the catalog item code the records answer")
	title := fs.String("title", "", "import-records: the title the answers show, in Chinese")
	titleEN := fs.String("title-en", "", "import-records: the title in English")
	source := fs.String("source", "", "import-records: the department (Chinese)")
	sourceEN := fs.String("source-en", "", "import-records: the department in English")
	file := fs.String("file", "", "import-records: the CSV file (UTF-8)")
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
	if err := backoffice.SealStore(st, *tlsDir); err != nil {
		return err
	}
	opts := backoffice.Options{Logger: logger, CA: keys.CA, Signer: keys.Signer, HashKey: keys.HashKey, PayloadKey: keys.PayloadKey, InsecureDev: *dev}
	records := connector.NewStore(st, backoffice.SubjectHash(keys.HashKey), nil)
	if importRecords {
		return importCSV(ctx, records, connector.ImportSpec{Center: *center, Item: *item, Title: connector.Text{ZH: *title, EN: *titleEN},
			Source: connector.Text{ZH: *source, EN: *sourceEN}}, *file, stdout)
	}
	serving := !userAdd && *issue == "" && *publish == ""
	switch {
	case !serving:
	case *connectorsFile != "":
		b, err := os.ReadFile(*connectorsFile)
		if err != nil {
			return err
		}
		cfg, err := connector.ParseConfig(b)
		if err != nil {
			return fmt.Errorf("%s: %w", *connectorsFile, err)
		}
		if opts.Connectors, err = connector.Build(cfg, records); err != nil {
			return fmt.Errorf("%s: %w", *connectorsFile, err)
		}
	case *dev:
		// Development: the demonstration data, for enrolled terminals'
		// centers and for those known by their header alone (--center).
		opts.DevCenter = cmp.Or(*center, "XH01")
		if err := records.LoadDemo(ctx, opts.DevCenter); err != nil {
			return err
		}
		opts.Connectors, _ = connector.Build(connector.DemoConfig(), records)
	}
	// Serving: listen now, so documents' QR codes can name the port
	// actually bound (--addr :0 in tests).
	var ln net.Listener
	if serving {
		if *dev && !backoffice.IsLoopback(*addr) {
			return fmt.Errorf("--insecure-dev serves plain HTTP and trusts a header: it listens only on loopback, not %q (try 127.0.0.1:8080)", *addr)
		}
		if ln, err = net.Listen("tcp", *addr); err != nil {
			return err
		}
		defer ln.Close()
	}
	if opts.Connectors != nil && ln != nil {
		public := *publicURL
		if public == "" {
			host, _, _ := strings.Cut(*hosts, ",")
			_, port, _ := net.SplitHostPort(ln.Addr().String())
			public = "https://" + net.JoinHostPort(host, port)
			if *dev {
				public = "http://" + ln.Addr().String()
			}
		}
		if _, err := document.SystemFonts(); err != nil {
			logger.Warn("documents are not connected", "why", err.Error())
		} else if opts.Documents, err = backoffice.NewDocumentIssuer(st, *tlsDir, public); err != nil {
			return err
		}
	}
	if *dev {
		// Development only: the simulated phone's issuer stands for the
		// 随申码 platform. Without it, codes are refused in plain words.
		opts.Verifier = backoffice.NewTokenDouble(&ssmtoken.DevIssuer().PublicKey, st)
	}
	if *readers != "" {
		b, err := os.ReadFile(*readers)
		if err != nil {
			return err
		}
		var m map[string][]string
		if err := json.Unmarshal(b, &m); err != nil {
			return fmt.Errorf("%s: not a JSON object of terminal to SAM IDs: %w", *readers, err)
		}
		allowed, err := backoffice.NewMemReaders(m)
		if err != nil {
			return fmt.Errorf("%s: %w", *readers, err)
		}
		opts.Readers = allowed
	}
	srv := backoffice.New(st, opts)

	switch {
	case userAdd:
		return addUser(ctx, st, store.User{Username: *username, DisplayName: *display, Role: *role, Center: *center, CreatedAt: time.Now()}, stdin, stdout)
	case *issue != "":
		if *center == "" {
			return errors.New("--issue-token needs --center")
		}
		var tok string
		if *reenrol {
			tok, err = srv.IssueReEnrolmentToken(ctx, *issue, *center, *ttl, *move)
		} else if *move {
			return errors.New("--move goes with --reenrol: only an enrolled terminal can move")
		} else {
			tok, err = srv.IssueEnrolmentToken(ctx, *issue, *center, *ttl)
		}
		if err != nil {
			return err
		}
		fmt.Fprintln(stdout, tok)
		// The same as one enrolment code, with the CA fingerprint, for
		// kioskctl enrol --code or the set-up's scanner (as a QR code).
		host, _, _ := strings.Cut(*hosts, ",")
		_, port, _ := net.SplitHostPort(*addr)
		code := api.EnrolmentCode{Server: "https://" + net.JoinHostPort(host, port), Token: tok, CAFingerprint: sealed.Fingerprint(keys.CA.Cert.Raw)}
		fmt.Fprintf(stderr, "enrolment code (kioskctl enrol --code, or its QR code scanned at set-up):\n%s\n", code)
		return nil
	case *anchorOf != "":
		a, err := st.AuditAnchorOf(ctx, *anchorOf)
		if errors.Is(err, store.ErrNotFound) {
			return fmt.Errorf("terminal %s has sent no audit head yet (it sends one with every heartbeat)", *anchorOf)
		}
		if err != nil {
			return err
		}
		fmt.Fprintf(stdout, "%d:%s\n", a.Seq, a.Head)
		fmt.Fprintf(stderr, "anchored %s; on the terminal: kioskctl audit verify --log /var/lib/tongban/audit.log --anchor %d:%s\n", a.ReceivedAt.Format(time.RFC3339), a.Seq, a.Head)
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

	scheme := "https://"
	if *dev {
		scheme = "http://"
	}
	con, err := console.New(st, console.Options{Logger: logger, Services: srv, SilentAfter: *silent, IdleTimeout: *idle,
		ServerURL: scheme + ln.Addr().String(), CAFingerprint: sealed.Fingerprint(keys.CA.Cert.Raw),
		Records: records, RecordItems: opts.Connectors.StoreItems})
	if err != nil {
		return err
	}
	go con.Watch(ctx, time.Minute)
	h := console.Mount(srv, con)
	if *dev {
		logger.Warn("DEV MODE: plain HTTP, no client certificates", "addr", ln.Addr().String(), "engine", st.Engine(),
			"console", "http://"+ln.Addr().String()+console.Prefix)
		return backoffice.Serve(ctx, ln, h, nil, logger)
	}
	keeper, fresh, err := keys.CA.NewServerCertKeeper(*tlsDir, strings.Split(*hosts, ","), time.Now)
	if err != nil {
		return err
	}
	if fresh {
		logger.Info("server certificate issued", "hosts", *hosts)
	}
	tlsCfg := keeper.TLSConfig(srv.CheckClientCertificate)
	logger.Info("serving with mutual TLS", "addr", ln.Addr().String(), "engine", st.Engine(), "ca", filepath.Join(*tlsDir, "ca.pem"),
		"ca_fingerprint", sealed.Fingerprint(keys.CA.Cert.Raw),
		"bundle_key", keys.Signer.PublicKey().String(), "console", "https://"+ln.Addr().String()+console.Prefix)
	return backoffice.Serve(ctx, ln, h, tlsCfg, logger)
}

// importCSV keeps a CSV file's good records and prints the report.
func importCSV(ctx context.Context, records *connector.Store, spec connector.ImportSpec, file string, out io.Writer) error {
	if file == "" {
		return errors.New("usage: backoffice import-records --center CODE --item ITEM --title TITLE --source DEPARTMENT --file FILE.csv")
	}
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	defer f.Close()
	rep, err := records.Import(ctx, f, spec)
	fmt.Fprint(out, rep.String())
	if err != nil {
		return fmt.Errorf("%s: %w", file, err)
	}
	return nil
}

// addUser creates a console account; the password is the first line of in.
func addUser(ctx context.Context, st *store.DB, u store.User, in io.Reader, out io.Writer) error {
	if err := console.ValidateUser(u); err != nil {
		return err
	}
	if u.DisplayName == "" {
		u.DisplayName = u.Username
	}
	line, err := bufio.NewReader(in).ReadString('\n')
	if err != nil && line == "" {
		return errors.New("user add reads the password from standard input (one line, at least 10 characters)")
	}
	hash, err := console.HashPassword(strings.TrimRight(line, "\r\n"))
	if err != nil {
		return err
	}
	u.PasswordHash = hash
	if err := st.CreateUser(ctx, u); errors.Is(err, store.ErrExists) {
		return fmt.Errorf("an account named %q exists already", u.Username)
	} else if err != nil {
		return err
	}
	if err := st.AppendAudit(ctx, store.AuditEntry{At: u.CreatedAt, Username: "(command line)", Action: "user.create", Target: u.Username,
		Detail: "role " + u.Role + " center " + u.Center, Remote: "local"}); err != nil {
		return err
	}
	fmt.Fprintf(out, "account %s (%s) created\n", u.Username, u.Role)
	return nil
}
