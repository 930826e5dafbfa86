package idcard

import (
	"context"
	"errors"
)

// ResetSAM resets the SAM module.
func (r *Reader) ResetSAM(ctx context.Context) error {
	_, err := r.Exchange(ctx, CmdResetSAM, nil)
	return err
}

// SAMStatus runs the SAM's self-check. A failed self-test matches ErrSAMFault.
func (r *Reader) SAMStatus(ctx context.Context) error {
	_, err := r.Exchange(ctx, CmdSAMStatus, nil)
	return err
}

// SAMID reads the SAM module's serial number.
func (r *Reader) SAMID(ctx context.Context) (SAMID, error) {
	resp, err := r.Exchange(ctx, CmdSAMID, nil)
	if err != nil {
		return SAMID{}, err
	}
	var id SAMID
	copy(id[:], resp.Data)
	return id, nil
}

// FindCard asks whether a card is in the field; no card gives ErrNoCard.
func (r *Reader) FindCard(ctx context.Context) error {
	_, err := r.Exchange(ctx, CmdFindCard, nil)
	return err
}

// SelectCard selects the card found; it must follow FindCard.
func (r *Reader) SelectCard(ctx context.Context) error {
	_, err := r.Exchange(ctx, CmdSelectCard, nil)
	return err
}

// ReadBase reads the text and the photo of the selected card.
func (r *Reader) ReadBase(ctx context.Context) (*Card, error) {
	resp, err := r.Exchange(ctx, CmdReadBase, nil)
	if err != nil {
		return nil, err
	}
	return ParseBase(resp.Data)
}

// ReadWithFingerprint reads the text, photo and fingerprint templates of
// the selected card.
func (r *Reader) ReadWithFingerprint(ctx context.Context) (*Card, error) {
	resp, err := r.Exchange(ctx, CmdReadFingerprint, nil)
	if err != nil {
		return nil, err
	}
	return ParseWithFingerprint(resp.Data)
}

// ReadAddress reads the appended address (追加住址) of the selected card.
// A card without one gives ErrNoSuchItem.
func (r *Reader) ReadAddress(ctx context.Context) (string, error) {
	resp, err := r.Exchange(ctx, CmdReadAddress, nil)
	if err != nil {
		return "", err
	}
	return ParseAddress(resp.Data)
}

// ReadOptions choose what ReadCard reads besides the text and photo.
type ReadOptions struct {
	Fingerprint     bool // read with fingerprints (30 10) instead of 30 01
	AppendedAddress bool // also read the appended address, when there is one
}

// ReadCard finds, selects and reads the card on the reader. No card gives
// ErrNoCard; a card taken away during the read gives ErrCardMoved.
func (r *Reader) ReadCard(ctx context.Context, opt ReadOptions) (*Card, error) {
	if err := r.FindCard(ctx); err != nil {
		return nil, err
	}
	if err := r.SelectCard(ctx); err != nil {
		return nil, err
	}
	var card *Card
	var err error
	if opt.Fingerprint {
		card, err = r.ReadWithFingerprint(ctx)
	} else {
		card, err = r.ReadBase(ctx)
	}
	if err != nil {
		return nil, err
	}
	if opt.AppendedAddress {
		addr, err := r.ReadAddress(ctx)
		switch {
		case err == nil:
			card.AppendedAddress = addr
		case !errors.Is(err, ErrNoSuchItem):
			return nil, err
		}
	}
	return card, nil
}
