package voice

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/i18n"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

func testComposer(t testing.TB) Composer {
	t.Helper()
	cat, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	return Composer{Words: CatalogWords(cat), Lexicon: mustLexicon(t)}
}

// screens are the screens of a visit, the countdown and the error paths.
var screens = []struct {
	name string
	s    Screen
}{
	{"attract", Screen{State: "attract", Elderly: true}},
	{"attract-paused", Screen{State: "attract", Unavailable: true, Notice: kiosk.Text{ZH: "打印纸用完了", EN: "The printer is out of paper"}}},
	{"attract-card-left", Screen{State: "attract", CardLeft: true, Notice: kiosk.Text{ZH: "请取走您的身份证。", EN: "Please take your ID card."}}},
	{"identify", Screen{State: "identify"}},
	{"identify-reading", Screen{State: "identify", Reading: true}},
	{"identify-card-moved", Screen{State: "identify", NoticeID: "identify.card_moved"}},
	{"identify-bad-code", Screen{State: "identify", NoticeID: "error.invalid_code"}},
	{"browse", Screen{State: "browse"}},
	{"browse-named-notice", Screen{State: "browse", NoticeID: "browse.title_named", NoticeArgs: map[string]any{"Name": "测*甲"}}},
	{"item", Screen{State: "item", Action: "apply", ItemName: kiosk.Text{ZH: "老年综合津贴申请", EN: "Senior citizens' comprehensive allowance"}}},
	{"item-book", Screen{State: "item", Action: "book", ItemName: kiosk.Text{ZH: "婚姻登记预约（结婚/离婚）", EN: "Marriage registration appointment"}}},
	{"item-ticket", Screen{State: "item", Action: "ticket", ItemName: kiosk.Text{ZH: "失业登记", EN: "Unemployment registration"}}},
	{"item-unavailable", Screen{State: "item", ItemName: kiosk.Text{ZH: "老年综合津贴申请", EN: "Senior citizens' comprehensive allowance"}, Notice: kiosk.Text{ZH: "打印机缺纸，暂不能办理此事项，请到人工窗口", EN: "The printer is out of paper: please go to the staffed counter"}}},
	{"form", Screen{State: "form", Step: 2, Steps: 4}},
	{"form-errors", Screen{State: "form", Step: 1, Steps: 3, Errors: []kiosk.Text{{ZH: "手机号码应为11位数字", EN: "A mobile number has 11 digits"}}}},
	{"review", Screen{State: "review"}},
	{"review-no-consent", Screen{State: "review", NoticeID: "review.consent_needed"}},
	{"sign", Screen{State: "sign"}},
	{"sign-empty", Screen{State: "sign", NoticeID: "sign.empty"}},
	{"submitting", Screen{State: "submitting"}},
	{"done", Screen{State: "done", Receipt: "XH0123-20261128-0042", Promise: 30}},
	{"done-queued-no-paper", Screen{State: "done", Receipt: "XH0123-20261128-0043", Promise: 2, Queued: true, NoticeID: "done.no_receipt"}},
	{"query", Screen{State: "query"}},
	{"query-status", Screen{State: "query", StatusID: "query.status_processing"}},
	{"query-not-found", Screen{State: "query", NoticeID: "query.not_found"}},
	{"ticket", Screen{State: "ticket", Ticket: "A017", Waiting: 3}},
	{"ticket-closed", Screen{State: "ticket", NoticeID: "ticket.closed", NoticeArgs: map[string]any{"Hours": "09:00-17:00"}}},
	{"appointment-booked", Screen{State: "appointment", Booked: "12月3日 星期四 09:30"}},
	{"appointment-choose-place", Screen{State: "appointment", ChoosePlace: true}},
	{"appointment-registry-days", Screen{State: "appointment", Place: "测试区婚姻登记处", PlaceAddress: "测试路200号"}},
	{"appointment-registry-booked", Screen{State: "appointment", Booked: "12月3日 星期四 09:30", Place: "测试区婚姻登记处", PlaceAddress: "测试路200号"}},
	{"review-booking", Screen{State: "review", BookingForm: true}},
	{"countdown-start", Screen{State: "form", Countdown: 30}},
	{"countdown-last", Screen{State: "form", Countdown: 10}},
	{"device-error", Screen{State: "browse", NoticeID: "error.no_paper"}},
	{"queue-full", Screen{State: "review", NoticeID: "error.queue_full"}},
	{"staff", Screen{State: "staff"}},
	{"item-query", Screen{State: "item", Action: "query", ItemName: kiosk.Text{ZH: "养老金情况查询", EN: "Your pension"}}},
	{"item-print", Screen{State: "item", Action: "print", ItemName: kiosk.Text{ZH: "户籍证明", EN: "Household registration certificate"}}},
	{"item-query-unconnected", Screen{State: "item", ItemName: kiosk.Text{ZH: "养老金情况查询", EN: "Your pension"}, NoticeID: "dept.query_not_connected"}},
	{"result-asking", Screen{State: "result", Phase: "asking"}},
	{"result-shown", Screen{State: "result", Phase: "shown", Title: kiosk.Text{ZH: "个人享受城镇基本养老金情况", EN: "Your basic urban pension"}}},
	{"result-failed", Screen{State: "result", Phase: "failed", NoticeID: "dept.failed_counter"}},
	{"document-printing", Screen{State: "document", Phase: "printing", Title: kiosk.Text{ZH: "户籍证明", EN: "Household registration certificate"}}},
	{"document-printed", Screen{State: "document", Phase: "printed", Title: kiosk.Text{ZH: "户籍证明", EN: "Household registration certificate"}, NoticeID: "dept.take_pages"}},
	{"document-no-paper", Screen{State: "document", Phase: "failed", NoticeID: "a4.no_paper"}},
}

