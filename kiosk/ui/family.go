package ui

import (
	"encoding/json"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/form"
)

// The household-member editor's fields, as u.field names them.
const (
	memberName = "member:name"
	memberID   = "member:id"
)

// familyScreen is a form page holding a household-member list (it always
// has a page of its own): the list, with 修改 and 删除 for each member and
// 添加家庭成员, or, while one member is open (u.member, 1-based), that
// member's name, relation and ID number. The answer is the JSON of
// []form.Member, as the form engine reads it.
func (u *Screens) familyScreen(f kiosk.Field) fyne.CanvasObject {
	v := u.view
	sz := u.sz()
	ms := u.members(f.ID)
	if u.member > len(ms) {
		u.member = 0
	}
	title := ""
	if v.Item != nil {
		title = u.tr(v.Item.Name)
	}
	head := container.NewVBox(u.text(u.t("common.step", map[string]any{"Step": v.Page + 1, "Total": v.Pages}), sz.body, u.c.secondary, false))
	if u.member == 0 {
		u.keypadBeside = false
		head.Add(u.wrapped(u.tr(f.Label), sz.body, u.c.text, true, u.textWidth()))
		var rows []fyne.CanvasObject
		for i, m := range ms {
			i := i
			line := u.t("family.member_line", map[string]any{"N": i + 1, "Relation": relationName(u, m.Relation), "Name": m.Name, "ID": kiosk.MaskNumber(m.IDNumber)})
			edit := u.secondary(u.t("family.change"), func() { u.openMember(i + 1) })
			remove := u.secondary(u.t("family.remove"), func() { u.putMembers(f.ID, append(ms[:i:i], ms[i+1:]...)) })
			room := u.textWidth() - edit.MinSize().Width - remove.MinSize().Width - 6*sz.gap
			rows = append(rows, u.panel(container.NewBorder(nil, nil, nil, container.NewHBox(edit, remove), u.wrapped(line, sz.body, u.c.text, false, room))))
		}
		if len(ms) == 0 {
			hint := u.t("family.none_yet")
			if !f.Required {
				hint = u.t("family.alone_ok")
			}
			rows = append(rows, u.wrapped(hint, sz.body, u.c.secondary, false, u.textWidth()))
		}
		if e, ok := v.FieldErrors[f.ID]; ok {
			rows = append(rows, u.wrapped(u.tr(e), sz.body, u.c.errorText, false, u.textWidth()))
		}
		max := 10
		if f.Max != nil {
			max = *f.Max
		}
		if len(ms) < max {
			rows = append(rows, container.NewHBox(u.secondary(u.t("family.add"), func() {
				u.putMembers(f.ID, append(ms, form.Member{}))
				u.openMember(len(ms) + 1)
			}), layout.NewSpacer()))
		}
		return u.frame(title, container.NewBorder(head, nil, nil, nil, u.paged(rows...)), true, u.primary(u.t("common.next"), u.s.Next))
	}

	// One member a page. The form's notice is about the list, not this
	// member: it shows there again.
	u.noticeAbove = true
	i := u.member - 1
	m := ms[i]
	if u.field != memberName && u.field != memberID {
		u.field = memberName
	}
	head.Add(u.text(u.t("family.member_title", map[string]any{"N": u.member}), sz.button, u.c.primary, true))
	// The keyboard first: beside the fields in landscape, it sets the
	// width the relation buttons may take.
	kind, limit := kbText, 30
	if u.field == memberID {
		kind, limit = kbDigitsX, 18
	}
	u.keypadBeside = u.landscape()
	kb := u.keyboardOf(kind, &memberTarget{u: u, field: f.ID, index: i, id: u.field == memberID, max: limit})
	u.besideWidth = 0
	if u.keypadBeside {
		u.besideWidth = kb.MinSize().Width + 2*sz.gap
	}
	rows := []fyne.CanvasObject{u.text(u.t("family.name"), sz.body, u.c.text, true), u.valueBox(memberName, m.Name),
		u.text(u.t("family.id_number"), sz.body, u.c.text, true), u.valueBox(memberID, m.IDNumber),
		u.text(u.t("family.relation"), sz.body, u.c.text, true)}
	rels := form.Relations()
	labels := make([]string, len(rels))
	chosen := -1
	for k, r := range rels {
		labels[k] = u.tr(r.Label)
		if r.Value == m.Relation {
			chosen = k
		}
	}
	rows = append(rows, u.choiceGrid(labels, chosen, func(k int) {
		ms := u.members(f.ID)
		ms[i].Relation = rels[k].Value
		u.putMembers(f.ID, ms)
	})...)
	fields := u.paged(rows...)
	body := container.NewBorder(head, kb, nil, nil, fields)
	if u.keypadBeside {
		body = container.NewBorder(nil, nil, nil, container.NewCenter(kb), container.NewBorder(head, nil, nil, nil, fields))
	}
	remove := u.secondary(u.t("family.remove"), func() {
		u.putMembers(f.ID, append(ms[:i:i], ms[i+1:]...))
		u.openMember(0)
	})
	return u.frame(title, body, true, remove, u.primary(u.t("family.done"), func() { u.openMember(0) }))
}

// openMember shows member n (1-based) in the editor, or the list (0).
func (u *Screens) openMember(n int) {
	u.member, u.field, u.subPage = n, "", 0
	u.redraw()
}

// members reads the household-member answer of field.
func (u *Screens) members(field string) []form.Member {
	var ms []form.Member
	_ = json.Unmarshal([]byte(u.s.View().Answers[field]), &ms) // empty or foreign: no one yet
	return ms
}

// putMembers stores the household-member answer of field; an empty list
// is stored as no answer, so a required list still asks for a member.
func (u *Screens) putMembers(field string, ms []form.Member) {
	val := ""
	if len(ms) > 0 {
		b, _ := json.Marshal(ms)
		val = string(b)
	}
	u.s.SetAnswer(field, val)
	u.redrawLater()
}

// relationName is a relation's words, or nothing while none is chosen.
func relationName(u *Screens, value string) string {
	for _, r := range form.Relations() {
		if r.Value == value {
			return u.tr(r.Label)
		}
	}
	return ""
}

// memberTarget types a member's name or ID number.
type memberTarget struct {
	u     *Screens
	field string
	index int
	id    bool // the ID number, not the name
	max   int
}

func (t *memberTarget) edit(f func([]rune) []rune) {
	ms := t.u.members(t.field)
	if t.index >= len(ms) {
		return
	}
	m := &ms[t.index]
	cur := &m.Name
	if t.id {
		cur = &m.IDNumber
	}
	*cur = string(f([]rune(*cur)))
	t.u.putMembers(t.field, ms)
}

func (t *memberTarget) Append(r rune) {
	t.edit(func(cur []rune) []rune {
		if len(cur) >= t.max {
			return cur
		}
		return append(cur, r)
	})
}

func (t *memberTarget) Backspace() {
	t.edit(func(cur []rune) []rune {
		if len(cur) == 0 {
			return cur
		}
		return cur[:len(cur)-1]
	})
}

func (t *memberTarget) Clear() { t.edit(func([]rune) []rune { return nil }) }
