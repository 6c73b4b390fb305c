# The manual pages under man/: each renders with groff without a single
# warning (-ww) and, when mandoc is there, passes `mandoc -T lint`; there is a
# page for every command `orderbridge help` lists, and each page names every
# option its command's help text names; `cmake --install` puts the pages where
# man finds them. groff comes from the Debian package groff-base
# (scripts/bootstrap.sh); skipped (exit 0) only when it is missing and cannot
# be installed.
set -euo pipefail
: "${OB:?OB must name the orderbridge binary}"
: "${OB_SOURCE_DIR:?OB_SOURCE_DIR must name the source tree}"
MAN=$OB_SOURCE_DIR/man
TMP=$(mktemp -d "${TMPDIR:-/tmp}/obman.XXXXXX")
trap 'rm -rf "$TMP"' EXIT
fail() {
	echo "FAIL: $*" >&2
	exit 1
}

if ! command -v groff >/dev/null; then
	if [ "$(id -u)" -eq 0 ]; then
		echo "installing groff-base for this test..." >&2
		export DEBIAN_FRONTEND=noninteractive
		apt-get install -y --no-install-recommends groff-base >"$TMP/apt.log" 2>&1 ||
			{ apt-get update >>"$TMP/apt.log" 2>&1 &&
				apt-get install -y --no-install-recommends groff-base >>"$TMP/apt.log" 2>&1; } || true
	fi
	if ! command -v groff >/dev/null; then
		[ -f "$TMP/apt.log" ] && tail -5 "$TMP/apt.log" >&2
		echo "SKIP: groff is not installed and could not be installed (Debian package groff-base;" \
			"scripts/bootstrap.sh installs it)"
		exit 0
	fi
fi

