package audit

import (
	"path/filepath"
	"testing"
)

// BenchmarkAppend: one entry written and fsynced, sealed with HMAC-SM3
// under the file lock, against the old unkeyed chain.
func BenchmarkAppend(b *testing.B) {
	for _, c := range []struct {
		name string
		key  []byte
	}{{"unkeyed", nil}, {"hmac-sm3", testKey}} {
		b.Run(c.name, func(b *testing.B) {
			l, err := OpenWith(filepath.Join(b.TempDir(), "audit.log"), Options{Key: c.key, NewKey: true})
			if err != nil {
				b.Fatal(err)
			}
			defer l.Close()
			ev := Event{Kind: StaffAction, Actor: "staff:S-01", Ref: "T01-20260701-0001", Detail: "reprinted a receipt"}
			b.ReportAllocs()
			for b.Loop() {
				if err := l.Append(ev); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkVerify: a 10,000-entry keyed log checked with the key and an
// anchor.
func BenchmarkVerify(b *testing.B) {
	path := filepath.Join(b.TempDir(), "audit.log")
	l, err := OpenWith(path, Options{Key: testKey, NewKey: true})
	if err != nil {
		b.Fatal(err)
	}
	l.f.Sync()
	for range 10000 {
		e := Entry{Seq: l.seq + 1, Kind: StaffAction, Actor: "staff:S-01", Detail: "reprinted a receipt"}
		line, hash, _ := encodeLine(e, l.head, testKey)
		l.f.Write(append(line, '\n'))
		l.seq, l.head = e.Seq, hash
	}
	seq, head := l.Head()
	l.Close()
	a := Anchor{Seq: seq, Head: head}
	b.ResetTimer()
	for b.Loop() {
		rep, err := VerifyWith(path, VerifyOptions{Key: testKey, Anchor: &a})
		if err != nil || !rep.OK() {
			b.Fatal(err, rep.Problems)
		}
	}
}
