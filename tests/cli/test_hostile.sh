# test_hostile.sh - every row of docs/HOSTILE.md, one test each: hostile
# input to the tools is refused with the row's exit code and a one-line
# message naming the field (and the line, for files), and writes nothing.

# The ledger every row starts from, built once per run beside the test
# directories and copied: keys, a ledger with a donor and a grantee, and
# a checkpoint signed by the log key.
hostile_setup() {
	fx=../hostile-fixture
	if [ ! -d "$fx" ]; then
		mkdir "$fx.tmp"
		(
			cd "$fx.tmp" || exit 1
			make_ledger
			T donor add --id NOR --name Norway --kind government \
			    --country NO -k recorder.key >/dev/null 2>&1 &&
			    T grantee add --id ngo-1 --name "Safe Haven" \
			    --country NG -k recorder.key >/dev/null 2>&1 &&
			    T checkpoint -k admin.key >cp.txt 2>/dev/null
		) || bad "fixture"
		mv "$fx.tmp" "$fx"
	fi
	cp -pR "$fx"/. .
	printf 'date,donor,amount,currency,reference\n' >head.csv
}

# A fingerprint of the ledger: its entries and the bytes of its file.
ledger_sum() {
	if [ -f "$L/data.mdb" ]; then
		echo "$(ledger_size 2>/dev/null) $(cksum <"$L/data.mdb")"
	else
		echo "no ledger"
	fi
}

# row ID CODE TEXT CMD...: the row ID of docs/HOSTILE.md.  CMD must exit
# CODE, print nothing on stdout and one line on stderr that holds TEXT (a
# fixed string) and no escape character, and leave the ledger as it was.
row() {
	id=$1
	code=$2
	text=$3
	shift 3
	test_name="$test_name ($id)"
	before=$(ledger_sum)
	expect "$code" "$@"
	grep -Fq -- "$text" err || bad "stderr lacks '$text'"
	[ "$(wc -l <err)" -eq 1 ] || bad "stderr is not one line"
	! grep -q "$(printf '\033')" err || bad "stderr has an escape"
	[ ! -s out ] || bad "printed on stdout"
	same "$(ledger_sum)" "$before" "ledger changed"
}

# A receipt of AMOUNT (and further options) from donor NOR.
receipt() {
	amount=$1
	shift
	T receipt --donor NOR --amount "$amount" --currency USD --ref B-1 \
	    --date 2026-01-05 "$@" -k recorder.key
}

# Import the CSV text printf makes of the arguments as receipts.
import_csv() {
	# shellcheck disable=SC2059
	printf "$@" >in.csv
	T import --type receipt in.csv -k recorder.key
}

# Import as receipts a CSV file of the usual header and the rows given.
import_rows() {
	{ cat head.csv; printf '%s\n' "$@"; } >in.csv
	T import --type receipt in.csv -k recorder.key
}

# The fixture's checkpoint with sed script $1 applied, as cp2.txt.
cp_sed() { sed "$1" cp.txt >cp2.txt; }

# Write a config file c.conf holding printf's output of the arguments.
conf() {
	# shellcheck disable=SC2059
	printf "$@" >c.conf
}

# --- amounts -----------------------------------------------------------

t_hostile_a01_negative_amount() {
	hostile_setup
	row A01 2 'amount "-5": negative amounts are not allowed' receipt -5
}

t_hostile_a02_too_many_decimals() {
	hostile_setup
	row A02 2 'amount "1.234": USD has 2 decimal places' receipt 1.234
}

t_hostile_a03_decimals_in_a_currency_without_them() {
	hostile_setup
	row A03 2 'amount "1.5": JPY has no decimal places' T receipt \
	    --donor NOR --amount 1.5 --currency JPY --rate 150 --ref B-1 \
	    -k recorder.key
}

t_hostile_a04_amount_beyond_int64() {
	hostile_setup
	row A04 2 'amount "99999999999999999999": out of range' \
	    receipt 99999999999999999999
}

t_hostile_a05_one_minor_unit_beyond_int64() {
	hostile_setup
	row A05 2 'amount "92233720368547758.08": out of range' \
	    receipt 92233720368547758.08
}

t_hostile_a06_exponent() {
	hostile_setup
	row A06 2 'amount "1e5": exponents are not allowed' receipt 1e5
}

t_hostile_a07_leading_space() {
	hostile_setup
	row A07 2 'amount " 12": white space is not allowed' receipt " 12"
}

t_hostile_a08_trailing_space() {
	hostile_setup
	row A08 2 'amount "12 ": white space is not allowed' receipt "12 "
}

