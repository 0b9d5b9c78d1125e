// SPDX-License-Identifier: Apache-2.0

package verifier

import (
	"hash/crc32"
	"strings"
)

// The public format of Servitor keys and client secrets (docs/api.md): <prefix>_<payload><checksum>,
// 43 base62 characters of payload and the CRC-32 (IEEE) of the payload's ASCII bytes in 6 base62
// characters, most significant first, zero-padded.
const (
	base62         = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	keyPayloadLen  = 43
	keyChecksumLen = 6
	maxPrefixLen   = 16
)

// IsWellFormedKey reports whether key has the shape of a Servitor API key or client secret and its
// checksum matches, without any I/O. It refuses typos and truncated pastes; it says nothing about
// whether the key is live, which only the server knows.
func IsWellFormedKey(key string) bool {
	underscore := len(key) - keyPayloadLen - keyChecksumLen - 1
	if underscore < 1 || underscore > maxPrefixLen || key[underscore] != '_' {
		return false
	}
	for i := 0; i < len(key); i++ {
		if i != underscore && !isBase62(key[i]) {
			return false
		}
	}
	sum := keyChecksum(key[underscore+1 : underscore+1+keyPayloadLen])
	return string(sum[:]) == key[len(key)-keyChecksumLen:]
}

// IsWellFormedKeyWithPrefix is IsWellFormedKey and the key's prefix is exactly prefix (e.g. "svt"
// for keys, "svs" for client secrets, or a deployment's SERVITOR_KEY_PREFIX). An empty prefix
// expects none in particular.
func IsWellFormedKeyWithPrefix(key, prefix string) bool {
	if !IsWellFormedKey(key) {
		return false
	}
	return prefix == "" || (len(key) == len(prefix)+1+keyPayloadLen+keyChecksumLen && strings.HasPrefix(key, prefix+"_"))
}

func isBase62(c byte) bool {
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
}

func keyChecksum(payload string) [keyChecksumLen]byte {
	// CRC-32 (IEEE) byte by byte over the string: crc32.ChecksumIEEE would need a []byte copy on
	// the heap, the only allocation of the check.
	v := ^uint32(0)
	for i := 0; i < len(payload); i++ {
		v = crc32.IEEETable[byte(v)^payload[i]] ^ (v >> 8)
	}
	v = ^v
	var out [keyChecksumLen]byte
	for i := keyChecksumLen - 1; i >= 0; i-- {
		out[i] = base62[v%62]
		v /= 62
	}
	return out
}
