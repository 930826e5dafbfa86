// Command kioskctl is the operator's and technician's tool: devices,
// simulators, the catalog, the queue, the audit log, printing, benchmarks.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"syscall"
)

// command runs one subcommand with its own arguments.
type command struct {
	summary string
	run     func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() map[string]command {
	return map[string]command{
		"devsim":     {"expose simulated devices on pseudo-terminals", runDevsim},
		"ports":      {"list serial ports with their USB identity and what they answer", runPorts},
		"scan":       {"print each classified scan from a QR scanner", runScan},
		"idcard":     {"read an ID card from a serial port", runIDCard},
		"print":      {"print a sample receipt, ticket or self-test page", runPrint},
		"catalog":    {"check or search the services catalog", runCatalog},
		"queue":      {"fill, list, check the offline queue", runQueue},
		"audit":      {"verify the audit log's hash chain", runAudit},
		"diag":       {"write the diagnostics file technician mode exports (no personal data)", runDiag},
		"enrol":      {"enrol this terminal with the back office", runEnrol},
		"provision":  {"set this terminal up from a provision file (zero-touch)", runProvision},
		"bench":      {"run the key benchmarks against their budgets (needs the source tree)", runBench},
		"staff-hash": {"read a staff code on stdin, print its staff.code_hash line", runStaffHash},
		"install":    {"copy the system from the USB stick to an internal disk, verified", runInstall},
		"tech-hash":  {"read a technician code on stdin, print its technician.code_hash line", runTechnicianHash},
		"voice":      {"render a voice pack, check one, or synthesize a sentence to a WAV file", runVoice},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "kioskctl:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cmds := commands()
	if len(args) == 0 || args[0] == "help" || args[0] == "-h" || args[0] == "--help" {
		usage(stdout, cmds)
		return nil
	}
	c, ok := cmds[args[0]]
	if !ok {
		usage(stderr, cmds)
		return fmt.Errorf("unknown command %q", args[0])
	}
	return c.run(ctx, args[1:], stdout, stderr)
}

func usage(w io.Writer, cmds map[string]command) {
	fmt.Fprintln(w, "usage: kioskctl COMMAND [flags]\n\ncommands:")
	names := make([]string, 0, len(cmds))
	for n := range cmds {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-8s %s\n", n, cmds[n].summary)
	}
}