t_hostile_a09_thousands_separator() {
	hostile_setup
	row A09 2 "amount \"1,234.50\": ',' is not allowed" receipt 1,234.50
}

t_hostile_a10_decimal_comma() {
	hostile_setup
	row A10 2 "amount \"12,50\": ',' is not allowed" receipt 12,50
}

t_hostile_a11_no_break_space_grouping() {
	hostile_setup
	row A11 2 'amount "1??000": unexpected byte 0xc2' \
	    receipt "$(printf '1\302\240000')"
}

t_hostile_a12_non_ascii_digits() {
	hostile_setup
	row A12 2 'amount "????": unexpected byte 0xd9' \
	    receipt "$(printf '\331\241\331\242')"
}

t_hostile_a13_plus_sign() {
	hostile_setup
	row A13 2 "amount \"+5\": a leading '+' is not allowed" receipt +5
}

t_hostile_a14_zero() {
	hostile_setup
	row A14 2 'amount "0": must be greater than zero' receipt 0
}

t_hostile_a15_empty_amount() {
	hostile_setup
	row A15 2 'amount "": empty' receipt ""
}

t_hostile_a16_bare_point() {
	hostile_setup
	row A16 2 'amount "5.": no digits after the point' receipt 5.
}

t_hostile_a17_no_digit_before_the_point() {
	hostile_setup
	row A17 2 'amount ".5": a digit is required before the point' \
	    receipt .5
}

t_hostile_a18_hexadecimal() {
	hostile_setup
	row A18 2 "amount \"0x10\": unexpected 'x'" receipt 0x10
}

t_hostile_a19_infinity() {
	hostile_setup
	row A19 2 "amount \"inf\": unexpected 'i'" receipt inf
}

t_hostile_a20_rate_with_13_decimals() {
	hostile_setup
	row A20 2 'rate "0.1234567890123": at most 12 decimal places' \
	    T receipt --donor NOR --amount 5 --currency EUR \
	    --rate 0.1234567890123 --ref B-1 -k recorder.key
}

t_hostile_a21_zero_rate() {
	hostile_setup
	row A21 2 'rate "0": must be greater than zero' T receipt \
	    --donor NOR --amount 5 --currency EUR --rate 0 --ref B-1 \
	    -k recorder.key
}

t_hostile_a22_negative_rate() {
	hostile_setup
	row A22 2 'rate "-0.9": must be greater than zero' T receipt \
	    --donor NOR --amount 5 --currency EUR --rate -0.9 --ref B-1 \
	    -k recorder.key
}

t_hostile_a23_foreign_currency_without_rate() {
	hostile_setup
	row A23 2 'rate: required for EUR' T receipt --donor NOR \
	    --amount 5 --currency EUR --ref B-1 -k recorder.key
}

t_hostile_a24_non_canonical_percentage() {
	hostile_setup
	row A24 2 'psc-rate "13.50": must be a positive decimal' T policy \
	    set --approval-threshold 5000 --psc-rate 13.50 -k admin.key
}

# --- currencies --------------------------------------------------------

t_hostile_c01_unknown_currency() {
	hostile_setup
	row C01 2 'currency "XYZ": not an ISO 4217 currency' T receipt \
	    --donor NOR --amount 5 --currency XYZ --rate 1 --ref B-1 \
	    -k recorder.key
}

t_hostile_c02_lower_case_currency() {
	hostile_setup
	row C02 2 'currency "usd": not an ISO 4217 currency' T receipt \
	    --donor NOR --amount 5 --currency usd --ref B-1 -k recorder.key
}

t_hostile_c03_currency_without_minor_unit() {
	hostile_setup
	row C03 2 'currency "XAU": has no minor unit' T receipt \
	    --donor NOR --amount 5 --currency XAU --rate 1 --ref B-1 \
	    -k recorder.key
}

t_hostile_c04_unknown_base_currency() {
	make_keys
	row C04 2 'currency "EURO"' T init --origin o --fund-name f \
	    --currency EURO -k admin.key
	[ ! -e "$L" ] || bad "ledger directory was created"
}

# --- donors, grantees and grants --------------------------------------

t_hostile_d01_receipt_from_unknown_donor() {
	hostile_setup
	row D01 4 'donor "NOBODY": unknown' T receipt --donor NOBODY \
	    --amount 5 --currency USD --ref B-1 -k recorder.key
}

t_hostile_d02_pledge_from_unknown_donor() {
	hostile_setup
	row D02 4 'donor "NOBODY": unknown' T pledge --donor NOBODY \
	    --amount 5 --currency USD --ref P-1 -k recorder.key
}

