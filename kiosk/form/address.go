package form

import (
	"fmt"
	"strings"

	"github.com/tongban/tongban/kiosk"
)

// Address is the answer of an address field: a district and a street or
// town chosen from the dictionary, and a free-text detail line (road, lane,
// number, room). An address prefilled from the ID card has only the card's
// text in Detail, and the district when the text names one.
type Address struct {
	District string `json:"district"`         // e.g. 徐汇区
	Street   string `json:"street,omitempty"` // e.g. 田林街道
	Detail   string `json:"detail"`           // e.g. 田林路100弄1号101室
}

// String is the address in one line, as written on an envelope. A card
// address already names its district and is returned as it is.
func (a Address) String() string {
	if a.District != "" && strings.Contains(a.Detail, a.District) {
		return a.Detail
	}
	return a.District + a.Street + a.Detail
}

// CentreName is the community affairs centre of the address's street or
// town (徐汇区田林街道社区事务受理服务中心): every 街道, 镇 and functional
// area of the dictionary has its own, named after it with the
// dictionary's centre_suffix. "" while no street is chosen.
func (p *Places) CentreName(a Address) string {
	if p == nil || a.District == "" || a.Street == "" {
		return ""
	}
	return a.District + a.Street + p.CentreSuffix
}

// checkCentre checks the answer of a centre field: a district and one of
// its streets or towns; a detail line is dropped.
func checkCentre(a Address, places *Places) (Address, []partProblem) {
	out, probs := checkAddress(Address{District: a.District, Street: a.Street, Detail: "-"}, places)
	out.Detail = ""
	return out, probs
}

// Parts of an address answer, as named in FieldError.Part and in conditions
// (home.district).
const (
	PartDistrict = "district"
	PartStreet   = "street"
	PartDetail   = "detail"
)

// addressDetailMax caps the detail line.
const addressDetailMax = 100

// checkAddress checks each part and returns the canonical address and the
// problems by part.
func checkAddress(a Address, places *Places) (Address, []partProblem) {
	out := Address{District: fold(a.District), Street: fold(a.Street), Detail: fold(a.Detail)}
	var probs []partProblem
	d, ok := places.District(out.District)
	switch {
	case !ok:
		probs = append(probs, partProblem{part: PartDistrict, msg: msgDistrict()})
	case !places.hasTown(d.Name.ZH, out.Street):
		out.District = d.Name.ZH
		probs = append(probs, partProblem{part: PartStreet, msg: msgStreet()})
	default:
		out.District = d.Name.ZH
	}
	switch n := len([]rune(out.Detail)); {
	case out.Detail == "":
		probs = append(probs, partProblem{part: PartDetail, msg: msgAddressDetail()})
	case !printable(out.Detail):
		probs = append(probs, partProblem{part: PartDetail, msg: msgUnreadable()})
	case n > addressDetailMax:
		probs = append(probs, partProblem{part: PartDetail, msg: msgAtMostChars(addressDetailMax)})
	}
	return out, probs
}

// addressEmpty reports whether nothing of the address was given.
func addressEmpty(a Address) bool {
	return fold(a.District) == "" && fold(a.Street) == "" && fold(a.Detail) == ""
}

// partProblem is one problem with one part of a composite answer.
type partProblem struct {
	part   string
	member int // family members: 1-based; 0 otherwise
	msg    kiosk.Text
}

func (p partProblem) String() string {
	return fmt.Sprintf("%s#%d: %s", p.part, p.member, p.msg.In(kiosk.LangZH))
}
