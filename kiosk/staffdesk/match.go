package staffdesk

// CodeMatches tells whether code is the one hashed in hash (a
// pbkdf2-sm3$ITER$SALT$HASH line from HashCode), in constant time, so that
// other codes kept the same way (the technician's) are checked by this
// one implementation; a hash that is not in that form is ErrCodeHash.
func CodeMatches(hash, code string) (bool, error) {
	h, err := parseCodeHash(hash)
	if err != nil {
		return false, err
	}
	return h.matches(code), nil
}