t_hostile_d03_grant_to_unknown_grantee() {
	hostile_setup
	row D03 4 'grantee "nobody": unknown' T grant award --id G-1 \
	    --grantee nobody --amount 100 --start 2026-02-01 \
	    --end 2026-03-01 --date 2026-02-01 -k recorder.key
}

t_hostile_d04_disbursement_of_unknown_grant() {
	hostile_setup
	row D04 4 'grant "G-404": unknown' T grant disburse --id G-404 \
	    --amount 100 --ref D-1 -k recorder.key
}

t_hostile_d05_expenditure_on_unknown_grant() {
	hostile_setup
	row D05 4 'grant "G-404": unknown' T grant expenditure --id G-404 \
	    --amount 5 --women 1 -k recorder.key
}

t_hostile_d06_donor_id_with_a_space() {
	hostile_setup
	row D06 2 'id "a b": must be an identifier' T donor add --id "a b" \
	    --name x --kind other -k recorder.key
}

t_hostile_d07_donor_id_of_65_bytes() {
	hostile_setup
	row D07 2 'id "0000000000' T donor add --id "$(printf '%065d' 0)" \
	    --name x --kind other -k recorder.key
}

t_hostile_d08_unknown_donor_kind() {
	hostile_setup
	row D08 2 'kind "alien": must be one of' T donor add --id D-2 \
	    --name x --kind alien -k recorder.key
}

t_hostile_d09_lower_case_country() {
	hostile_setup
	row D09 2 'country "no": must be a two-letter' T donor add \
	    --id D-2 --name x --kind other --country no -k recorder.key
}

t_hostile_d10_unknown_role() {
	hostile_setup
	row D10 2 'role "superuser": must be one of' T key enroll \
	    --verifier "$(cat approver.vk)" --role superuser -k admin.key
}

# --- dates ------------------------------------------------------------

t_hostile_t01_february_30() {
	hostile_setup
	row T01 2 'date "2026-02-30": must be a date' receipt 5 \
	    --date 2026-02-30
}

t_hostile_t02_february_29_of_a_common_year() {
	hostile_setup
	row T02 2 'date "2025-02-29": must be a date' receipt 5 \
	    --date 2025-02-29
}

t_hostile_t03_month_13() {
	hostile_setup
	row T03 2 'date "2026-13-01": must be a date' receipt 5 \
	    --date 2026-13-01
}

t_hostile_t04_before_1970() {
	hostile_setup
	row T04 2 'date "1969-12-31": must be a date' receipt 5 \
	    --date 1969-12-31
}

t_hostile_t05_two_digit_year() {
	hostile_setup
	row T05 2 'date "26-01-05": must be a date' receipt 5 --date 26-01-05
}

t_hostile_t06_slashes() {
	hostile_setup
	row T06 2 'date "2026/01/05": must be a date' receipt 5 \
	    --date 2026/01/05
}

t_hostile_t07_unpadded() {
	hostile_setup
	row T07 2 'date "2026-1-5": must be a date' receipt 5 --date 2026-1-5
}

t_hostile_t08_five_digit_year() {
	hostile_setup
	row T08 2 'date "10000-01-01": must be a date' receipt 5 \
	    --date 10000-01-01
}

t_hostile_t09_date_and_time() {
	hostile_setup
	row T09 2 'date "2026-01-05T00:00:00Z": must be a date' receipt 5 \
	    --date 2026-01-05T00:00:00Z
}

# --- free text ---------------------------------------------------------

t_hostile_x01_invalid_utf8() {
	hostile_setup
	row X01 2 'name "bad?name"' T donor add --id D-2 \
	    --name "$(printf 'bad\377name')" --kind other -k recorder.key
}

t_hostile_x02_overlong_utf8() {
	hostile_setup
	row X02 2 'must be 1 to 256 bytes of UTF-8 text' T donor add \
	    --id D-2 --name "$(printf 'x\300\257y')" --kind other \
	    -k recorder.key
}

t_hostile_x03_utf8_surrogate() {
	hostile_setup
	row X03 2 'must be 1 to 256 bytes of UTF-8 text' T donor add \
	    --id D-2 --name "$(printf 'x\355\240\200y')" --kind other \
	    -k recorder.key
}

t_hostile_x04_terminal_escape() {
	hostile_setup
	row X04 2 'name "ctl?[31mred"' T donor add --id D-2 \
	    --name "$(printf 'ctl\033[31mred')" --kind other -k recorder.key
}

t_hostile_x05_newline_in_a_name() {
	hostile_setup
	row X05 2 'name "two?lines"' T donor add --id D-2 \
	    --name "$(printf 'two\nlines')" --kind other -k recorder.key
}

