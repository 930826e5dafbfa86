package idcard

import (
	"errors"
	"image"
)

// PhotoLen is the size of the WLT photo in a base read.
const PhotoLen = 1024

// ErrNoPhotoDecoder means no vendor WLT decoder is installed.
var ErrNoPhotoDecoder = errors.New("idcard: no WLT photo decoder installed")

// PhotoDecoder turns the card's compressed WLT photo into a 102×126 image.
// WLT decoding needs a vendor library (WltRS, CV_Decode, hxgc_Wlt2Bmp...);
// an adapter around one implements this. The driver never fakes it.
type PhotoDecoder interface {
	DecodeWLT(wlt []byte) (image.Image, error)
}

// DecodePhoto decodes the card's photo with d. A nil d gives ErrNoPhotoDecoder.
func (c *Card) DecodePhoto(d PhotoDecoder) (image.Image, error) {
	if d == nil {
		return nil, ErrNoPhotoDecoder
	}
	if len(c.Photo) == 0 {
		return nil, errors.New("idcard: the card read carried no photo")
	}
	return d.DecodeWLT(c.Photo)
}
