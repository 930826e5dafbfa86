package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/catalog"
	servicescatalog "github.com/tongban/tongban/services-catalog"
)

// runCatalog: kioskctl catalog check [DIR] | kioskctl catalog search QUERY.
func runCatalog(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: kioskctl catalog check [DIR] | kioskctl catalog search [-n N] [-dir DIR] QUERY")
		return errors.New("catalog: name a subcommand: check or search")
	}
	switch args[0] {
	case "check":
		return catalogCheck(args[1:], stdout, stderr)
	case "search":
		return catalogSearch(args[1:], stdout, stderr)
	}
	return fmt.Errorf("catalog: unknown subcommand %q (check or search)", args[0])
}

func catalogFS(dir string) (fs.FS, string) {
	if dir == "" {
		return servicescatalog.FS(), "embedded catalog"
	}
	return os.DirFS(dir), dir
}

func catalogCheck(args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("catalog check", flag.ContinueOnError)
	fl.SetOutput(stderr)
	if err := fl.Parse(args); err != nil {
		return err
	}
	fsys, where := catalogFS(fl.Arg(0))
	c, err := catalog.Load(fsys)
	if c != nil {
		fmt.Fprintf(stdout, "%s: version %s, effective %s\n", where, c.Version(), c.Meta().Effective)
		total, inferredItems, sourced, full, verified := 0, 0, 0, 0, 0
		byAction := map[kiosk.Action]int{}
		for _, d := range c.Departments() {
			items := c.ByDepartment(d.Code)
			total += len(items)
			fmt.Fprintf(stdout, "  %-4s %-16s %3d\n", d.Code, d.Name.ZH, len(items))
		}
		for _, it := range c.Items() {
			if len(it.Inferred) > 0 {
				inferredItems++
			}
			if len(it.Sources) > 0 {
				sourced++
				if len(it.Inferred) == 0 {
					full++
				}
			}
			for _, a := range it.Actions {
				byAction[a]++
			}
			if it.Identity == kiosk.IdentityVerified {
				verified++
			}
		}
		fmt.Fprintf(stdout, "%d items in %d departments; %d cite a source, %d are inferred entirely; %d have inferred fields to review\n",
			total, len(c.Departments()), sourced, total-sourced, inferredItems)
		rv := c.Review()
		fmt.Fprintf(stdout, "review marks: %d fully sourced (a source cited, no fact a resident reads inferred), %d to review; %d with no inferred field at all\n",
			rv.FullySourced, rv.Items-rv.FullySourced, full)
		fmt.Fprintf(stdout, "rules: %d items with a legal basis, %d with a charge (%d sourced, %d inferred), %d with a statutory time limit; %d with figures, %d figures shown today; %d old codes kept as aliases\n",
			rv.LegalBasis, rv.Charge, rv.ChargeSourced, rv.Charge-rv.ChargeSourced, rv.LegalLimit, rv.Figures, rv.FiguresShown, rv.Aliases)
		fmt.Fprintf(stdout, "actions: apply %d, query %d, print %d, appointment %d, ticket %d, guide %d; %d need a verified identity (counter only without face verification)\n",
			byAction[kiosk.ActionApply], byAction[kiosk.ActionQuery], byAction[kiosk.ActionPrint],
			byAction[kiosk.ActionAppointment], byAction[kiosk.ActionTicket], byAction[kiosk.ActionGuide], verified)
		if bs := c.Bundles(); len(bs) > 0 {
			fmt.Fprintf(stdout, "一件事 bundles: %d\n", len(bs))
			for _, b := range bs {
				parts := make([]string, len(b.Parts))
				for i, p := range b.Parts {
					parts[i] = string(p.Item)
				}
				fmt.Fprintf(stdout, "  %-26s %s = %s (%d fields)\n", b.Code, b.Name.ZH, strings.Join(parts, " + "), len(b.Form))
			}
		}
	}
	var le *catalog.LoadError
	if errors.As(err, &le) {
		for _, p := range le.Problems {
			fmt.Fprintln(stdout, p.String())
		}
		return fmt.Errorf("catalog check: %d problems in %s", len(le.Problems), where)
	}
	if err != nil {
		return err
	}
	fmt.Fprintln(stdout, "ok")
	return nil
}

func catalogSearch(args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("catalog search", flag.ContinueOnError)
	fl.SetOutput(stderr)
	n := fl.Int("n", 10, "how many results")
	dir := fl.String("dir", "", "catalog directory (default: the embedded catalog)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	query := strings.Join(fl.Args(), " ")
	if strings.TrimSpace(query) == "" {
		return errors.New("catalog search: give a query, e.g. ljt or 敬老卡")
	}
	fsys, _ := catalogFS(*dir)
	c, err := catalog.Load(fsys)
	if err != nil {
		return err
	}
	hits := c.Search(query, *n)
	if len(hits) == 0 {
		fmt.Fprintln(stdout, "no match")
		return nil
	}
	for i, h := range hits {
		fmt.Fprintf(stdout, "%2d. %-28s %s  [%s %d]  %s\n", i+1, h.Item.Name.ZH, h.Item.Code, h.Match, h.Score, h.Item.Name.EN)
	}
	return nil
}