shopt -s nullglob
pages=("$MAN"/*.1 "$MAN"/*.5)
[ ${#pages[@]} -gt 0 ] || fail "no manual pages in $MAN"

# 1. Every page renders without a warning, as man(1) would render it
# (preconv for the UTF-8 text, tbl for tables).
for page in "${pages[@]}"; do
	name=$(basename "$page")
	if ! groff -k -t -man -Tutf8 -ww -z "$page" 2>"$TMP/warn"; then
		cat "$TMP/warn" >&2
		fail "groff could not render $name"
	fi
	if [ -s "$TMP/warn" ]; then
		cat "$TMP/warn" >&2
		fail "groff warns about $name"
	fi
	# The .TH title and section match the file name.
	sect=${name##*.}
	title=$(sed -n 's/^\.TH \([^ ]*\) \([^ ]*\).*/\1 \2/p' "$page" | head -1)
	want="$(basename "$name" ".$sect" | tr '[:lower:]' '[:upper:]') $sect"
	[ "$title" = "$want" ] || fail "$name: .TH says '$title', expected '$want'"
	# Rendered at a narrow width, no line overflows (long example lines would).
	groff -k -t -man -Tutf8 -rLL=78n -rIN=4n "$page" 2>/dev/null | sed 's/\x1b\[[0-9;]*m//g; s/.\x08//g' >"$TMP/out"
	grep -q "NAME" "$TMP/out" || fail "$name rendered to nothing"
	python3 - "$TMP/out" "$name" <<'PY' || fail "$name has lines wider than 78 columns at the usual indent (shorten them)"
import sys
bad = [l.rstrip("\n") for l in open(sys.argv[1], encoding="utf-8") if len(l.rstrip("\n")) > 78]
for l in bad:
    print("%s: %d: %s" % (sys.argv[2], len(l), l), file=sys.stderr)
sys.exit(1 if bad else 0)
PY
done
if command -v mandoc >/dev/null; then
	# -W warning: style notes are not failures, warnings and errors are.
	if ! mandoc -T lint -W warning "${pages[@]}" >"$TMP/lint" 2>&1; then
		cat "$TMP/lint" >&2
		fail "mandoc -T lint complains"
	fi
else
	echo "note: mandoc is not installed; checked with groff only"
fi
if command -v man >/dev/null; then
	MANWIDTH=80 man -l "$MAN/orderbridge.1" >"$TMP/man.txt" 2>"$TMP/man.err" || {
		cat "$TMP/man.err" >&2
		fail "man -l man/orderbridge.1 failed"
	}
	[ -s "$TMP/man.err" ] && { cat "$TMP/man.err" >&2; fail "man -l man/orderbridge.1 printed warnings"; }
fi

# 2. A page per command, and every option of a command's help text on its page.
[ -f "$MAN/orderbridge.1" ] && [ -f "$MAN/orderbridge.conf.5" ] && [ -f "$MAN/orderbridge-template.5" ] ||
	fail "orderbridge.1, orderbridge.conf.5 and orderbridge-template.5 are required"
commands=$("$OB" help | sed -n '/^commands:/,/^$/p' | awk 'NF > 1 && $1 != "help" && $1 != "commands:" { print $1 }')
[ -n "$commands" ] || fail "could not read the commands from 'orderbridge help'"
for cmd in $commands; do
	page=$MAN/orderbridge-$cmd.1
	[ -f "$page" ] || fail "no page for '$cmd': expected $page"
	grep -q "orderbridge\\\\-$cmd (1)\|BR orderbridge\\\\-$cmd (1)" "$MAN/orderbridge.1" ||
		fail "orderbridge.1 does not list orderbridge-$cmd(1)"
	groff -k -t -man -Tutf8 "$page" 2>/dev/null | sed 's/.\x08//g; s/\x1b\[[0-9;]*m//g' >"$TMP/$cmd.txt"
	"$OB" help "$cmd" | { grep -o -- '--[a-z][a-z-]*\|\(^\|[^a-z-]\)-[a-zA-Z]\b' || true; } |
		sed 's/^[^-]*//' | sort -u >"$TMP/$cmd.opts"
	while read -r opt; do
		grep -q -- "$opt\b" "$TMP/$cmd.txt" || fail "orderbridge-$cmd.1 does not mention $opt (from 'orderbridge help $cmd')"
	done <"$TMP/$cmd.opts"
done
# The global options of `orderbridge --help` are on orderbridge.1.
groff -k -t -man -Tutf8 "$MAN/orderbridge.1" 2>/dev/null | sed 's/.\x08//g; s/\x1b\[[0-9;]*m//g' >"$TMP/main.txt"
for opt in --config --account --quiet --verbose --help --version; do
	grep -q -- "$opt" "$TMP/main.txt" || fail "orderbridge.1 does not mention $opt"
done
# Every key a configuration takes is on orderbridge.conf.5 (the sandbox's
# configuration uses every market's keys).
groff -k -t -man -Tutf8 "$MAN/orderbridge.conf.5" 2>/dev/null | sed 's/.\x08//g; s/\x1b\[[0-9;]*m//g' >"$TMP/conf.txt"
for key in base_url rate jobs timeout vendor_id access_key secret_key wing_user api_key client_id client_secret; do
	grep -q -- "$key" "$TMP/conf.txt" || fail "orderbridge.conf.5 does not mention the key $key"
done

# 3. cmake --install puts them under share/man (the build directory is the
# binary's, as ctest runs it).
BUILD=$(dirname "$OB")
if [ -f "$BUILD/cmake_install.cmake" ] && command -v cmake >/dev/null; then
	cmake --install "$BUILD" --prefix "$TMP/inst" >"$TMP/install.log" 2>&1 || {
		tail -5 "$TMP/install.log" >&2
		fail "cmake --install failed"
	}
	for page in "${pages[@]}"; do
		name=$(basename "$page")
		[ -f "$TMP/inst/share/man/man${name##*.}/$name" ] ||
			fail "cmake --install did not install $name (re-run cmake to pick up new pages)"
	done
	if command -v man >/dev/null; then
		MANPATH=$TMP/inst/share/man MANWIDTH=80 man orderbridge.conf >/dev/null 2>&1 ||
			fail "man orderbridge.conf does not find the installed page"
	fi
fi
echo "ok: ${#pages[@]} pages"
