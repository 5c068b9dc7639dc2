# demo-fund.sh - the demo's sample of fund activity (sourced by demo.sh).
run $T key list
