package i18n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/tongban/tongban/kiosk"
)

// One source of resident words: what a resident reads or hears comes from
// locales/*.json (or from data that is bilingual by nature: the services
// catalog, the back office's answers). The tests below walk every Go file
// of the module, tests excepted.

// residentTextAllowed lists the Go files where a Han character in a string
// literal is not resident text, with the reason. An entry is a folder
// (ending in /, everything under it), a file, or a file with the literals
// allowed in it. Non-Go files (the catalogs here, the services catalog,
// the voice lexicon) are data and are not walked.
var residentTextAllowed = []struct {
	where    string
	literals []string
}{
	// The UI kit's own defaults, for a widget used outside the screens
	// (the screens pass the catalog's words).
	{where: "kiosk/ui/keyboard/config.go"},

	// The back office console's staff-facing pages have their own words.
	{where: "backoffice/console/"},
	// A printed A4 document's layout labels and its public verification
	// page are the back office's, set in both languages where they stand.
	{where: "backoffice/document/"},
	// Operator and developer tools, not the resident's screens: the
	// simulated-devices panel beside the kiosk window, the window title and
	// the font probe of cmd/kiosk, and kioskctl's command line.
	{where: "cmd/kiosk/panel.go"},
	{where: "cmd/kiosk/screen.go", literals: []string{"通办自助服务", "通办 Tongban"}},
	{where: "cmd/kioskctl/"},
	// Installing from the stick to the internal disk is the technician's
	// screen, in both languages in its own words.
	{where: "kiosk/ui/install/words.go"},
	// The first-boot set-up speaks to the technician, not to residents.
	{where: "kiosk/ui/setup/words.go"},
	// Technician mode speaks to the technician too; its diagnostics cleaner
	// matches a name's label, and a reset refused names the staff menu's
	// button the technician must ask staff to press.
	{where: "kiosk/ui/techmode/words.go"},
	{where: "kiosk/technician/diagnostics.go", literals: []string{`(姓名|name)[:：=\s]*\p{Han}{2,4}`}},
	{where: "kiosk/technician/reset.go", literals: []string{"%d set aside by the back office: have staff resolve them (staff menu, 重新发送) or the back office console"}},
	// Simulated devices and synthetic fixtures: clearly fake cards,
	// residents and submissions (测试甲), never shown as the program's words.
	{where: "devices/sim/"},
	{where: "kiosk/kiosktest/"},
	{where: "internal/cityload/"}, // the city benchmark's synthetic visits
	{where: "kiosk/receipt/sample.go"},
	// Card data decoding: GB 3304 nation names, the sex codes and 长期 as
	// the card writes them.
	{where: "devices/idcard/codes.go"},
	{where: "devices/idcard/text.go", literals: []string{"长期"}},
	// The printer's test pattern: a line of Chinese characters to fill the
	// paper width, and the style samples printed in both scripts at once.
	{where: "kiosk/receipt/selftest.go", literals: []string{"<左 left", "中 center", "right 右>"}},
	{where: "kiosk/receipt/words.go", literals: []string{"汉字满行测试汉字满行测试汉字满行测试汉字满行测试"}},
	// A center's name is data (its configuration); the suffix only shortens
	// it to fit the paper.
	{where: "kiosk/receipt/acceptance.go", literals: []string{"社区事务受理服务中心"}},
	{where: "kiosk/config/config.go", literals: []string{"徐汇区示例街道社区事务受理服务中心"}},
	// Reading what residents type or cards carry: 是/否, 男/女, dates such
	// as 1958年3月1日, an address starting 上海.
	{where: "kiosk/form/values.go", literals: []string{"2006年1月2日", "是", "否"}},
	{where: "kiosk/form/spec.go", literals: []string{"男", "女"}},
	{where: "kiosk/form/display.go", literals: []string{"男", "女"}},
	{where: "kiosk/form/form.go", literals: []string{"男", "女"}},
	{where: "kiosk/catalog/eligibility.go", literals: []string{"上海"}},
	// Data formats of other systems: the licence service's holder types.
	{where: "backoffice/licences.go", literals: []string{"居民身份证", "统一社会信用代码", "holderType must be 居民身份证 or 统一社会信用代码"}},
	{where: "backoffice/counter.go", literals: []string{"居民身份证"}},
	{where: "kiosk/uplink/services.go", literals: []string{"居民身份证"}},
	// The catalog's name of the applicant's own card, matched to leave it
	// off a receipt once the reader has read it.
	{where: "kiosk/flow/receipt.go", literals: []string{"原件", "居民身份证", "身份证", "本人身份证", "本人居民身份证", "申请人身份证",
		"申请人居民身份证", "居民身份证或社会保障卡", "代办人居民身份证", "代办人身份证"}},
	// The catalog's names of the documents the e-licence library supplies,
	// and of papers signed on the terminal, matched to check the items.
	{where: "kiosk/catalog/licence.go", literals: []string{"居民身份证", "户口簿", "户口簿或户籍证明", "结婚证", "出生医学证明", "原件", "在本机"}},
	// Amounts of money written into an item's texts, refused by the check.
	{where: "kiosk/catalog/basis.go", literals: []string{`[0-9０-９][0-9０-９,，.]*\s*(元|yuan\b)`}},
	// The in-process back office's demonstration licences (data).
	{where: "backoffice/local.go"},
	{where: "backoffice/connector/"}, // departments' answers and the synthetic demonstration data
	{where: "backoffice/departments.go", literals: []string{
		"本中心暂未开通此查询，请到人工窗口: this item's query is not connected at this center; the resident goes to the counter",
		"本中心暂未开通此证明打印，请到人工窗口: this item's document is not connected at this center; the resident goes to the counter",
	}},
	// Errors for the catalog's author, who edits the item files, not for a
	// resident: a mode name, and how to quote Chinese in a rule.
	{where: "kiosk/catalog/validate.go", literals: []string{"unknown 全市通办 mode %q"}},
	// The catalog check's promise words: phrases looked for in the item
	// files, and the author's errors naming them.
	{where: "kiosk/catalog/promise.go", literals: []string{"打印", "显示在屏幕", "屏幕上", "屏幕会", "本机预约", "在本机预约",
		"打印受理回执", "打印回执", "打印预约凭证", "可点“打印”", "当场生效", "立即生效", "即时生效", "马上生效", "当场完成",
		"当场办结", "带齐材料", "\"当场办结\" is promised, but the terminal does not finish this item on the spot",
		"\"带齐材料\" asks for materials, but none are listed (the screen would say 无需额外材料)"}},
	{where: "kiosk/rule/lex.go", literals: []string{`names are written in English letters; text, Chinese included, goes in double quotes: "上海"`}},
	// Staff-facing device detail (DeviceStatus.Detail): the technician's
	// words, sent to the console, never on a resident's screen.
	{where: "kiosk/hardware/manager.go", literals: []string{"正在检测"}},
	{where: "kiosk/hardware/supervise.go"},
	{where: "kiosk/hardware/printer.go", literals: []string{
		"打印机没有应答 (no status answer)", "切刀或打印机故障 (cutter or printer fault)", "打印机盖打开 (cover open)",
		"缺纸 (paper out)", "卡纸 (paper jam)", "打印机离线 (offline)", "写入失败 (write failed)",
	}},
	{where: "kiosk/hardware/a4printer.go"},
	// Speech: how digits, dates and sums are read aloud.
	{where: "kiosk/voice/"},
}

