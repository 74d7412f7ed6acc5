package web

import (
	"net/url"
	"strconv"

	"github.com/gofiber/fiber/v2"
)

// pager is the "page N of M" navigation of a paged table.
type pager struct {
	Page, Pages, Total int
	First, Last        int // 1-based positions of the rows shown
	PrevURL, NextURL   string
}

// pageNumber parses "?page=N" (1 when absent or invalid).
func pageNumber(c *fiber.Ctx) int {
	n, err := strconv.Atoi(c.Query("page"))
	if err != nil || n < 1 || n > 1_000_000 {
		return 1
	}
	return n
}

// newPager computes the navigation of page (1-based) of total rows shown
// size at a time, with links that keep the query q.
func newPager(path string, q url.Values, page, size, total int) pager {
	p := pager{Page: page, Total: total, Pages: (total + size - 1) / size}
	if p.Pages == 0 {
		p.Pages = 1
	}
	if total > 0 {
		p.First = (page-1)*size + 1
		p.Last = min(page*size, total)
		if p.First > total {
			p.First, p.Last = 0, 0
		}
	}
	link := func(n int) string {
		v := url.Values{}
		for k, vs := range q {
			v[k] = vs
		}
		if n > 1 {
			v.Set("page", strconv.Itoa(n))
		} else {
			v.Del("page")
		}
		if len(v) == 0 {
			return path
		}
		return path + "?" + v.Encode()
	}
	if page > 1 {
		p.PrevURL = link(min(page-1, p.Pages))
	}
	if page < p.Pages {
		p.NextURL = link(page + 1)
	}
	return p
}
