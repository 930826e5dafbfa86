package kiosk

import "time"

// ItemCode is the kiosk's own stable name for a service item (e.g.
// "senior-allowance"): unique in the catalog and used in cross-references.
// The official codes (catalog, implementation, local, affairs) are in
// Item.Codes.
type ItemCode string

// Action is what a resident can do with an item at the kiosk.
type Action string

// Kiosk actions (reference/catalog.md §1.2, kiosk extension).
const (
	ActionApply       Action = "apply"
	ActionQuery       Action = "query"
	ActionPrint       Action = "print"
	ActionAppointment Action = "appointment"
	ActionTicket      Action = "ticket"
	ActionGuide       Action = "guide"
)

// Need is a device or connection an item requires to be served now.
type Need string

// Needs an item may declare.
const (
	NeedIDReader   Need = "id-reader"
	NeedPrinter    Need = "printer"
	NeedScanner    Need = "scanner"
	NeedA4Printer  Need = "a4-printer"  // prints a document on A4
	NeedBackOffice Need = "back-office" // online only; otherwise the queue accepts it offline
	// NeedFace is a verified face match against the card: no terminal has
	// one yet, so an item that needs it is served at the counter.
	NeedFace Need = "face-verification"
)

// IdentityLevel is how sure the terminal must be that the resident is the
// card's holder.
type IdentityLevel string

// Identity levels.
const (
	// IdentityCard: holding the card (or a verified 随申码) is enough.
	IdentityCard IdentityLevel = ""
	// IdentityVerified: the item changes where money is paid, reports a
	// card lost or certifies the holder alive (资格认证): holding someone's
	// card must not be enough, so it needs a face match.
	IdentityVerified IdentityLevel = "verified"
)

// MaterialForm is the form in which a material is presented (材料形式,
// Shanghai item-guide dictionary, reference/catalog.md §1.3).
type MaterialForm string

// Material forms.
const (
	FormOriginal        MaterialForm = "1" // 原件
	FormCopy            MaterialForm = "2" // 复印件
	FormOriginalOrCopy  MaterialForm = "3" // 原件或复印件
	FormPaper           MaterialForm = "4" // 纸质材料
	FormElectronic      MaterialForm = "5" // 电子文件
	FormOriginalAndCopy MaterialForm = "6" // 原件和复印件
	FormOriginalAndScan MaterialForm = "7" // 原件及扫描件
)

// Material is a document the applicant must provide.
type Material struct {
	Name     Text `json:"name"`
	Required bool `json:"required"`
	// FromLicenceLibrary is true when the e-licence library supplies it
	// (证照免交): the resident need not bring it.
	FromLicenceLibrary bool `json:"from_licence_library,omitempty"`
	Note               Text `json:"note,omitempty"`
	// Code is the material's archive code in the community acceptance
	// system (archivescode), when known.
	Code string `json:"code,omitempty"`
	// Form is how it is presented (原件, 复印件, ...).
	Form MaterialForm `json:"form,omitempty"`
	// LicenceCatalogCode is the e-licence catalog code (catMainCode) the
	// library holds it under, when FromLicenceLibrary.
	LicenceCatalogCode string `json:"licence_catalog_code,omitempty"`
	// AtTerminal is true when the resident fills it in or signs it on
	// the terminal (申请表, 授权书 signed on the pad): nothing to bring.
	AtTerminal bool `json:"at_terminal,omitempty"`
	// AtPlace is true when the place of service provides it and has it
	// signed there (the marriage registry's declaration): required, but
	// nothing to bring.
	AtPlace bool `json:"at_place,omitempty"`
}

// TimeLimit is a promised or legal processing time.
type TimeLimit struct {
	Days int    `json:"days"`           // 0 means handled on the spot (当场办结)
	Unit string `json:"unit,omitempty"` // "working-days" (default), "calendar-days", "months"
	// Basis is where a legal (statutory) limit is laid down, e.g.
	// 《社会救助暂行办法》第十一条; empty for a promise.
	Basis string `json:"basis,omitempty"`
}

// Time-limit units.
const (
	UnitWorkingDays  = "working-days"
	UnitCalendarDays = "calendar-days"
	UnitMonths       = "months"
)