t_hostile_x06_carriage_return_in_a_reason() {
	hostile_setup
	row X06 2 'reason "x?y"' T reverse 3 --reason "$(printf 'x\ry')" \
	    -k recorder.key
}

t_hostile_x07_tab_in_a_reason() {
	hostile_setup
	row X07 2 'reason "tab?here"' T reverse 3 \
	    --reason "$(printf 'tab\there')" -k recorder.key
}

t_hostile_x08_delete_character() {
	hostile_setup
	row X08 2 'name "x?y"' T donor add --id D-2 \
	    --name "$(printf 'x\177y')" --kind other -k recorder.key
}

t_hostile_x09_c1_control() {
	hostile_setup
	row X09 2 'name "x?y"' T donor add --id D-2 \
	    --name "$(printf 'x\302\205y')" --kind other -k recorder.key
}

t_hostile_x10_signature_line_look_alike() {
	hostile_setup
	row X10 2 'name "fake??' T donor add --id D-2 \
	    --name "$(printf 'fake\n\n\342\200\224 admin.unvtf AAAA')" \
	    --kind other -k recorder.key
}

t_hostile_x11_signature_line_look_alike_in_a_reason() {
	hostile_setup
	row X11 2 'reason "ok??' T reverse 3 \
	    --reason "$(printf 'ok\n\n\342\200\224 recorder.unvtf AAAA=')" \
	    -k recorder.key
}

t_hostile_x12_leading_space() {
	hostile_setup
	row X12 2 'name " Norway": must be 1 to 256 bytes' T donor add \
	    --id D-2 --name " Norway" --kind other -k recorder.key
}

t_hostile_x13_name_of_257_bytes() {
	hostile_setup
	row X13 2 'name "aaaaaaaaaa' T donor add --id D-2 \
	    --name "$(printf '%0257d' 0 | tr 0 a)" --kind other \
	    -k recorder.key
}

t_hostile_x14_reason_of_100000_bytes() {
	hostile_setup
	row X14 2 'reason "rrrrrrrrrr' T reverse 3 \
	    --reason "$(printf '%0100000d' 0 | tr 0 r)" -k recorder.key
}

t_hostile_x15_key_name_with_a_plus() {
	row X15 2 'key name "a+b": not a valid signed-note key name' \
	    "$TFLEDGER" key generate --name a+b --out ab.key
	[ ! -e ab.key ] || bad "key file written"
}

t_hostile_x16_key_name_of_200_bytes() {
	row X16 2 'not a valid signed-note key name' "$TFLEDGER" key \
	    generate --name "$(printf '%0200d' 0)" --out k.key
	[ ! -e k.key ] || bad "key file written"
}

# --- CSV files (tfledger import) --------------------------------------

t_hostile_v01_unterminated_quote() {
	hostile_setup
	row V01 2 'in.csv: line 2, column 3: unterminated quoted field' \
	    import_csv '%s2026-01-05,NOR,"10.00,USD,B-1\n' "$(cat head.csv)
"
}

t_hostile_v02_quote_inside_a_field() {
	hostile_setup
	row V02 2 'in.csv: line 2, column 3: quote in unquoted field' \
	    import_csv '%s\n2026-01-05,NOR,10"0",USD,B-1\n' "$(cat head.csv)"
}

t_hostile_v03_text_after_closing_quote() {
	hostile_setup
	row V03 2 "in.csv: line 2, column 3: text after closing quote ('x')" \
	    import_csv '%s\n2026-01-05,NOR,"10"x,USD,B-1\n' "$(cat head.csv)"
}

t_hostile_v04_missing_field_in_a_row() {
	hostile_setup
	row V04 2 'in.csv: line 2: 4 fields, the header has 5' \
	    import_csv '%s\n2026-01-05,NOR,10.00,USD\n' "$(cat head.csv)"
}

t_hostile_v05_extra_field_in_a_row() {
	hostile_setup
	row V05 2 'in.csv: line 3: 6 fields, the header has 5' \
	    import_rows 2026-01-05,NOR,1.00,USD,B-1 \
	    2026-01-05,NOR,1.00,USD,B-2,x
}

t_hostile_v06_missing_column() {
	hostile_setup
	row V06 2 'in.csv: line 1: missing column "reference"' \
	    import_csv 'date,donor,amount,currency\n2026-01-05,NOR,1.00,USD\n'
}

t_hostile_v07_unknown_column() {
	hostile_setup
	row V07 2 'in.csv: line 1: unknown column "colour"' \
	    import_csv '%s,colour\n2026-01-05,NOR,1.00,USD,B-1,red\n' \
	    "$(cat head.csv)"
}

