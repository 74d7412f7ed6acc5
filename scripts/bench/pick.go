package main

import "math/rand/v2"

// zipfS is the Zipf exponent of tenant popularity: a few tenants get most
// requests (with 1,000 tenants the first gets ~18% of them).
const zipfS = 1.1

// picker makes, for one load goroutine, a function that picks the index of
// the next tenant. Each goroutine has its own random source.
type picker func(seed uint64) func() int

// zipfPicker picks among n tenants with Zipf-distributed popularity: index 0
// is the most popular.
func zipfPicker(n int) picker {
	return func(seed uint64) func() int {
		if n <= 1 {
			return func() int { return 0 }
		}
		z := rand.NewZipf(rand.New(rand.NewPCG(seed, 0x5eed)), zipfS, 1, uint64(n-1))
		return func() int { return int(z.Uint64()) }
	}
}

// uniformPicker picks among n tenants with equal chances.
func uniformPicker(n int) picker {
	return func(seed uint64) func() int {
		r := rand.New(rand.NewPCG(seed, 0x5eed))
		return func() int { return r.IntN(n) }
	}
}

// fixedPicker always picks tenant i.
func fixedPicker(i int) picker {
	return func(uint64) func() int { return func() int { return i } }
}

// sample returns k distinct indexes of 0..n-1, the same for the same seed.
func sample(n, k int, seed uint64) []int {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	p := r.Perm(n)
	if k > n {
		k = n
	}
	return p[:k]
}