// ItemCodes are the official codes of an item, where known
// (reference/catalog.md §1.2). All are optional.
type ItemCodes struct {
	Catalog    string `json:"catalog,omitempty"`     // 基本编码 catalog_code
	Task       string `json:"task,omitempty"`        // 实施编码 task_code
	HandleItem string `json:"handle_item,omitempty"` // 业务办理项编码 task_handle_item
	Local      string `json:"local,omitempty"`       // 地方实施编码 local_task_code, e.g. 312000374000
	Affairs    string `json:"affairs,omitempty"`     // 社区事务受理系统 affairscode, e.g. GA2011_01
}

// ItemType is the 事项类型代码 of GB/T 39046—2020 A.1.
type ItemType string

// Item types seen at community centers.
const (
	TypeAdminPower   ItemType = "00" // 行政权力
	TypeLicence      ItemType = "01" // 行政许可
	TypeBenefit      ItemType = "05" // 行政给付
	TypeConfirmation ItemType = "07" // 行政确认
	TypeOther        ItemType = "10" // 其他
	TypePublicServe  ItemType = "20" // 公共服务
)

// ServiceObject is the 服务对象代码 of GB/T 39046—2020 A.4.
type ServiceObject string

// Service objects.
const (
	ObjectPerson     ServiceObject = "1" // 自然人
	ObjectEnterprise ServiceObject = "2" // 企业法人
	ObjectPublicOrg  ServiceObject = "3" // 事业法人
	ObjectSocialOrg  ServiceObject = "4" // 社会组织法人
	ObjectAgency     ServiceObject = "5" // 行政机关
	ObjectOtherOrg   ServiceObject = "6" // 其他组织
)

// ProjectType is the 办件类型 of GB/T 39046—2020 A.6.
type ProjectType string

// Project types.
const (
	ProjectOnTheSpot ProjectType = "1" // 即办件
	ProjectPromised  ProjectType = "2" // 承诺件
	ProjectOther     ProjectType = "9" // 其他
)

// HandleForm is a 办理形式 of GB/T 39046—2020 A.5.
type HandleForm string

// Handling forms.
const (
	HandleWindow  HandleForm = "1" // 窗口办理
	HandleWeb     HandleForm = "2" // 电脑端网上办理
	HandleMobile  HandleForm = "3" // 移动端办理
	HandleExpress HandleForm = "4" // 快递
	HandleOther   HandleForm = "9" // 其他
)

// TongbanMode is how a 全市通办 item is served by a center that is not the
// resident's own (reference/catalog.md §0).
type TongbanMode string

// 全市通办 modes.
const (
	TongbanDirect    TongbanMode = "direct"    // 直接受理: the receiving center accepts
	TongbanSeparated TongbanMode = "separated" // 收受分离: forwarded to the home center
)

// Tongban says whether any center in the city serves the item, and how.
type Tongban struct {
	CityWide bool        `json:"city_wide"`
	Mode     TongbanMode `json:"mode,omitempty"`
}

// Fee is one charge of an item. An item with no fees is free of charge.
type Fee struct {
	Name     Text   `json:"name"`
	Standard Text   `json:"standard"` // the amount, as published
	Basis    string `json:"basis,omitempty"`
}

// Charge says whether an item costs the resident anything (是否收费) and
// on what basis: free, or the fees the item lists (Item.Fees).
type Charge struct {
	Free bool `json:"free"`
	// Basis is the rule that makes it free or sets the fees, e.g.
	// 《婚姻登记条例》: 婚姻登记机关办理婚姻登记不得收取费用.
	Basis string `json:"basis,omitempty"`
}

// LegalBasis is a law, regulation or notice an item rests on (设定依据),
// with the day it took effect and where its text was read.
type LegalBasis struct {
	Name      string `json:"name"`              // 《婚姻登记条例》（国务院令第804号）
	Article   string `json:"article,omitempty"` // 第十三条, when known
	Effective string `json:"effective"`         // YYYY-MM-DD, in force from
	URL       string `json:"url,omitempty"`     // where the text was read
	Source    string `json:"source,omitempty"`  // or a reference key of catalog.json
}

// ItemFigure asks the item screen to show a money figure: the value of a
// dated parameter table (parameters.json) in force on the day, with its
// effective date and source beside it. Item texts carry no figures of
// their own: a figure without a source and a date is not shown.
type ItemFigure struct {
	Param string `json:"param"` // the table's name, e.g. senior_allowance
	Label Text   `json:"label"` // what it is: 津贴标准
}