t_hostile_v08_repeated_column() {
	hostile_setup
	row V08 2 'in.csv: line 1, column 6: header "date" repeats column 1' \
	    import_csv '%s,date\n2026-01-05,NOR,1.00,USD,B-1,2026-01-05\n' \
	    "$(cat head.csv)"
}

t_hostile_v09_empty_header_name() {
	hostile_setup
	row V09 2 'in.csv: line 1, column 2: empty header name' \
	    import_csv 'date,,amount\n'
}

t_hostile_v10_bom_and_crlf_with_a_bad_row() {
	hostile_setup
	row V10 2 'in.csv: line 3: amount "1.005"' import_csv \
	    '\357\273\277%s\r\n%s\r\n%s\r\n' "$(cat head.csv)" \
	    2026-01-05,NOR,10.00,USD,B-1 2026-01-06,NOR,1.005,USD,B-2
}

t_hostile_v11_bare_carriage_returns() {
	hostile_setup
	row V11 2 'line 1, column 5: carriage return without line feed' \
	    import_csv '%s\r2026-01-05,NOR,1.00,USD,B-1\r' "$(cat head.csv)"
}

t_hostile_v12_empty_line_between_rows() {
	hostile_setup
	row V12 2 'in.csv: line 3: empty line' import_csv \
	    '%s\n2026-01-05,NOR,1.00,USD,B-1\n\n2026-01-06,NOR,1.00,USD,B-2\n' \
	    "$(cat head.csv)"
}

t_hostile_v13_nul_byte() {
	hostile_setup
	row V13 2 'in.csv: line 2, column 5: nul byte' \
	    import_csv '%s\n2026-01-05,NOR,1.00,USD,B\0001\n' "$(cat head.csv)"
}

t_hostile_v14_invalid_utf8_in_a_cell() {
	hostile_setup
	row V14 2 'in.csv: line 2, column 5: invalid utf-8' \
	    import_csv '%s\n2026-01-05,NOR,1.00,USD,B\3771\n' "$(cat head.csv)"
}

t_hostile_v15_escape_in_a_cell() {
	hostile_setup
	row V15 2 'in.csv: line 2, column 5: control character U+001B' \
	    import_csv '%s\n2026-01-05,NOR,1.00,USD,B\0331\n' "$(cat head.csv)"
}

t_hostile_v16_cell_of_5000_bytes() {
	hostile_setup
	row V16 2 'line 2, column 5: cell of 5000 bytes, the limit is 4096' \
	    import_csv '%s\n2026-01-05,NOR,1.00,USD,"%s"\n' "$(cat head.csv)" \
	    "$(printf '%05000d' 0)"
}

t_hostile_v17_65_columns() {
	hostile_setup
	row V17 2 'in.csv: line 1: more than 64 columns' \
	    import_csv '%s\n' "$(seq -s, 1 65)"
}

t_hostile_v18_empty_file() {
	hostile_setup
	row V18 2 'in.csv: line 1: no header record' import_csv ''
}

t_hostile_v19_byte_order_mark_only() {
	hostile_setup
	row V19 2 'in.csv: line 1: no header record' import_csv '\357\273\277'
}

t_hostile_v20_bad_date_in_a_row() {
	hostile_setup
	row V20 2 'in.csv: line 2, column date: date "2026-02-30"' \
	    import_csv '%s\n2026-02-30,NOR,1.00,USD,B-1\n' "$(cat head.csv)"
}

t_hostile_v21_unknown_currency_in_a_row() {
	hostile_setup
	row V21 2 'in.csv: line 2: currency "ABC": not an ISO 4217 currency' \
	    import_csv '%s\n2026-01-05,NOR,1.00,ABC,B-1\n' "$(cat head.csv)"
}

t_hostile_v22_unknown_donor_in_a_row() {
	hostile_setup
	row V22 4 'in.csv: line 3: donor "NOBODY": unknown' import_rows \
	    2026-01-05,NOR,1.00,USD,B-1 2026-01-05,NOBODY,1.00,USD,B-2
}

t_hostile_v23_same_reference_twice_in_a_file() {
	hostile_setup
	row V23 4 'in.csv: line 3: receipt "B-1": already recorded' \
	    import_rows 2026-01-05,NOR,1.00,USD,B-1 2026-01-05,NOR,1.00,USD,B-1
}

t_hostile_v24_newline_in_a_quoted_donor_name() {
	hostile_setup
	printf 'id,name,kind\nD-2,"a\nb",other\n' >d.csv
	row V24 2 'd.csv: line 2, column name: name "a?b"' T import \
	    --type donor d.csv -k recorder.key
}

