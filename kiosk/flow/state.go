package flow

// State is the screen the session is on.
type State int

// The states of a resident session (DESIGN.md §3).
const (
	Attract     State = iota // idle: center name, time, 开始办理
	Identify                 // place the ID card, or scan 随申码
	Browse                   // popular items, departments, life events, search
	ItemDetail               // who can apply, materials, time limit, apply
	FormPage                 // one page of the item's form
	Review                   // everything entered, each with 修改
	Sign                     // the signature pad
	Submitting               // committing to the queue and printing
	Done                     // 已受理: receipt number, what happens next
	Query                    // scan a receipt's QR code, see the status
	Ticket                   // a counter queue number
	Appointment              // choose a time for an item handled by appointment (预约)
	StaffLogin               // staff enter their code (opened by a hidden gesture)
	StaffMenu                // the staff menu: devices, queue, reprints, self-test, exit
	Result                   // a department's answer to the item's query: 打印, 结束办理
	Document                 // the item's document, issued and printing on A4
)

var stateNames = [...]string{"attract", "identify", "browse", "item", "form", "review", "sign", "submitting", "done", "query", "ticket", "appointment", "staff-login", "staff", "result", "document"}

func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}
