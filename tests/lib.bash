# Shared by the shell tests: TAP-like "ok - ..." / "not ok - ..." lines that
# tests/run-tests counts, and small checks. Source it; it sets failed=0.
failed=0

pass() { echo "ok - $1"; }
fail() { echo "not ok - $1"; failed=$((failed + 1)); }

# check DESCRIPTION COMMAND...: passes when the command succeeds.
check() {
	local desc=$1
	shift
	if "$@"; then pass "$desc"; else fail "$desc"; fi
}

# has HAYSTACK NEEDLE: the needle appears verbatim.
has() { [[ $1 == *"$2"* ]]; }