// moduleRoot is the folder holding go.mod, two levels up from here.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s: %v", root, err)
	}
	return root
}

// goFiles parses every Go file of the module but tests, keyed by its
// slash path from the module root.
func goFiles(t *testing.T) (map[string]*ast.File, *token.FileSet) {
	t.Helper()
	root := moduleRoot(t)
	fset := token.NewFileSet()
	files := map[string]*ast.File{}
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (strings.HasPrefix(name, ".") || name == "testdata" || name == "vendor" || name == "node_modules") {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, parser.SkipObjectResolution)
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, path)
		files[filepath.ToSlash(rel)] = f
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(files) < 100 {
		t.Fatalf("only %d Go files under %s: the walk missed the module", len(files), root)
	}
	return files, fset
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// hanLiteral is a string literal with a Han character in it.
type hanLiteral struct {
	file, value string
	pos         token.Position
}

func hanLiterals(files map[string]*ast.File, fset *token.FileSet) []hanLiteral {
	var out []hanLiteral
	for path, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && hasHan(s) {
				out = append(out, hanLiteral{path, s, fset.Position(lit.Pos())})
			}
			return true
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].pos.String() < out[j].pos.String() })
	return out
}

// allowedAt returns the index of the allowlist entry covering l, or -1.
func allowedAt(l hanLiteral) int {
	for i, a := range residentTextAllowed {
		covers := a.where == l.file || (strings.HasSuffix(a.where, "/") && strings.HasPrefix(l.file, a.where))
		if covers && (len(a.literals) == 0 || slices.Contains(a.literals, l.value)) {
			return i
		}
	}
	return -1
}