// ShownFigure is a figure as the item screen shows it: the value (or the
// tiers) in force on the day, from when, and the source's title.
type ShownFigure struct {
	Label  Text
	Unit   string // the table's unit, e.g. CNY/month
	Key    string // what tiers are by (age), or empty for one value
	Value  float64
	Tiers  []FigureTier
	From   time.Time
	Source string
}

// FigureTier is one tier of a shown figure: keys from Min (up to the
// next tier's Min) get Value.
type FigureTier struct {
	Min   int
	Value float64
}

// ResultType is the 审批结果类型 (result_type).
type ResultType string

// Result types.
const (
	ResultLicence  ResultType = "10" // 证照
	ResultApproval ResultType = "20" // 批文
	ResultOther    ResultType = "30" // 其他
	ResultNone     ResultType = "99" // 无
)

// Result is what the resident gets when the item is done.
type Result struct {
	Type ResultType `json:"type"`
	Name Text       `json:"name,omitempty"`
}

// ContactLine is a telephone line for questions or complaints.
type ContactLine struct {
	Name   Text   `json:"name"`
	Number string `json:"number"`
}

// FAQ is one common question about an item.
type FAQ struct {
	Question Text `json:"question"`
	Answer   Text `json:"answer"`
}

// AuthMode is a way the resident proves who they are for an item.
type AuthMode string

// Identification modes (reference/catalog.md §4.F).
const (
	AuthIDCard     AuthMode = "idcard"      // ID card on the reader
	AuthIDCardFace AuthMode = "idcard-face" // ID card on the reader, plus face match
	AuthSuishenma  AuthMode = "suishenma"   // the 随申码 QR code
	AuthUKey       AuthMode = "ukey"        // legal persons' USB key
	AuthNone       AuthMode = "none"        // anyone, no identity needed
)

// Rule is one machine-checkable acceptance condition, checked before the
// resident starts the form. When is an expression of the catalog rule
// language (package catalog), e.g. `age >= 65 && hukou == shanghai`, and must
// hold; when it does not, the kiosk shows Reason and Instead.
type Rule struct {
	// When must hold for the resident to apply, in the rule language of
	// package kiosk/rule: `age >= 65 && hukou == "shanghai"`.
	When    string `json:"when"`
	Reason  Text   `json:"reason"`            // why the resident cannot apply, in plain words
	Instead Text   `json:"instead,omitempty"` // where to go instead
	// InsteadItem names another item to offer instead, if any.
	InsteadItem ItemCode `json:"instead_item,omitempty"`
}

