#!/bin/sh
# render-sheets.sh: the README's pictures of the workbook's main sheets
# (docs/sheet-*.png), rendered by LibreOffice from the quickstart's
# workbook as it prints them. Run from the repository's root:
#
#	sh docs/render-sheets.sh
#
# Needs Go, LibreOffice (soffice) and poppler-utils (pdftotext, pdftoppm).
# CI does not run it; run it again when a sheet's layout changes.
set -eu
out=$(pwd)/docs
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

go build -o "$work/quickstart" ./examples/quickstart
(cd "$work" && ./quickstart >/dev/null 2>&1)
soffice -env:UserInstallation="file://$work/profile" --headless \
	--convert-to pdf --outdir "$work" "$work/partnership-review.xlsx" >/dev/null 2>&1
pdf=$work/partnership-review.pdf
pages=$(pdfinfo "$pdf" | awk '/^Pages:/ {print $2}')

# page SHEET [TEXT]: the first printed page of SHEET (named at the end of
# the running header's line), or its first page that holds TEXT.
page() {
	p=1
	while [ "$p" -le "$pages" ]; do
		txt=$(pdftotext -f "$p" -l "$p" -raw "$pdf" -)
		if printf '%s\n' "$txt" | head -1 | grep -q " $1\$"; then
			if [ -z "${2:-}" ] || printf '%s\n' "$txt" | grep -q "$2"; then
				echo "$p"
				return
			fi
		fi
		p=$((p + 1))
	done
	echo "render-sheets: no page of $1 ${2:-}" >&2
	exit 1
}

# shot NAME PAGE W H: the top-left W × H pixels of PAGE at 100 dpi.
shot() {
	pdftoppm -r 100 -png -f "$2" -l "$2" -x 0 -y 0 -W "$3" -H "$4" -singlefile "$pdf" "$out/sheet-$1"
	echo "docs/sheet-$1.png: page $2, $(wc -c <"$out/sheet-$1.png") bytes"
}

# A4 landscape is 1169 × 827 pixels at 100 dpi, upright 827 × 1169.
shot summary "$(page Summary)" 1169 430
shot annual-pl "$(page 'Annual P&L')" 827 595
shot monte-carlo "$(page 'Monte Carlo' Histogram)" 1169 435
shot renegotiation "$(page Renegotiation)" 1169 515
