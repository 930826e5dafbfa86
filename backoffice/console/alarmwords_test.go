package console

import (
	"testing"

	"github.com/tongban/tongban/backoffice/api"
)

// Every kind of alarm a terminal can send is named on the fleet page in
// both languages, not shown as its wire value.
func TestEveryAlarmKindHasWords(t *testing.T) {
	kinds := []api.AlarmKind{
		api.AlarmPaperOut, api.AlarmDeviceFault, api.AlarmQueueDamaged,
		api.AlarmQueueFull, api.AlarmBundleRefused,
		api.AlarmAuditUnwritable, api.AlarmAuditRewritten, api.AlarmAuditRollback, api.AlarmAuditFork,
	}
	for _, k := range kinds {
		w, ok := words["alarm."+string(k)]
		if !ok || w[0] == "" || w[1] == "" {
			t.Errorf("alarm kind %q has no words in both languages: %q", k, w)
		}
	}
}