t_hostile_v25_missing_file() {
	hostile_setup
	row V25 2 'none.csv: No such file or directory' T import \
	    --type receipt none.csv -k recorder.key
}

t_hostile_v26_a_directory() {
	hostile_setup
	mkdir in.csv
	row V26 2 'in.csv: a directory, not a file' T import --type receipt \
	    in.csv -k recorder.key
}

# --- configuration files -----------------------------------------------

t_hostile_f01_unknown_setting() {
	hostile_setup
	conf 'ledger = "led";\ncolour = "red";\n'
	row F01 2 'c.conf:2: unknown setting "colour"' "$TFLEDGER" -c c.conf log
}

t_hostile_f02_setting_of_the_wrong_type() {
	hostile_setup
	conf 'ledger = 5;\n'
	row F02 2 'c.conf:1: ledger must be a string' "$TFLEDGER" -c c.conf \
	    -L led log
}

t_hostile_f03_negative_threads() {
	hostile_setup
	conf 'threads = -1;\n'
	row F03 2 'c.conf:1: threads must be a whole number from 0 to 256' \
	    "$TFLEDGER" -c c.conf -L led log
}

t_hostile_f04_threads_beyond_int() {
	hostile_setup
	conf 'threads = 99999999999;\n'
	row F04 2 'c.conf:1: threads must be a whole number' "$TFLEDGER" \
	    -c c.conf -L led log
}

t_hostile_f05_binary_garbage() {
	hostile_setup
	conf '\377\376garbage'
	row F05 2 'c.conf:1: syntax error' "$TFLEDGER" -c c.conf -L led log
}

t_hostile_f06_unterminated_string() {
	hostile_setup
	conf 'ledger = "led;\n'
	row F06 2 'c.conf:2: syntax error' "$TFLEDGER" -c c.conf log
}

t_hostile_f07_duplicate_setting() {
	hostile_setup
	conf 'ledger = "led";\nledger = "led";\n'
	row F07 2 'c.conf:2: duplicate setting' "$TFLEDGER" -c c.conf log
}

t_hostile_f08_config_is_a_directory() {
	hostile_setup
	mkdir cdir
	row F08 2 'config "cdir": not a regular file' "$TFLEDGER" -c cdir \
	    -L led log
}

t_hostile_f09_missing_config_file() {
	hostile_setup
	row F09 2 'config "none.conf"' "$TFLEDGER" -c none.conf -L led log
}

t_hostile_f10_path_of_5000_bytes() {
	hostile_setup
	conf 'ledger = "%s";\n' "$(printf '%05000d' 0)"
	row F10 2 'c.conf:1: ledger must be a string of a path' \
	    "$TFLEDGER" -c c.conf log
}

t_hostile_f11_malformed_file_named_by_the_environment() {
	hostile_setup
	conf 'key = 1;\n'
	TFLEDGER_CONFIG=c.conf row F11 2 'c.conf:1: key must be a string' \
	    "$TFLEDGER" -L led log
}

t_hostile_f12_malformed_file_in_the_working_directory() {
	hostile_setup
	printf 'ledger = ;\n' >tfledger.conf
	row F12 2 'tfledger.conf:1: syntax error' "$TFLEDGER" -L led log
}

# --- checkpoints and signed notes (tfaudit verify --checkpoint) --------

t_hostile_k01_text_without_signatures() {
	hostile_setup
	head -n 3 cp.txt >cp2.txt
	row K01 2 'note: no blank line before the signatures' \
	    A verify --checkpoint cp2.txt
}

t_hostile_k02_size_with_a_leading_zero() {
	hostile_setup
	cp_sed '2s/.*/07/'
	row K02 2 'size "07" is not a decimal without leading zeros' \
	    A verify --checkpoint cp2.txt
}

t_hostile_k03_size_beyond_uint64() {
	hostile_setup
	cp_sed '2s/.*/18446744073709551616/'
	row K03 2 'size "18446744073709551616" is not a decimal' \
	    A verify --checkpoint cp2.txt
}

t_hostile_k04_root_of_3_bytes() {
	hostile_setup
	cp_sed '3s/.*/AAAA/'
	row K04 2 'root "AAAA" is not base64 of 32 bytes' \
	    A verify --checkpoint cp2.txt
}

t_hostile_k05_root_not_base64() {
	hostile_setup
	cp_sed '3s/.*/!!!!/'
	row K05 2 'root "!!!!" is not base64 of 32 bytes' \
	    A verify --checkpoint cp2.txt
}

