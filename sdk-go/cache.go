// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"crypto/sha256"
	"sync"
	"time"
)

// cacheKey is the SHA-256 of what was asked (credential, permission, address): the cache never keeps
// a presented secret, so a memory dump of a gateway does not hand out its callers' keys.
type cacheKey [sha256.Size]byte

func keyOf(credential, permission, ip string) cacheKey {
	var stack [256]byte // credentials fit; a longer question takes the heap
	buf := stack[:0]
	if n := len(credential) + len(permission) + len(ip) + 2; n > len(stack) {
		buf = make([]byte, 0, n)
	}
	buf = append(buf, credential...)
	buf = append(buf, 0)
	buf = append(buf, permission...)
	buf = append(buf, 0)
	buf = append(buf, ip...)
	return sha256.Sum256(buf)
}

type cacheEntry struct {
	v     Verification
	until time.Time
}

// verifyCache holds answers until their deadline, at most max of them: a flood of distinct
// credentials cannot grow a gateway's memory without bound.
type verifyCache struct {
	mu      sync.RWMutex
	entries map[cacheKey]cacheEntry
	max     int
}

func newVerifyCache(max int) *verifyCache {
	return &verifyCache{entries: make(map[cacheKey]cacheEntry), max: max}
}

func (c *verifyCache) get(k cacheKey, now time.Time) (Verification, bool) {
	c.mu.RLock()
	e, ok := c.entries[k]
	c.mu.RUnlock()
	if !ok || !now.Before(e.until) {
		return Verification{}, false
	}
	return e.v, true
}

func (c *verifyCache) put(k cacheKey, v Verification, until, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, present := c.entries[k]; !present && len(c.entries) >= c.max {
		c.evict(now)
	}
	c.entries[k] = cacheEntry{v: v, until: until}
}

// evict drops the expired entries and, if the cache is still full, arbitrary others (Go's map order
// is random) down to nine tenths of the bound, so that eviction is not paid on every insert.
func (c *verifyCache) evict(now time.Time) {
	for k, e := range c.entries {
		if !now.Before(e.until) {
			delete(c.entries, k)
		}
	}
	target := c.max - c.max/10 - 1
	for k := range c.entries {
		if len(c.entries) <= target {
			break
		}
		delete(c.entries, k)
	}
}

func (c *verifyCache) len() int {
	c.mu.RLock()
	defer c.mu.RUnlock()
	return len(c.entries)
}
