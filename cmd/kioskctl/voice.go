package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/voice"
)

const voiceUsage = `usage:
  kioskctl voice render DIR              write a voice pack of every resident message, both languages
  kioskctl voice say TEXT --out FILE.wav [--lang zh|en] [--show]   synthesize TEXT as the kiosk would
  kioskctl voice check DIR               list a pack's stale recordings`

func runVoice(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, voiceUsage)
		return errors.New("voice: say render, say or check")
	}
	cat, err := i18n.Load()
	if err != nil {
		return err
	}
	lex, err := voice.LoadLexicon()
	if err != nil {
		return err
	}
	c := voice.Composer{Words: voice.CatalogWords(cat), Lexicon: lex}
	switch args[0] {
	case "render":
		if len(args) != 2 {
			return errors.New("voice render: give the folder to write the pack to")
		}
		ids := map[kiosk.Lang][]string{}
		for _, lang := range i18n.Languages() {
			for _, id := range cat.IDs(lang) {
				if !strings.HasPrefix(id, "staff.") { // staff screens are not spoken
					ids[lang] = append(ids[lang], id)
				}
			}
		}
		m, err := voice.RenderPack(ctx, args[1], c, voice.Espeak{}, ids)
		if err != nil {
			return fmt.Errorf("voice render: %w", err)
		}
		fmt.Fprintf(stdout, "wrote %d recordings and %s to %s\n", len(m.Prompts), voice.ManifestName, args[1])
		return nil
	case "check":
		if len(args) != 2 {
			return errors.New("voice check: give the pack's folder")
		}
		p, stale, err := voice.OpenPack(args[1], c.Words)
		for _, s := range stale {
			fmt.Fprintln(stdout, "stale:", s)
		}
		fmt.Fprintf(stdout, "%d recordings playable, %d stale\n", p.Len(), len(stale))
		if err == nil && len(stale) > 0 {
			// A non-zero exit, so an installation script stops here.
			err = fmt.Errorf("voice check: %d stale recordings will not be played: record them again from the text shown, or take them out of %s", len(stale), voice.ManifestName)
		}
		return err
	case "say":
		fs := flag.NewFlagSet("voice say", flag.ContinueOnError)
		fs.SetOutput(stderr)
		out := fs.String("out", "", "the WAV file to write")
		lang := fs.String("lang", "zh", "zh or en")
		show := fs.Bool("show", false, "print the synthesizer's input")
		// Flags and the words may come in any order (a technician types
		// `say --lang en "Hello" --out f.wav` as readily as the usage line).
		var words []string
		for rest := args[1:]; ; {
			if err := fs.Parse(rest); err != nil {
				return err
			}
			if fs.NArg() == 0 {
				break
			}
			words, rest = append(words, fs.Arg(0)), fs.Args()[1:]
		}
		text := strings.Join(words, " ")
		if strings.TrimSpace(text) == "" || *out == "" {
			return errors.New("voice say: give the text and --out FILE.wav")
		}
		if *lang != string(kiosk.LangZH) && *lang != string(kiosk.LangEN) {
			return fmt.Errorf("voice say: --lang %q: say zh or en", *lang)
		}
		p := c.Prompt(kiosk.Lang(*lang), voice.Line{Text: kiosk.Text{ZH: text, EN: text}})
		if *show {
			fmt.Fprintln(stdout, p.Input)
		}
		a, err := voice.Espeak{}.Synthesize(ctx, p.Voice, p.Input)
		if err != nil {
			return fmt.Errorf("voice say: %w", err)
		}
		if err := os.WriteFile(*out, a.WAV(), 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s: %.2f s, %d Hz\n", *out, a.Duration().Seconds(), a.Rate)
		return nil
	}
	fmt.Fprintln(stderr, voiceUsage)
	return fmt.Errorf("voice: unknown subcommand %q", args[0])
}