// Item is one government service item as the kiosk shows and serves it.
// The catalog package loads and validates these; the schema follows
// reference/catalog.md §1 (GB/T 39046—2020 plus the kiosk extensions).
type Item struct {
	Code        ItemCode   `json:"code"`
	Name        Text       `json:"name"`
	Summary     Text       `json:"summary"` // one line: what it is for
	Department  string     `json:"department"`
	Actions     []Action   `json:"actions"`
	Needs       []Need     `json:"needs,omitempty"`
	WhoCanApply Text       `json:"who_can_apply"`
	Materials   []Material `json:"materials,omitempty"`
	Promise     TimeLimit  `json:"promise"`
	AfterDone   Text       `json:"after_done"` // what happens next
	Contact     string     `json:"contact,omitempty"`
	Form        []Field    `json:"form,omitempty"`
	LifeEvents  []string   `json:"life_events,omitempty"`
	Popularity  int        `json:"popularity,omitempty"`

	Codes         ItemCodes       `json:"codes,omitempty"`
	Type          ItemType        `json:"type"`
	ServiceObject []ServiceObject `json:"service_object"`
	Topic         string          `json:"topic,omitempty"` // 自然人服务主题, e.g. 养老服务
	LegalLimit    *TimeLimit      `json:"legal_limit,omitempty"`
	ProjectType   ProjectType     `json:"project_type,omitempty"`
	HandleForms   []HandleForm    `json:"handle_forms,omitempty"`
	Tongban       Tongban         `json:"tongban"`
	Fees          []Fee           `json:"fees,omitempty"` // none: free of charge
	// AcceptCondition is the 受理条件 as published; Rules is the part of it
	// the kiosk checks before the form starts.
	AcceptCondition Text          `json:"accept_condition"`
	Rules           []Rule        `json:"rules,omitempty"`
	Result          Result        `json:"result"`
	Where           Text          `json:"where,omitempty"` // 办理地点 when it is not this center
	ContactLines    []ContactLine `json:"contact_lines,omitempty"`
	FAQ             []FAQ         `json:"faq,omitempty"`
	// Auth lists the ways a resident may identify for this item; empty or
	// only AuthNone means no identity is needed.
	Auth []AuthMode `json:"auth,omitempty"`
	// Identity is how sure the terminal must be of the resident: empty,
	// holding the card; "verified", a face match (NeedFace) as well.
	Identity IdentityLevel `json:"identity,omitempty"`
	// Keywords are the residents' own words for the item (养老金, 医保卡...),
	// matched by search like the name.
	Keywords []string `json:"keywords,omitempty"`
	// Related items are offered beside this one.
	Related []ItemCode `json:"related,omitempty"`
	// Sources are the reference keys (reference/catalog.md §5) the facts
	// come from.
	Sources []string `json:"sources,omitempty"`
	// InPerson, when set, says why the item may not be applied for on
	// someone else's behalf (代办) and the terminal refuses it; unset, a
	// resident may apply for another person (a child, an elder, a ward)
	// with their own card read and the other's details entered.
	InPerson Text `json:"in_person,omitempty"`
	// BookAt is where the item's appointments are kept: empty or
	// "center", the center's counters; "marriage-registry", the
	// district's 婚姻登记机关; "assessment-hospital", a designated
	// disability assessment hospital.
	BookAt BookAt `json:"book_at,omitempty"`
	// BookAnswers names the form's fields that a booking answers itself
	// (the day, the registry), which the form shown before booking
	// leaves out.
	BookAnswers []string `json:"book_answers,omitempty"`
	// Inferred lists the JSON names of the fields whose content was
	// inferred rather than taken from a source, for a center to review.
	Inferred []string `json:"inferred,omitempty"`

	// LegalBasis are the rules the item rests on, with their dates.
	LegalBasis []LegalBasis `json:"legal_basis,omitempty"`
	// Charge says whether the item is free, and on what basis; nil: not
	// yet recorded.
	Charge *Charge `json:"charge,omitempty"`
	// Figures are the dated money figures the item screen shows.
	Figures []ItemFigure `json:"figures,omitempty"`
	// Aliases are the codes of items merged into this one (one item per
	// application): stored submissions, appointments and bundles naming
	// them still find this item.
	Aliases []ItemCode `json:"aliases,omitempty"`
	// Parts, set only on a 一件事 bundle (composed by the catalog loader
	// from services-catalog/yjs, never read from an item file), are the
	// underlying items the bundle's one combined form applies for: one
	// submission with a part per item, each worked on its own.
	Parts []Part `json:"-"`
}

// Part is one underlying item of a 一件事 bundle: which of the combined
// form's answers belong to it. A field several parts ask for is asked once
// and goes to each of them.
type Part struct {
	Item    ItemCode `json:"item"`
	Name    Text     `json:"name"`
	Affairs string   `json:"affairs,omitempty"` // the item's affairs code, when known
	Fields  []string `json:"fields"`            // the bundle form's field IDs this part takes
}

// Bundle reports whether the item is a 一件事 bundle of several items.
func (it Item) Bundle() bool { return len(it.Parts) > 0 }

// PartAnswers returns the answers that belong to part p: those of its
// fields the resident answered.
func (p Part) PartAnswers(a Answers) Answers {
	out := Answers{}
	for _, id := range p.Fields {
		if v, ok := a[id]; ok {
			out[id] = v
		}
	}
	return out
}

// NeedsIdentity reports whether the resident must identify for the item:
// it lists a way to identify and does not also accept AuthNone.
func (it Item) NeedsIdentity() bool {
	for _, a := range it.Auth {
		if a == AuthNone {
			return false
		}
	}
	return len(it.Auth) > 0
}

// Served reports whether the terminal itself serves the item (apply,
// query or print a document) rather than only guiding the resident to a
// counter, a ticket or an appointment.
func (it Item) Served() bool {
	return it.Can(ActionApply) || it.Can(ActionQuery) || it.Can(ActionPrint)
}

// BookPlace is where the item is booked: BookAt, or the center's counters.
func (it Item) BookPlace() BookAt {
	if it.BookAt == "" {
		return BookAtCenter
	}
	return it.BookAt
}