// TestNoInlineResidentText forbids resident text in Go code: a Han
// character in a string literal outside the allowlist. Resident words go
// in locales/*.json and are used as kiosk.Msg("id", ...). An allowlist
// entry that no longer matches anything must go, so the list only shrinks.
func TestNoInlineResidentText(t *testing.T) {
	files, fset := goFiles(t)
	used := make([]bool, len(residentTextAllowed))
	for _, l := range hanLiterals(files, fset) {
		i := allowedAt(l)
		if i < 0 {
			t.Errorf("%s: resident text %q in Go code: put it in kiosk/i18n/locales (zh and en) and use kiosk.Msg", l.pos, l.value)
			continue
		}
		used[i] = true
	}
	for i, a := range residentTextAllowed {
		if !used[i] {
			t.Errorf("allowlist entry %q %q matches nothing: remove it", a.where, a.literals)
		}
	}
}

// TestAllowlistCatchesNewText: the check would see a new sentence in an
// allowlisted file that allows only certain literals, and in any other.
func TestAllowlistCatchesNewText(t *testing.T) {
	for _, l := range []hanLiteral{
		{file: "kiosk/hardware/words.go", value: "请取走您的身份证"},
		{file: "kiosk/hardware/printer.go", value: "打印机没有纸了"},
		{file: "kiosk/form/values.go", value: "请填写"},
		{file: "kiosk/flowx/session.go", value: "请稍候"},
	} {
		if allowedAt(l) >= 0 {
			t.Errorf("%s %q is allowed", l.file, l.value)
		}
	}
	if allowedAt(hanLiteral{file: "kiosk/flow/session.go", value: "请取走您的身份证。"}) >= 0 {
		t.Error("kiosk/flow is converted: a literal in it must not be allowed")
	}
}

// msgCall is one kiosk.Msg call found in the code.
type msgCall struct {
	pos     token.Position
	id      string // the literal ID, or the literal prefix of a formatted one
	dynamic bool   // id is only the prefix: fmt.Sprintf("month.%d", m)
	names   []string
	bad     string // why the call cannot be checked
}

// msgCalls finds every kiosk.Msg (Msg inside package kiosk) call.
func msgCalls(files map[string]*ast.File, fset *token.FileSet) []msgCall {
	var out []msgCall
	for _, f := range files {
		inKiosk := f.Name.Name == "kiosk"
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || !isMsg(call.Fun, inKiosk) {
				return true
			}
			c := msgCall{pos: fset.Position(call.Pos())}
			switch {
			case len(call.Args) == 0:
				c.bad = "no message ID"
			case literal(call.Args[0]) != nil:
				c.id = *literal(call.Args[0])
			case sprintfPrefix(call.Args[0]) != "":
				c.id, c.dynamic = sprintfPrefix(call.Args[0]), true
			default:
				c.bad = "the message ID is not a literal, so no test can check it"
			}
			if len(call.Args)%2 == 0 {
				c.bad = "arguments must come in name, value pairs"
			}
			for i := 1; i+1 < len(call.Args); i += 2 {
				name := literal(call.Args[i])
				if name == nil {
					c.bad = "an argument name is not a literal"
					break
				}
				c.names = append(c.names, *name)
			}
			if len(c.names) > kiosk.MaxArgs {
				c.bad = "more arguments than kiosk.MaxArgs"
			}
			out = append(out, c)
			return true
		})
	}
	return out
}

