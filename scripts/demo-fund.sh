# demo-fund.sh - the demo's year of fund activity (sourced by demo.sh,
# which defines T, run and the keys).  Dates are in 2026: contributions
# in EUR, JPY, KWD and USD, earmarked and not; grants awarded, approved,
# paid in tranches, reported, refunded and deobligated; PSC; a mistake
# reversed and recorded again; a period closed.
R="-k demo/keys/recorder.key"
P="-k demo/keys/approver.key"
AD="-k demo/keys/admin.key"

run $T policy set --approval-threshold 15000 --psc-rate 13 $AD
run $T donor add --id NOR --name Norway --kind government --country NO $R
run $T donor add --id DEU --name Germany --kind government --country DE $R
run $T donor add --id JPN --name Japan --kind government --country JP $R
run $T donor add --id KWT --name Kuwait --kind government --country KW $R
run $T donor add --id blue-heart --name "Blue Heart Foundation" \
    --kind foundation $R
run $T donor add --id anon-1 --name "Private donor" --kind individual \
    --anonymous $R

run $T pledge --donor DEU --amount 100000 --currency EUR --rate 0.926 \
    --ref DEU-2026-1 --due 2026-09-30 --date 2026-01-15 $R
run $T pledge --donor JPN --amount 5000000 --currency JPY --rate 156.250 \
    --ref JPN-2026-1 --date 2026-01-20 $R
run $T pledge --donor KWT --amount 1000 --currency KWD --rate 0.307 \
    --ref KWT-2026-1 --date 2026-02-01 $R
cat >demo/bank-2026-q1.csv <<'CSV'
date,donor,amount,currency,reference,rate,pledge,earmark
2026-02-10,DEU,60000.00,EUR,BNK-1001,0.93,DEU-2026-1,
2026-02-12,NOR,250000.00,USD,BNK-1002,,,
2026-03-02,JPN,5000000,JPY,BNK-1003,150.0,JPN-2026-1,
2026-03-05,KWT,1000.000,KWD,BNK-1004,0.305,KWT-2026-1,
2026-03-09,blue-heart,50000.00,USD,BNK-1005,,,africa
2026-03-20,anon-1,500.00,USD,BNK-1006,,,
CSV
run $T import --type receipt demo/bank-2026-q1.csv $R
run $T import --type receipt demo/bank-2026-q1.csv $R
run $T interest --amount 312.40 --ref INT-2026-Q1 --date 2026-03-31 $R

run $T grantee add --id ngo-ng --name "Safe Haven Lagos" --country NG $R
run $T grantee add --id ngo-ph --name "Bahay Kanlungan" --country PH $R
run $T grantee add --id ngo-md --name "La Strada Moldova" --country MD $R
run $T grant award --id G-2026-01 --grantee ngo-ng --amount 20000 \
    --start 2026-04-01 --end 2026-12-31 --purpose shelter,medical \
    --cycle 2026 --earmark africa --date 2026-03-25 $R
g1=$(T_last)
run $T grant award --id G-2026-02 --grantee ngo-ph --amount 60000 \
    --start 2026-04-01 --end 2027-12-31 \
    --purpose shelter,psychosocial,legal --cycle 2026 --date 2026-03-25 $R
g2=$(T_last)
run $T grant award --id G-2026-03 --grantee ngo-md --amount 15000 \
    --start 2026-04-01 --end 2026-12-31 --purpose legal,reintegration \
    --cycle 2026 --date 2026-03-26 $R
g3=$(T_last)
run $T pending
run $T approve "$g1" $P
run $T approve "$g2" $P
run $T approve "$g3" $P

run $T grant disburse --id G-2026-01 --amount 10000 --ref TR-01-1 \
    --date 2026-04-05 $R
run $T grant disburse --id G-2026-02 --amount 30000 --ref TR-02-1 \
    --date 2026-04-06 $R
run $T approve "$(T_last)" $P
run $T grant disburse --id G-2026-03 --amount 15000 --ref TR-03-1 \
    --date 2026-04-07 $R
run $T receipt --donor DEU --amount 30000 --currency EUR --rate 0.91 \
    --pledge DEU-2026-1 --ref BNK-1101 --date 2026-06-15 $R
run $T reverse "$(T_last)" --reason "amount keyed wrongly" --date 2026-06-16 $R
run $T approve "$(T_last)" $P
run $T receipt --donor DEU --amount 30000 --currency EUR --rate 0.91 \
    --pledge DEU-2026-1 --ref BNK-1101 --date 2026-06-16 $R
run $T pledge writedown --pledge DEU-2026-1 --amount 10000 \
    --reason "budget cut announced by the donor" --date 2026-06-20 $R

run $T grant expenditure --id G-2026-01 --amount 9000 --ref RP-01-1 \
    --women 18 --girls 7 --sexual 20 --labour 3 \
    --services shelter:25,medical:14 --date 2026-06-30 $R
run $T grant expenditure --id G-2026-02 --amount 25000 --ref RP-02-1 \
    --women 31 --girls 12 --men 4 --boys 2 --sexual 25 --labour 18 \
    --other-form 4 --services shelter:20,psychosocial:40,legal:16 \
    --date 2026-06-30 $R
run $T grant expenditure --id G-2026-03 --amount 14200 --ref RP-03-1 \
    --women 22 --men 9 --labour 20 --sexual 8 \
    --services legal:31,reintegration:12 --date 2026-06-30 $R
run $T grant refund --id G-2026-01 --amount 1000 --ref RF-01-1 \
    --date 2026-06-30 $R
run $T grant deobligate --id G-2026-01 --amount 10000 \
    --reason "project closed early" --date 2026-06-30 $R
run $T psc --date 2026-06-30 $R
run $T period close --date 2026-06-30 $AD
run $T balance
run $T balance --donor DEU