// BookingForm is the form a resident fills before booking the item: its
// form without the fields the booking answers itself. Nil: the booking
// asks nothing but the time.
func (it Item) BookingForm() []Field {
	var out []Field
	for _, f := range it.Form {
		skip := false
		for _, id := range it.BookAnswers {
			skip = skip || f.ID == id
		}
		if !skip {
			out = append(out, f)
		}
	}
	return out
}

// Free reports whether the item has no fee.
func (it Item) Free() bool { return len(it.Fees) == 0 }

// Can reports whether the item offers action a at the kiosk.
func (it Item) Can(a Action) bool {
	for _, x := range it.Actions {
		if x == a {
			return true
		}
	}
	return false
}

// FieldType is the kind of value a form field takes.
type FieldType string

// Field types of the form engine.
const (
	FieldText      FieldType = "text"
	FieldNumber    FieldType = "number"
	FieldDate      FieldType = "date"
	FieldChoice    FieldType = "choice"
	FieldYesNo     FieldType = "yesno"
	FieldPhone     FieldType = "phone"
	FieldIDNumber  FieldType = "id-number"
	FieldBank      FieldType = "bank-account"
	FieldAddress   FieldType = "address"
	FieldFamily    FieldType = "family"
	FieldSignature FieldType = "signature"
	FieldConsent   FieldType = "consent"
)

// Prefill names the identity field a form field is filled from; such a
// field is shown read-only and never typed again.
type Prefill string

// Prefill sources.
const (
	PrefillName      Prefill = "name"
	PrefillSex       Prefill = "sex"
	PrefillBirthDate Prefill = "birth-date"
	PrefillAddress   Prefill = "address"
	PrefillIDNumber  Prefill = "id-number"
	PrefillNation    Prefill = "nation" // 民族, from a resident ID card only
)

// Option is one choice of a choice field.
type Option struct {
	Value string `json:"value"`
	Label Text   `json:"label"`
}

// Field is one question of an item's form.
type Field struct {
	ID       string    `json:"id"`
	Type     FieldType `json:"type"`
	Label    Text      `json:"label"`
	Help     Text      `json:"help,omitempty"`
	Required bool      `json:"required,omitempty"`
	Prefill  Prefill   `json:"prefill,omitempty"`
	Options  []Option  `json:"options,omitempty"`
	// VisibleIf is a condition on earlier answers in the rule language of
	// package kiosk/rule, e.g. `has_spouse == "yes"`; text is in quotes.
	VisibleIf string `json:"visible_if,omitempty"`
	Min       *int   `json:"min,omitempty"` // number: smallest value; text: fewest characters
	Max       *int   `json:"max,omitempty"` // number: largest value; text: most characters
	// Confirms names an earlier field of the same type this one repeats
	// ("enter the card number again"); the two answers must be equal.
	Confirms string `json:"confirms,omitempty"`
	// Centre makes an address field a choice of community affairs
	// centre (社区事务受理服务中心): a district and a street or town, whose
	// centre it names, and no detail line. For pick-up places.
	Centre bool `json:"centre,omitempty"`
	// Member says what a family-member field asks of each member beyond
	// name, relation and ID number; nil asks those three only.
	Member *MemberSpec `json:"member,omitempty"`
}

// MemberPart is one more thing a family-member field asks of each member.
type MemberPart string

// Member parts an item may ask for.
const (
	MemberSex        MemberPart = "sex"
	MemberHukou      MemberPart = "hukou"      // 户籍地: Shanghai or elsewhere
	MemberEmployment MemberPart = "employment" // 就业状况
	MemberIncome     MemberPart = "income"     // 月收入, yuan
	MemberDisability MemberPart = "disability" // 残疾或重病
)

// MemberSpec is what a family-member field asks of each member.
type MemberSpec struct {
	Parts []MemberPart `json:"parts,omitempty"`
	// AloneOK lets the applicant declare that no one else belongs to the
	// household (a household of one, e.g. a person living alone applying
	// for 低保); the answer is then an empty list.
	AloneOK bool `json:"alone_ok,omitempty"`
	// BirthCert lets a member without an ID number yet (a newborn) be
	// identified by the 出生医学证明 number instead.
	BirthCert bool `json:"birth_cert,omitempty"`
}

// Asks reports whether the spec asks for part p.
func (s *MemberSpec) Asks(p MemberPart) bool {
	if s == nil {
		return false
	}
	for _, x := range s.Parts {
		if x == p {
			return true
		}
	}
	return false
}

// Answers are a form's values by field ID, as entered (strings).
type Answers map[string]string
