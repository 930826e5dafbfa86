package catalog

import (
	"strings"
	"testing/fstest"
)

// A small valid catalog; tests break one file at a time.
const (
	fixMeta = `{
  "version": "test-1",
  "effective": "2026-01-01",
  "title": {"zh": "测试目录"},
  "sources": {"W": "test source"}
}
`
	fixDepartments = `[
  {"code": "MZ", "name": {"zh": "民政"}, "order": 1},
  {"code": "RS", "name": {"zh": "人社"}, "order": 2}
]
`
	fixLifeEvents = `[
  {"id": "elderly", "name": {"zh": "养老"}, "order": 1}
]
`
	fixParams = `{
  "tables": [
    {"name": "dibao_standard", "label": {"zh": "低保标准"}, "unit": "CNY",
     "values": [{"from": "2020-04-01", "value": 1240}, {"from": "2025-07-01", "value": 1650}]},
    {"name": "senior_allowance", "label": {"zh": "老年综合津贴"}, "unit": "CNY", "key": "age",
     "values": [{"from": "2016-04-01", "tiers": [{"min": 65, "value": 75}, {"min": 70, "value": 150}]}]}
  ]
}
`
	fixItemA = `{
  "code": "item-a",
  "name": {"zh": "老年综合津贴申请", "en": "Senior allowance"},
  "summary": {"zh": "每月津贴", "en": "A monthly allowance"},
  "department": "MZ",
  "actions": ["apply"],
  "who_can_apply": {"zh": "年满65周岁的本市户籍市民"},
  "promise": {"days": 30, "unit": "working-days"},
  "after_done": {"zh": "领卡"},
  "form": [
    {"id": "name", "type": "text", "label": {"zh": "姓名"}, "prefill": "name"},
    {"id": "same_address", "type": "yesno", "label": {"zh": "住址相同吗"}},
    {"id": "live_address", "type": "address", "label": {"zh": "现住址"}, "visible_if": "same_address == \"no\""},
    {"id": "consent", "type": "consent", "label": {"zh": "同意"}}
  ],
  "life_events": ["elderly"],
  "type": "05",
  "service_object": ["1"],
  "tongban": {"city_wide": true, "mode": "direct"},
  "accept_condition": {"zh": "年满65周岁"},
  "rules": [
    {"when": "hukou == \"shanghai\"", "reason": {"zh": "只限本市户籍"}},
    {"when": "age >= 65", "reason": {"zh": "未满65周岁"}, "instead_item": "item-b"}
  ],
  "result": {"type": "30"},
  "auth": ["idcard"],
  "related": ["item-b"],
  "sources": ["W"],
  "inferred": ["promise"]
}
`
	fixItemB = `{
  "code": "item-b",
  "name": {"zh": "养老金领取资格认证", "en": "Pension check"},
  "summary": {"zh": "每年认证", "en": "Yearly check"},
  "department": "RS",
  "actions": ["query"],
  "who_can_apply": {"zh": "本人"},
  "promise": {"days": 0},
  "after_done": {"zh": "当场显示"},
  "type": "20",
  "service_object": ["1"],
  "tongban": {"city_wide": true},
  "accept_condition": {"zh": "本人"},
  "result": {"type": "99"}
}
`
)

func fixture() fstest.MapFS {
	return fstest.MapFS{
		"catalog.json":         {Data: []byte(fixMeta)},
		"departments.json":     {Data: []byte(fixDepartments)},
		"life_events.json":     {Data: []byte(fixLifeEvents)},
		"parameters.json":      {Data: []byte(fixParams)},
		"items/mz/item-a.json": {Data: []byte(fixItemA)},
		"items/rs/item-b.json": {Data: []byte(fixItemB)},
	}
}

// withFile returns the fixture with one file replaced.
func withFile(name, data string) fstest.MapFS {
	m := fixture()
	m[name] = &fstest.MapFile{Data: []byte(data)}
	return m
}

// edit replaces the first occurrence of old in a fixture file.
func edit(file, old, new string) fstest.MapFS {
	m := fixture()
	s := string(m[file].Data)
	if !strings.Contains(s, old) {
		panic("fixture edit: " + old + " not in " + file)
	}
	m[file] = &fstest.MapFile{Data: []byte(strings.Replace(s, old, new, 1))}
	return m
}