func isMsg(fun ast.Expr, inKiosk bool) bool {
	switch f := fun.(type) {
	case *ast.SelectorExpr:
		x, ok := f.X.(*ast.Ident)
		return ok && x.Name == "kiosk" && f.Sel.Name == "Msg"
	case *ast.Ident:
		return inKiosk && f.Name == "Msg"
	}
	return false
}

func literal(e ast.Expr) *string {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return nil
	}
	s, err := strconv.Unquote(lit.Value)
	if err != nil {
		return nil
	}
	return &s
}

// sprintfPrefix returns "month." for fmt.Sprintf("month.%d", ...).
func sprintfPrefix(e ast.Expr) string {
	call, ok := e.(*ast.CallExpr)
	if !ok || len(call.Args) < 2 {
		return ""
	}
	sel, ok := call.Fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "Sprintf" {
		return ""
	}
	if x, ok := sel.X.(*ast.Ident); !ok || x.Name != "fmt" {
		return ""
	}
	format := literal(call.Args[0])
	if format == nil {
		return ""
	}
	prefix, _, _ := strings.Cut(*format, "%")
	return prefix
}

// TestMessagesUsedInCode: every message a kiosk.Msg call names exists in
// both languages, and the call gives exactly the fields its words use.
func TestMessagesUsedInCode(t *testing.T) {
	files, fset := goFiles(t)
	zh, en := rawMessages(t, kiosk.LangZH), rawMessages(t, kiosk.LangEN)
	calls := msgCalls(files, fset)
	if len(calls) < 50 {
		t.Fatalf("only %d kiosk.Msg calls found: the walk is broken", len(calls))
	}
	for _, c := range calls {
		if c.bad != "" {
			t.Errorf("%s: kiosk.Msg(%q): %s", c.pos, c.id, c.bad)
			continue
		}
		if c.dynamic {
			found := false
			for id := range zh {
				if _, inEN := en[id]; inEN && strings.HasPrefix(id, c.id) {
					found = true
				}
			}
			if !found {
				t.Errorf("%s: no message starts with %q in both languages", c.pos, c.id)
			}
			continue
		}
		zforms, okZH := zh[c.id]
		eforms, okEN := en[c.id]
		if !okZH || !okEN {
			t.Errorf("%s: message %q missing (zh %v, en %v)", c.pos, c.id, okZH, okEN)
			continue
		}
		want := fields(zforms)
		for _, f := range fields(eforms) {
			if !slices.Contains(want, f) {
				want = append(want, f)
			}
		}
		got := slices.Clone(c.names)
		sort.Strings(got)
		sort.Strings(want)
		if !slices.Equal(got, want) {
			t.Errorf("%s: kiosk.Msg(%q) gives fields %v, its words use %v", c.pos, c.id, got, want)
		}
	}
}

// TestMsgCallChecks: the call checker refuses what it cannot vouch for.
func TestMsgCallChecks(t *testing.T) {
	src := `package x
import ("fmt"; "kiosk")
var id = "a"
var (
	a = kiosk.Msg("attract.start")
	b = kiosk.Msg(id)
	c = kiosk.Msg("countdown.seconds", "Count")
	d = kiosk.Msg("countdown.seconds", id, 2)
	e = kiosk.Msg(fmt.Sprintf("month.%d", 3))
	f = kiosk.Msg("a", "A", 1, "B", 2, "C", 3, "D", 4, "E", 5)
)`
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "x.go", src, 0)
	if err != nil {
		t.Fatal(err)
	}
	calls := msgCalls(map[string]*ast.File{"x.go": f}, fset)
	sort.Slice(calls, func(i, j int) bool { return calls[i].pos.Offset < calls[j].pos.Offset })
	var bad []bool
	for _, c := range calls {
		bad = append(bad, c.bad != "")
	}
	if want := []bool{false, true, true, true, false, true}; !slices.Equal(bad, want) {
		t.Errorf("refused %v, want %v", bad, want)
	}
	if len(calls) == 6 && (!calls[4].dynamic || calls[4].id != "month.") {
		t.Errorf("formatted ID: %+v", calls[4])
	}
}
