package main

import (
	"context"
	"log/slog"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/config"
	"github.com/tongban/tongban/kiosk/i18n"
	"github.com/tongban/tongban/kiosk/voice"
)

// startVoice builds the speaker: espeak-ng, the configured voice pack, and
// the sound card through aplay or, on a machine without one, WAV files in
// the data folder. Nothing here stops the kiosk: what is missing is logged
// and the kiosk runs silently.
func startVoice(ctx context.Context, cfg config.Config, words *i18n.Catalog, log *slog.Logger) *voice.Speaker {
	log = log.With("part", "voice")
	lex, err := voice.LoadLexicon()
	if err != nil || words == nil {
		log.Error("voice: the lexicon or the words do not load; the kiosk is silent", "err", err)
		return nil
	}
	quiet, err := voice.ParseQuietHours(cfg.Voice.QuietHours)
	if err != nil {
		log.Warn("voice: quiet hours ignored", "err", err)
	}
	composer := voice.Composer{Words: voice.CatalogWords(words), Lexicon: lex}
	var sink voice.Sink
	_, aplayErr := exec.LookPath("aplay")
	if voice.SoundCards() > 0 && aplayErr == nil {
		sink = voice.Aplay{Device: cfg.Voice.Device}
	} else {
		dir := filepath.Join(cfg.DataDir, "voice-out")
		log.Warn("voice: no sound card (or no aplay); what would be said is written as WAV files", "dir", dir)
		sink = &voice.FileSink{Dir: dir}
	}
	var pack *voice.Pack
	if cfg.Voice.Pack != "" {
		p, stale, err := voice.OpenPack(cfg.Voice.Pack, composer.Words)
		for _, s := range stale {
			log.Warn("voice pack: stale recording not played", "recording", s.String())
		}
		if err != nil {
			log.Warn("voice pack: some recordings unreadable", "err", err)
		}
		pack = p
		log.Info("voice pack loaded", "dir", cfg.Voice.Pack, "recordings", p.Len(), "stale", len(stale))
	}
	sp := voice.NewSpeaker(voice.Options{Composer: composer, Synth: voice.Espeak{}, Pack: pack, Sink: sink,
		Clock: kiosk.SystemClock{}, Logger: log, Volume: cfg.Voice.Volume, QuietVolume: cfg.Voice.QuietVolume, Quiet: quiet})
	go func() {
		<-ctx.Done()
		sp.Close()
	}()
	go func() {
		// After start-up has had the processor, every screen's fixed sentences, in both languages, so speech
		// starts at once the first time a screen shows.
		select {
		case <-ctx.Done():
			return
		case <-time.After(2 * time.Second):
		}
		var screens []voice.Screen
		for _, lang := range i18n.Languages() {
			for _, st := range []string{"attract", "identify", "browse", "form", "review", "sign", "submitting", "done", "query", "ticket", "appointment"} {
				screens = append(screens, voice.Screen{State: st, Lang: lang, Elderly: true})
			}
		}
		n := sp.Prewarm(ctx, screens)
		log.Debug("voice: sentences synthesized ahead", "count", n)
	}()
	return sp
}
