package ui

import (
	"encoding/json"
	"unicode"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"

	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/form"
)

// The household-member editor's fields, as u.field names them.
const (
	memberName   = "member:name"
	memberID     = "member:id"
	memberCert   = "member:cert"   // a newborn's 出生医学证明 number
	memberIncome = "member:income" // monthly income, yuan
)

// familyScreen is a form page holding a household-member list (it always
// has a page of its own): the list, with 修改 and 删除 for each member and
// 添加家庭成员 (and 我独自生活 where the item takes a household of one), or,
// while one member is open (u.member, 1-based), that member's name, ID
// number (or a newborn's birth-certificate number), relation and the parts
// the item asks (户籍, 就业, 月收入, 残疾或重病). The answer is the JSON of
// []form.Member, as the form engine reads it; "[]" declares a household
// of one.
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
			line := u.memberLine(f, i+1, m)
			edit := u.secondary(u.t("family.change"), func() { u.openMember(i + 1) })
			remove := u.secondary(u.t("family.remove"), func() { u.putMembers(f.ID, append(ms[:i:i], ms[i+1:]...)) })
			room := u.textWidth() - edit.MinSize().Width - remove.MinSize().Width - 6*sz.gap
			rows = append(rows, u.panel(container.NewBorder(nil, nil, nil, container.NewHBox(edit, remove), u.wrapped(line, sz.body, u.c.text, false, room))))
		}
		aloneOK := f.Member != nil && f.Member.AloneOK
		alone := len(ms) == 0 && v.Answers[f.ID] == "[]"
		switch {
		case alone:
			rows = append(rows, u.panel(u.wrapped("✓  "+u.t("family.alone_chosen"), sz.body, u.c.text, true, u.textWidth())))
		case len(ms) == 0:
			hint := u.t("family.none_yet")
			switch {
			case aloneOK:
				hint = u.t("family.none_yet_alone")
			case !f.Required:
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
		buttons := container.NewHBox()
		if len(ms) < max {
			buttons.Add(u.secondary(u.t("family.add"), func() {
				u.putMembers(f.ID, append(ms, form.Member{}))
				u.openMember(len(ms) + 1)
			}))
		}
		if aloneOK && len(ms) == 0 && !alone {
			buttons.Add(u.secondary(u.t("family.alone"), func() {
				u.s.SetAnswer(f.ID, "[]")
				u.redrawLater()
			}))
		}
		buttons.Add(layout.NewSpacer())
		rows = append(rows, buttons)
		return u.frame(title, container.NewBorder(head, nil, nil, nil, u.paged(rows...)), true, u.primary(u.t("common.next"), u.s.Next))
	}

	// One member a page. The form's notice is about the list, not this
	// member: it shows there again.
	u.noticeAbove = true
	i := u.member - 1
	m := ms[i]
	spec := f.Member
	switch u.field {
	case memberName, memberID:
	case memberCert:
		if spec == nil || !spec.BirthCert {
			u.field = memberName
		}
	case memberIncome:
		if !spec.Asks(kiosk.MemberIncome) {
			u.field = memberName
		}
	default:
		u.field = memberName
	}
	head.Add(u.text(u.t("family.member_title", map[string]any{"N": u.member}), sz.button, u.c.primary, true))
	// The keyboard first: beside the fields in landscape, it sets the
	// width the relation buttons may take.
	kind, limit := kbText, 30
	switch u.field {
	case memberID:
		kind, limit = kbDigitsX, 18
	case memberCert:
		kind, limit = kbCode, 10
	case memberIncome:
		kind, limit = kbDigits, 9
	}
	u.keypadBeside = u.landscape()
	kb := u.keyboardOf(kind, &memberTarget{u: u, field: f.ID, index: i, part: u.field, max: limit})
	u.besideWidth = 0
	if u.keypadBeside {
		u.besideWidth = kb.MinSize().Width + 2*sz.gap
	}
	rows := []fyne.CanvasObject{u.text(u.t("family.name"), sz.body, u.c.text, true), u.valueBox(memberName, m.Name),
		u.text(u.t("family.id_number"), sz.body, u.c.text, true), u.valueBox(memberID, m.IDNumber)}
	if spec != nil && spec.BirthCert {
		rows = append(rows, u.wrapped(u.t("family.birth_cert"), sz.body, u.c.text, true, u.formWidth()),
			u.valueBox(memberCert, m.BirthCert))
	}
	rows = append(rows, u.text(u.t("family.relation"), sz.body, u.c.text, true))
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
	if spec != nil {
		for _, p := range spec.Parts {
			rows = append(rows, u.memberPartRows(f.ID, i, m, p)...)
		}
	}
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

// memberPartRows are the label and the choices (or the value box) of one
// part the item asks of member i.
func (u *Screens) memberPartRows(field string, i int, m form.Member, p kiosk.MemberPart) []fyne.CanvasObject {
	sz := u.sz()
	label := u.t("family.part_disability")
	switch p {
	case kiosk.MemberSex:
		label = u.t("family.part_sex")
	case kiosk.MemberHukou:
		label = u.t("family.part_hukou")
	case kiosk.MemberEmployment:
		label = u.t("family.part_employment")
	case kiosk.MemberIncome:
		label = u.t("family.part_income")
	}
	rows := []fyne.CanvasObject{u.wrapped(label, sz.body, u.c.text, true, u.formWidth())}
	if p == kiosk.MemberIncome {
		return append(rows, u.valueBox(memberIncome, m.Income))
	}
	opts := form.PartOptions(p)
	labels := make([]string, len(opts))
	chosen := -1
	cur := m.Part(p)
	for k, o := range opts {
		labels[k] = u.tr(o.Label)
		if o.Value == *cur {
			chosen = k
		}
	}
	return append(rows, u.choiceGrid(labels, chosen, func(k int) {
		ms := u.members(field)
		if i < len(ms) {
			*ms[i].Part(p) = opts[k].Value
			u.putMembers(field, ms)
		}
	})...)
}

// memberLine is one member in the list and on the review screen: the
// relation, the name and the number, masked.
func (u *Screens) memberLine(f kiosk.Field, n int, m form.Member) string {
	line := u.t("family.member_line", map[string]any{"N": n, "Relation": relationName(u, m.Relation), "Name": m.Name, "ID": m.MaskedIdentifier()})
	if f.Member.Asks(kiosk.MemberIncome) && m.Income != "" {
		line += " " + u.t("form.value_income", map[string]any{"Yuan": m.Income})
	}
	return line
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

// memberTarget types a member's name, ID number, birth-certificate number
// or income.
type memberTarget struct {
	u     *Screens
	field string
	index int
	part  string // memberName, memberID, memberCert or memberIncome
	max   int
}

func (t *memberTarget) edit(f func([]rune) []rune) {
	ms := t.u.members(t.field)
	if t.index >= len(ms) {
		return
	}
	m := &ms[t.index]
	cur := &m.Name
	switch t.part {
	case memberID:
		cur = &m.IDNumber
	case memberCert:
		cur = &m.BirthCert
	case memberIncome:
		cur = &m.Income
	}
	*cur = string(f([]rune(*cur)))
	t.u.putMembers(t.field, ms)
}

func (t *memberTarget) Append(r rune) {
	if t.part == memberCert {
		r = unicode.ToUpper(r) // printed upper-case on the certificate
	}
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
