// SPDX-License-Identifier: Apache-2.0

//go:build unix

package verifier

import (
	"syscall"
	"testing"
	"time"
)

// processCPU is the CPU time this process has used (user and system, every thread).
func processCPU() time.Duration {
	var u syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &u) != nil {
		return 0
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// reportCPU adds "cpu-ns/op" to a benchmark: the process's CPU time per operation, which a busy
// machine inflates far less than the wall-clock ns/op (waiting for a CPU is not counted).
func reportCPU(b *testing.B) func() {
	start := processCPU()
	return func() {
		b.ReportMetric(float64(processCPU()-start)/float64(b.N), "cpu-ns/op")
	}
}
