package outbox

// Depth is how many submissions still wait for the back office (pending or
// being sent); 0 when the queue cannot be read, which heartbeats report as
// such through the queue alarm instead.
func (q *Outbox) Depth() int {
	st, err := q.Stats()
	if err != nil {
		return 0
	}
	return st.Pending + st.Sending
}
