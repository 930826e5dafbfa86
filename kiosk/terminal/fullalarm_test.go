package terminal

import (
	"bytes"
	"context"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/tongban/tongban/backoffice/api"
	"github.com/tongban/tongban/kiosk"
	"github.com/tongban/tongban/kiosk/kiosktest"
	"github.com/tongban/tongban/kiosk/outbox"
)

// TestQueueFullRaisesOneAlarm: a refused submission (the disk or the
// queue's quota full) raises an alarm for the back office, once per
// episode, and the resident gets the plain queue-full message.
func TestQueueFullRaisesOneAlarm(t *testing.T) {
	q, _, err := outbox.Open(filepath.Join(t.TempDir(), "queue.db"), outbox.Options{
		Key: bytes.Repeat([]byte{7}, outbox.KeySize), QuotaBytes: 1 << 20, ReserveBytes: -1})
	if err != nil {
		t.Fatal(err)
	}
	defer q.Close()
	var alarms []string
	fa := fullAlarm{q, func(kind, device, detail string) { alarms = append(alarms, kind) }, new(atomic.Bool), nil}
	refused, episodes, inEpisode := 0, 0, false
	for i := 0; i < 2000 && refused < 3; i++ {
		s := kiosktest.Submission(i, "", "", "T01", time.Now())
		s.ID, s.LocalReceipt = "", ""
		s.Signature = bytes.Repeat([]byte{byte(i)}, 16<<10)
		_, err := fa.Add(context.Background(), s)
		if err == nil {
			inEpisode = false
			continue
		}
		if kiosk.KindOf(err) != kiosk.KindQueueFull || kiosktest.Words(t, kiosk.MessageOf(err)).ZH != "本机暂时无法保存新的申请，请到人工窗口办理。您刚才填写的内容没有提交。" {
			t.Fatalf("refused with %v", err)
		}
		refused++
		if !inEpisode {
			episodes, inEpisode = episodes+1, true
		}
	}
	if refused < 3 {
		t.Fatal("the quota never filled")
	}
	// (Pages freed by a commit can let one more in: that ends an episode.)
	if len(alarms) != episodes || alarms[0] != string(api.AlarmQueueFull) {
		t.Errorf("alarms %v for %d refusals in %d episodes, want one %s per episode", alarms, refused, episodes, api.AlarmQueueFull)
	}
}