t_hostile_k06_empty_extension_line() {
	hostile_setup
	{ head -n 3 cp.txt; printf '\n\n'; tail -n 1 cp.txt; } >cp2.txt
	row K06 2 'empty extension line' A verify --checkpoint cp2.txt
}

t_hostile_k07_crlf_line_ends() {
	hostile_setup
	cp_sed 's/$/\r/'
	row K07 2 'note: invalid utf-8 or a control character' \
	    A verify --checkpoint cp2.txt
}

t_hostile_k08_delete_in_an_extension_line() {
	hostile_setup
	{ head -n 3 cp.txt; printf 'ext\177\n\n'; tail -n 1 cp.txt; } >cp2.txt
	row K08 2 'note: invalid utf-8 or a control character' \
	    A verify --checkpoint cp2.txt
}

t_hostile_k09_empty_origin() {
	hostile_setup
	{ printf '\n'; tail -n +2 cp.txt; } >cp2.txt
	row K09 2 'checkpoint: origin of 0 bytes, want 1 to 255' \
	    A verify --checkpoint cp2.txt
}

t_hostile_k10_empty_file() {
	hostile_setup
	: >cp2.txt
	row K10 2 'note: no blank line before the signatures' \
	    A verify --checkpoint cp2.txt
}

t_hostile_n01_no_final_newline() {
	hostile_setup
	head -c -1 cp.txt >cp2.txt
	row N01 2 'note: missing final newline' A verify --checkpoint cp2.txt
}

t_hostile_n02_hyphen_for_the_em_dash() {
	hostile_setup
	cp_sed '$s/^— /- /'
	row N02 2 'signature line 1: does not start with an em dash' \
	    A verify --checkpoint cp2.txt
}

t_hostile_n03_line_after_the_signatures() {
	hostile_setup
	{ cat cp.txt; echo 'not a signature'; } >cp2.txt
	row N03 2 'signature line 2: does not start with an em dash' \
	    A verify --checkpoint cp2.txt
}

t_hostile_n04_signature_not_base64() {
	hostile_setup
	cp_sed '$s/ [^ ]*$/ AAA!/'
	row N04 2 'not base64 of a key hash and a signature' \
	    A verify --checkpoint cp2.txt
}

t_hostile_n05_signature_of_200_bytes() {
	hostile_setup
	{ head -n 5 cp.txt; printf '\342\200\224 admin.unvtf %s\n' \
	    "$(head -c 200 /dev/zero | base64 -w0)"; } >cp2.txt
	row N05 2 'signature longer than 128 bytes' \
	    A verify --checkpoint cp2.txt
}

t_hostile_n06_101_signatures() {
	hostile_setup
	{ head -n 5 cp.txt; for i in $(seq 101); do tail -n 1 cp.txt; done; } \
	    >cp2.txt
	row N06 2 'note: 101 signature lines, more than 100' \
	    A verify --checkpoint cp2.txt
}

t_hostile_n07_invalid_utf8_in_the_text() {
	hostile_setup
	{ printf 'x\377\n\n'; cat cp.txt; } >cp2.txt
	row N07 2 'note: invalid utf-8 or a control character' \
	    A verify --checkpoint cp2.txt
}

t_hostile_n08_missing_checkpoint_file() {
	hostile_setup
	row N08 2 'none.txt: No such file or directory' \
	    A verify --checkpoint none.txt
}

t_hostile_n09_trusted_key_that_is_not_a_key() {
	hostile_setup
	row N09 2 'verifier key "garbage": want NAME+HASH+KEY' \
	    A verify --trust garbage
}

t_hostile_n10_trusted_key_with_a_wrong_hash() {
	hostile_setup
	row N10 2 'hash 00000000 does not match the key' A verify \
	    --trust "$(sed 's/+[0-9a-f]*+/+00000000+/' admin.vk)"
}

t_hostile_n11_verifier_key_with_a_newline() {
	hostile_setup
	row N11 2 'key "a?b+12345678+AAAA": must be a verifier key' T key \
	    enroll --verifier "$(printf 'a\nb+12345678+AAAA')" \
	    --role recorder -k admin.key
}

# --- numbers on the command line ---------------------------------------

t_hostile_s01_seq_beyond_uint64() {
	hostile_setup
	row S01 2 'SEQ "99999999999999999999": must be a seq number' \
	    T show 99999999999999999999
}

t_hostile_s02_seq_with_a_leading_zero() {
	hostile_setup
	row S02 2 'SEQ "007": must be a seq number' T show 007
}

t_hostile_s03_negative_limit() {
	hostile_setup
	row S03 2 '--limit "-5": must be a seq number' T log --limit -5
}

