module servitor.dev/bench/receiver

go 1.19
