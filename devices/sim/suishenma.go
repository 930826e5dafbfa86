package sim

import (
	"time"

	"github.com/tongban/tongban/internal/ssmtoken"
)

// SuishenmaLife is how long a simulated phone's 随申码 stays good, as the
// real one refreshes every minute.
const SuishenmaLife = time.Minute

// SimResident is the synthetic resident the simulated phone shows (a
// valid check digit, a clearly fake name).
var SimResident = struct{ Name, IDNo string }{"测试甲", "11010519491231002X"}

// SignedSuishenma is the text of a fresh 随申码 of the simulated resident,
// signed by the development issuer (ssmtoken.DevIssuer), good once until
// now+SuishenmaLife: what a development back office verifies in make run.
func SignedSuishenma(now time.Time) (string, error) {
	return ssmtoken.Sign(ssmtoken.DevIssuer(), ssmtoken.Claims{Kind: ssmtoken.KindSuishenma,
		Name: SimResident.Name, IDNo: SimResident.IDNo, Expires: now.Add(SuishenmaLife).Unix()}, nil)
}
