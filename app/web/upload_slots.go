package web

// maxConcurrentUploads is how many imports may upload at once; a further
// one is answered 503 at once, before its body is read.
const maxConcurrentUploads = 2

// uploadSlots bounds the uploads in progress: each holds a slot from
// before its body is read until it is done with its temporary file.
type uploadSlots chan struct{}

// newUploadSlots returns n free slots.
func newUploadSlots(n int) uploadSlots { return make(uploadSlots, n) }

// tryAcquire takes a slot if one is free, without waiting.
func (u uploadSlots) tryAcquire() bool {
	select {
	case u <- struct{}{}:
		return true
	default:
		return false
	}
}

// release frees a slot taken by tryAcquire.
func (u uploadSlots) release() { <-u }

// inUse returns how many slots are taken.
func (u uploadSlots) inUse() int { return len(u) }
