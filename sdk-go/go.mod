// SPDX-License-Identifier: Apache-2.0
module servitor.dev/verifier

go 1.19