func TestSpokenGolden(t *testing.T) {
	c := testComposer(t)
	for _, lang := range []kiosk.Lang{kiosk.LangZH, kiosk.LangEN} {
		var b strings.Builder
		for _, sc := range screens {
			s := sc.s
			s.Lang = lang
			if lang == kiosk.LangEN && s.Booked != "" {
				s.Booked = "3 December, 09:30" // as the UI writes it in English
			}
			fmt.Fprintf(&b, "== %s\n", sc.name)
			for _, p := range c.Prompts(s) {
				fmt.Fprintf(&b, "%s\n    → %s\n", p.Words, p.Input)
				if strings.Contains(p.Input, "{{") || strings.Contains(p.Words, "<no value>") || p.Words == p.ID {
					t.Errorf("%s (%s): a message spoken unfilled: %q", sc.name, lang, p.Words)
				}
			}
		}
		path := filepath.Join("testdata", "spoken."+string(lang)+".golden")
		if *update {
			if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test -update)", err)
		}
		if b.String() != string(want) {
			t.Errorf("what the screens say in %s changed; compare with go test -update and git diff %s\n%s", lang, path, b.String())
		}
	}
}

// TestNeverPersonal: a notice whose arguments carry a name, an ID number,
// a phone or an address is never spoken.
func TestNeverPersonal(t *testing.T) {
	c := testComposer(t)
	for _, arg := range []string{"Name", "IDNumber", "Phone", "Address"} {
		s := Screen{State: "browse", NoticeID: "browse.title_named", NoticeArgs: map[string]any{arg: "测*甲 310104********1234"}}
		for _, lang := range []kiosk.Lang{kiosk.LangZH, kiosk.LangEN} {
			s.Lang = lang
			for _, p := range c.Prompts(s) {
				if strings.Contains(p.Words, "测") || strings.Contains(p.Words, "1234") {
					t.Errorf("%s: spoke %q", arg, p.Words)
				}
			}
		}
	}
}

// TestEveryResidentTextInPinyin converts every resident-facing text (the
// screens' words and the item names) and checks the result is only
// syllables with tone numbers, spelled letters and pauses: nothing the
// pinyin voice would read by another language's rules.
func TestEveryResidentTextInPinyin(t *testing.T) {
	lex := mustLexicon(t)
	for id, text := range residentTexts(t) {
		in := lex.Pinyin(NormalizeZH(text))
		for _, w := range strings.Fields(strings.NewReplacer(",", " ", ".", " ").Replace(in)) {
			if !syllablePattern.MatchString(w) && !(len(w) == 1 && w[0] >= 'A' && w[0] <= 'Z') {
				t.Errorf("%s: %q → %q: %q is neither a toned syllable nor a spelled letter", id, text, in, w)
			}
		}
	}
}

func TestCountdownCue(t *testing.T) {
	base := Screen{State: "form", Step: 1, Steps: 2}
	a, b := base, base
	a.Countdown, b.Countdown = 30, 29
	if cue(a) != cue(b) {
		t.Error("each second of the countdown would restart speech")
	}
	b.Countdown = 10
	if cue(a) == cue(b) {
		t.Error("the last ten seconds are not spoken")
	}
	if cue(base) == cue(a) {
		t.Error("the countdown appearing is not spoken")
	}
}

// TestMessageNoticeSpoken: a notice that is a message (kiosk.Msg, what the
// adapters' errors carry) is spoken in the catalog's words, with its fields
// and nested messages, in each language; a new message is a new cue.
func TestMessageNoticeSpoken(t *testing.T) {
	c := testComposer(t)
	notice := kiosk.Msg("printer.receipt_not_printed", "Fault", kiosk.Msg("printer.fault_no_paper"))
	zh := c.Prompt(kiosk.LangZH, Line{Text: notice})
	en := c.Prompt(kiosk.LangEN, Line{Text: notice})
	if !strings.HasPrefix(zh.Words, "打印机没有纸了，回执没有打印出来。") || !strings.HasPrefix(en.Words, "The printer is out of paper, so your receipt") {
		t.Errorf("spoken %q / %q", zh.Words, en.Words)
	}
	a := Screen{State: "done", Lang: kiosk.LangZH, Notice: notice}
	b := a
	b.Notice = kiosk.Msg("printer.receipt_not_printed", "Fault", kiosk.Msg("printer.fault_cover"))
	if cue(a) == cue(b) || cue(a) == cue(Screen{State: "done", Lang: kiosk.LangZH}) {
		t.Error("a different message notice must be a different cue")
	}
	if lines := Script(a); !slices.ContainsFunc(lines, func(l Line) bool { return l.Text == notice }) {
		t.Errorf("a message notice is not spoken: %+v", lines)
	}
}
