module servitor.dev/verifier

go 1.19
