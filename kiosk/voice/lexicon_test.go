package voice

import (
	"encoding/json"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"

	"github.com/tongban/tongban/kiosk/catalog"
	"github.com/tongban/tongban/kiosk/pinyin"
	servicescatalog "github.com/tongban/tongban/services-catalog"
)

var templateField = regexp.MustCompile(`\{\{[^}]*\}\}`)

// residentTexts returns every Chinese text a resident can be told: the
// screens' words (kiosk/i18n/locales/zh.json, template fields removed)
// and the catalog's item names.
func residentTexts(t *testing.T) map[string]string {
	t.Helper()
	raw, err := os.ReadFile("../i18n/locales/zh.json")
	if err != nil {
		t.Fatal(err)
	}
	var msgs map[string]json.RawMessage
	if err := json.Unmarshal(raw, &msgs); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for id, m := range msgs {
		var s string
		if json.Unmarshal(m, &s) == nil {
			out[id] = templateField.ReplaceAllString(s, "")
			continue
		}
		var plural map[string]string
		if err := json.Unmarshal(m, &plural); err != nil {
			t.Fatalf("%s: %v", id, err)
		}
		for form, s := range plural {
			out[id+"#"+form] = templateField.ReplaceAllString(s, "")
		}
	}
	cat, err := catalog.Load(servicescatalog.FS())
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range cat.Items() {
		out["item:"+string(it.Code)] = it.Name.ZH
	}
	return out
}

func mustLexicon(t testing.TB) *Lexicon {
	t.Helper()
	l, err := LoadLexicon()
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// TestPolyphonesReviewed fails when a character with more than one reading
// appears in a resident-facing text and the lexicon has no reviewed
// reading for it, alone or in a phrase rule.
func TestPolyphonesReviewed(t *testing.T) {
	lex := mustLexicon(t)
	texts := residentTexts(t)
	ids := make([]string, 0, len(texts))
	for id := range texts {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	missing := map[rune][]string{}
	reviewed := map[rune]bool{}
	for _, id := range ids {
		for _, r := range lex.Unreviewed(texts[id]) {
			missing[r] = append(missing[r], id)
		}
		for _, r := range texts[id] {
			if len(lex.Unreviewed(string(r))) == 0 && polyphone(r) {
				reviewed[r] = true
			}
		}
	}
	for r, where := range missing {
		t.Errorf("%c has several readings and no reviewed one in lexicon.txt (in %s)", r, strings.Join(where, ", "))
	}
	if len(missing) == 0 {
		t.Logf("%d polyphone characters in %d resident-facing texts, all reviewed", len(reviewed), len(texts))
	}
}

func TestLexiconPhraseRules(t *testing.T) {
	lex := mustLexicon(t)
	tests := []struct{ in, want string }{
		{"重度残疾", "zhong4 du4 can2 ji2"},
		{"请重新放好", "qing3 chong2 xin1 fang4 hao3"},
		{"重写", "chong2 xie3"},
		{"银行卡", "yin2 hang2 ka3"},
		{"行动不便", "xing2 dong4 bu2 bian4"},
		{"长者模式", "zhang3 zhe3 mo2 shi4"},
		{"长期居住", "chang2 qi1 ju1 zhu4"},
		{"还剩十秒", "hai2 sheng4 shi2 miao3"},
		{"便民服务", "bian4 min2 fu2 wu4"},
		{"感应区", "gan3 ying4 qu1"},
		{"需要处理", "xu1 yao4 chu3 li3"},
		{"门牌号（路、弄、号、室）", "men2 pai2 hao4, lu4, long4, hao4, shi4"},
		{"请将身份证放在感应区", "qing3 jiang1 shen1 fen4 zheng4 fang4 zai4 gan3 ying4 qu1"},
		{"您还需要继续办理吗？", "nin2 hai2 xu1 yao4 ji4 xu4 ban4 li3 ma5"},
		{"女儿", "nv3 er2"},
		{"请不要移动", "qing3 bu2 yao4 yi2 dong4"},
		{"不能", "bu4 neng2"},
		{"再试一次", "zai4 shi4 yi2 ci4"},
		{"一网通办", "yi4 wang3 tong1 ban4"},
		{"上一页", "shang4 yi2 ye4"},
		{"老年照护统一需求评估", "lao3 nian2 zhao4 hu4 tong3 yi1 xu1 qiu2 ping2 gu1"},
		{"第一步", "di4 yi1 bu4"},
		{"十一位", "shi2 yi1 wei4"},
		{"一二三", "yi1 er4 san1"},
		{"选一", "xuan3 yi1"},
		// 一 leading a hundred, thousand or ten thousand changes tone as
		// anywhere else (¥150 is said yi4 bai3 wu3 shi2 yuan2).
		{"一百五十元", "yi4 bai3 wu3 shi2 yuan2"},
		{"一千零一", "yi4 qian1 ling2 yi1"},
		{"一万", "yi2 wan4"},
		{"十一万", "shi2 yi1 wan4"},
		{"一百一十", "yi4 bai3 yi1 shi2"},
	}
	for _, tt := range tests {
		if got := lex.Pinyin(tt.in); got != tt.want {
			t.Errorf("Pinyin(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseLexiconErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"重新 chong2", "2 characters but 1 syllables"},
		{"重 chong", "not pinyin with a tone number"},
		{"重 bai2", "never read bai2"},
		{"重 zhong4\n重 chong2", "listed twice"},
		{"ab a1 b1", "not a Chinese character"},
	}
	for _, tt := range tests {
		_, err := ParseLexicon(strings.NewReader(tt.in), "test")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ParseLexicon(%q) = %v, want an error with %q", tt.in, err, tt.want)
		}
	}
}

func TestUnreviewed(t *testing.T) {
	lex, err := ParseLexicon(strings.NewReader("重新 chong2 xin1\n行 xing2"), "test")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ in, want string }{
		{"重新", ""},      // covered by the phrase
		{"重度", "重度"},    // neither 重 nor 度 (du4, duo2) is reviewed alone
		{"银行", ""},      // 行 is reviewed alone
		{"长者模式", "长模式"}, // 者 has one reading
		{"您好", "好"},
	}
	for _, tt := range tests {
		if got := string(lex.Unreviewed(tt.in)); got != tt.want {
			t.Errorf("Unreviewed(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzParseLexicon(f *testing.F) {
	f.Add("重新 chong2 xin1\n行 xing2\n# comment")
	f.Add(embeddedLexicon[:400])
	f.Fuzz(func(t *testing.T, src string) {
		l, err := ParseLexicon(strings.NewReader(src), "fuzz")
		if err != nil {
			return
		}
		for w, syl := range l.phrases {
			if len([]rune(w)) != len(syl) {
				t.Fatalf("%s has %d syllables", w, len(syl))
			}
		}
		_ = l.Pinyin("重新银行长者")
	})
}

// polyphone reports whether r has more than one reading.
func polyphone(r rune) bool { return len(pinyin.TonedReadings(r)) > 1 }
