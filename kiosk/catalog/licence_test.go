package catalog

import (
	"errors"
	"strings"
	"testing"
)

// TestLicenceAndTerminalMaterials: a document the e-licence library
// supplies must be marked 免交 under its code on every item, and a paper
// signed on the terminal marked so, only where the resident applies here.
func TestLicenceAndTerminalMaterials(t *testing.T) {
	const at = `"after_done": {"zh": "领卡"},`
	mats := func(js string) string { return at + "\n  \"materials\": [" + js + "]," }
	tests := []struct {
		name, materials, want string // want: part of the problem; empty: none
	}{
		{"ID card marked", `{"name": {"zh": "居民身份证"}, "required": true, "from_licence_library": true, "licence_catalog_code": "310105109000100"}`, ""},
		{"ID card not marked", `{"name": {"zh": "居民身份证"}, "required": true}`, "mark it from_licence_library"},
		{"hukou under the ID card's code", `{"name": {"zh": "户口簿或户籍证明"}, "required": true, "from_licence_library": true, "licence_catalog_code": "310105109000100"}`, "310105105000100"},
		{"marriage certificate original not marked", `{"name": {"zh": "结婚证原件"}, "required": true}`, "310105127000101"},
		{"免交 without a code", `{"name": {"zh": "残疾人证"}, "required": true, "from_licence_library": true}`, "name the catalog code"},
		{"signed here, marked", `{"name": {"zh": "申请表（在本机填写并签名）"}, "required": true, "at_terminal": true}`, ""},
		{"signed here, not marked", `{"name": {"zh": "申请表（在本机填写并签名）"}, "required": true}`, "mark it at_terminal"},
		{"a guardian's card is not the applicant's", `{"name": {"zh": "监护人居民身份证"}, "required": true}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Load(edit("items/mz/item-a.json", at, mats(tt.materials)))
			if tt.want == "" {
				if err != nil {
					t.Fatalf("refused: %v", err)
				}
				return
			}
			var le *LoadError
			if !errors.As(err, &le) {
				t.Fatalf("loaded, want a problem about %q (err %v)", tt.want, err)
			}
			for _, p := range le.Problems {
				if strings.Contains(p.Msg, tt.want) && strings.HasPrefix(p.Field, "materials[0]") {
					return
				}
			}
			t.Fatalf("want a problem about %q, got %v", tt.want, le.Problems)
		})
	}
	// Signed on the terminal on an item the resident cannot apply for here.
	guide := edit("items/rs/item-b.json", `"after_done": {"zh": "当场显示"},`,
		`"after_done": {"zh": "当场显示"}, "materials": [{"name": {"zh": "授权书（在本机签名）"}, "required": true, "at_terminal": true}],`)
	if _, err := Load(guide); err == nil || !strings.Contains(err.Error(), "cannot apply for this item here") {
		t.Errorf("at_terminal on a query item: err = %v", err)
	}
}
