package sealed

import (
	"crypto/ecdsa"
	"crypto/rand"
	"encoding/binary"
	"fmt"
	"io"
	"strconv"

	"github.com/emmansun/gmsm/sm2"
)

// checkpoint is what an audit checkpoint's signature covers: the terminal,
// and the sequence number and head of its audit chain.
func checkpoint(terminal string, seq uint64, head string) []byte {
	var b []byte
	b = append(b, "tongban audit checkpoint v1"...)
	for _, f := range []string{terminal, strconv.FormatUint(seq, 10), head} {
		b = binary.BigEndian.AppendUint32(b, uint32(len(f)))
		b = append(b, f...)
	}
	return b
}

// SignCheckpoint signs an audit checkpoint (the head of terminal's audit
// chain at seq) with the terminal's SM2 key (SM3 digest, default user ID),
// the same key that signs its sealed submissions. random nil: crypto/rand.
func SignCheckpoint(random io.Reader, signer *sm2.PrivateKey, terminal string, seq uint64, head string) ([]byte, error) {
	if random == nil {
		random = rand.Reader
	}
	sig, err := signer.SignWithSM2(random, nil, checkpoint(terminal, seq, head))
	if err != nil {
		return nil, fmt.Errorf("sealed: signing the audit checkpoint: %w", err)
	}
	return sig, nil
}

// VerifyCheckpoint reports whether sig is terminal's SM2 signature, under
// pub, of its audit chain's head at seq.
func VerifyCheckpoint(pub *ecdsa.PublicKey, terminal string, seq uint64, head string, sig []byte) bool {
	if pub == nil || !sm2.IsSM2PublicKey(pub) || len(sig) == 0 || len(sig) > 128 {
		return false
	}
	return sm2.VerifyASN1WithSM2(pub, nil, checkpoint(terminal, seq, head), sig)
}