t_hostile_s04_approval_of_a_word() {
	hostile_setup
	row S04 2 'approves "abc": must be a whole number' T approve abc \
	    -k approver.key
}

t_hostile_s05_unknown_short_option() {
	hostile_setup
	row S05 2 'show: option "-1" is unknown or lacks its value' T show -1
}

t_hostile_s06_option_without_its_value() {
	hostile_setup
	row S06 2 'receipt: option "--date" is unknown or lacks its value' \
	    T receipt --donor NOR --amount 1 --currency USD --ref B-1 \
	    -k recorder.key --date
}

t_hostile_s07_unknown_global_option() {
	hostile_setup
	row S07 2 'tfaudit: option "--ledgr" is unknown or lacks its value' \
	    A --ledgr x verify
}

t_hostile_s08_invalid_utf8_in_a_seq() {
	hostile_setup
	row S08 2 'SEQ "1?2": must be a seq number' T show "$(printf '1\3772')"
}

# --- donor statements (tfaudit verify-statement) ----------------------

# Check the JSON statement that printf makes of the arguments.
statement() {
	# shellcheck disable=SC2059
	printf "$@" >st.json
	A verify-statement st.json --log-key "$(cat admin.vk)"
}

t_hostile_m01_statement_not_json() {
	hostile_setup
	row M01 2 'statement: not JSON: line 1' statement 'garbage'
}

t_hostile_m02_empty_statement() {
	hostile_setup
	row M02 2 'statement: not JSON: line 1' statement ''
}

t_hostile_m03_statement_that_is_an_array() {
	hostile_setup
	row M03 2 'statement: not a "tfledger statement v1"' statement '[1,2]'
}

t_hostile_m04_statement_with_a_repeated_key() {
	hostile_setup
	row M04 2 'duplicate object key' statement '{"a":1,"a":2}'
}

t_hostile_m05_statement_with_invalid_utf8() {
	hostile_setup
	row M05 2 'unable to decode byte 0xff' statement '{"a":"\377"}'
}

t_hostile_m06_statement_with_an_escaped_nul() {
	hostile_setup
	row M06 2 'is not allowed without JSON_ALLOW_NUL' statement \
	    '{"a":"\\u0000"}'
}

t_hostile_m07_statement_nested_100000_deep() {
	hostile_setup
	row M07 2 'maximum parsing depth reached' statement '%s%s' \
	    "$(printf '%0100000d' 0 | tr 0 '[')" \
	    "$(printf '%0100000d' 0 | tr 0 ']')"
}

t_hostile_m08_statement_with_a_number_beyond_int64() {
	hostile_setup
	row M08 2 'statement: not JSON: line 1: too big integer' statement \
	    '{"a":99999999999999999999999}'
}

t_hostile_m09_statement_without_checkpoint() {
	hostile_setup
	row M09 1 'statement: no "checkpoint" member' statement \
	    '{"version":"tfledger statement v1"}'
}

t_hostile_m10_statement_log_key_not_a_key() {
	hostile_setup
	printf '{}' >st.json
	row M10 2 'verifier key "garbage": want NAME+HASH+KEY' A \
	    verify-statement st.json --log-key garbage
}

t_hostile_m11_missing_statement_file() {
	hostile_setup
	row M11 2 'none.json: No such file or directory' A \
	    verify-statement none.json --log-key "$(cat admin.vk)"
}

# --- the table and these tests agree -----------------------------------

# Each row of docs/HOSTILE.md is a test here with the same exit code and
# message, and each test is a row: neither can drift from the other.
t_hostile_table_matches_the_tests() {
	doc='s/^| \([A-Z][0-9][0-9]\) |.*| \([0-9]\) | `\(.*\)` |$/\1 \2 \3/p'
	one="s/^.*row \([A-Z][0-9][0-9]\) \([0-9]\) '\([^']*\)'.*/\1 \2 \3/p"
	two='s/^.*row \([A-Z][0-9][0-9]\) \([0-9]\) "\(\([^"\\]\|\\.\)*\)".*/'
	two="$two\\1 \\2 \\3/p"
	sed -n "$doc" "$ROOT/docs/HOSTILE.md" | sort >doc
	sed -n -e "$one" -e "$two" "$ROOT/tests/cli/test_hostile.sh" |
	    sed 's/\\"/"/g' | sort >tests
	[ "$(wc -l <doc)" -ge 100 ] || bad "HOSTILE.md has $(wc -l <doc) rows"
	if ! diff doc tests >diff; then
		bad "docs/HOSTILE.md and test_hostile.sh differ"
		sed 's/^/    /' diff | head -20 >&2
	fi
}
