"""Speed benchmarks, run with `make bench` (python -m benchmarks). Figures are ratios to
baselines measured in the same run, because the machines are shared and noisy."""
