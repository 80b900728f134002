#!/bin/bash
# A static audit of the C sources under src/ and tools/: no program is ever
# run through a shell (or at all: system, popen, the exec family,
# posix_spawn, wordexp), SQL is never formatted (sqlite3_mprintf and
# friends), and every SQL text handed to SQLite is made of string literals
# only, so data can reach a statement through bound parameters alone. A
# helper that takes SQL text (store_stmt, the store's file-local ones) may
# pass its own parameter on, because each of its calls is checked in turn;
# a buffer of SQL may be assembled with snprintf only from literals. The
# two places that are neither are allowed below, each with its reason.
# First the audit is run on planted violations, so that it can fail.
set -u
. "$(dirname "$0")/lib.bash"
cd "$(dirname "$0")/.." || exit 1

read -r -d '' AUDIT <<'PERL'
use strict;
use warnings;

# functions that take SQL text, and which argument holds it (0-based)
my %sql_arg = (
	sqlite3_prepare => 1, sqlite3_prepare_v2 => 1, sqlite3_prepare_v3 => 1,
	sqlite3_prepare16 => 1, sqlite3_prepare16_v2 => 1, sqlite3_prepare16_v3 => 1,
	sqlite3_exec => 1,
	store_stmt => 2,    # src/store/store.c: prepares once, caches by id
);
# file-local helpers that take SQL text
my %local_sql_arg = (
	'src/store/store.c' => { pragma => 1, run => 2 },
	'src/store/store_schema.c' => { query_int => 1, run_script => 1 },
	'src/store/store_consent.c' => { exec_int64 => 1 },
	'src/store/store_stats.c' => { prepare => 1 },
	'tools/soakcheck/soakcheck.c' => { prepare => 0 },
);
# file, enclosing function, argument as written => why it is safe
my %allow = (
	"src/store/store_conversation.c\0store_conversation_list\0sql" =>
		'the filter\'s SQL, assembled by snprintf from literal fragments and "?" placeholders only (checked below); every value is bound',
	"src/store/store_schema.c\0migrate_locked\0migrations[i].sql" =>
		'the schema migrations: a static table of literal scripts, the same for every store, no data in them',
);
my @forbidden = qw(system popen execl execle execlp execv execve execvp execvpe fexecve
	posix_spawn posix_spawnp wordexp);
my @sql_format = qw(sqlite3_mprintf sqlite3_vmprintf sqlite3_snprintf sqlite3_vsnprintf
	sqlite3_str_appendf sqlite3_str_vappendf sqlite3_get_table);
my %string_build = (snprintf => 2, vsnprintf => 2, sprintf => 1, vsprintf => 1,
	strcat => 1, strncat => 1, strcpy => 1, stpcpy => 1);
my $sql_words = qr/\b(?:SELECT|INSERT\s+INTO|UPDATE\s+\w+\s+SET|DELETE\s+FROM|CREATE\s+(?:TABLE|INDEX|TRIGGER|VIEW)|DROP\s+(?:TABLE|INDEX|TRIGGER)|ALTER\s+TABLE|PRAGMA|WHERE)\b/;

my (%text, %macro, %used, $violations, $checked);
my $string = qr/"(?:[^"\\\n]|\\.)*"/;
my $char = qr/'(?:[^'\\\n]|\\.)*'/;

# the source with comments blanked (line numbers kept), strings left alone
sub strip {
	my ($s) = @_;
	$s =~ s{($string|$char)|(/\*.*?\*/|//[^\n]*)}{
		defined $1 ? $1 : do { (my $c = $2) =~ s/[^\n]/ /g; $c }
	}gse;
	return $s;
}

my @files;
for my $root (@ARGV) {
	open(my $find, '-|', 'find', $root, '-type', 'f', '(', '-name', '*.c', '-o', '-name', '*.h', ')')
		or die "find: $!";
	push @files, map { chomp; $_ } <$find>;
}
for my $f (sort @files) {
	open(my $fh, '<', $f) or die "$f: $!";
	local $/;
	$text{$f} = strip(<$fh>);
	while ($text{$f} =~ /^[ \t]*#[ \t]*define[ \t]+(\w+)[ \t]+((?:[^\n]*\\\n)*[^\n]*)/mg) {
		my ($name, $body) = ($1, $2);
		$body =~ s/\\\n/ /g;
		$macro{$name} = $body;
	}
}

sub literal_only;
sub literal_only {
	my ($e, $depth) = @_;
	$depth //= 0;
	return 0 if $depth > 8;
	$e =~ s/^\s+|\s+$//g;
	$e = $1 while $e =~ /^\((.*)\)$/s && balanced($1);
	return 0 if $e eq '';
	while ($e =~ /\G\s*(?:($string)|([A-Z_][A-Z0-9_]*))/gc) {
		if (defined $2) {
			return 0 unless exists $macro{$2} && literal_only($macro{$2}, $depth + 1);
		}
	}
	return (pos($e) // 0) == length($e) || substr($e, pos($e) // 0) =~ /^\s*$/;
}

sub balanced {
	my ($s) = @_;
	my $d = 0;
	for my $t ($s =~ /$string|$char|[()]/g) {
		$d++ if $t eq '(';
		$d-- if $t eq ')';
		return 0 if $d < 0;
	}
	return $d == 0;
}

# splits at top-level occurrences of the separator characters
sub split_top {
	my ($s, $sep) = @_;
	my (@parts, $d);
	my $cur = '';
	$d = 0;
	while ($s =~ /\G($string|$char|[()\[\]{}]|[^"'()\[\]{}]+?)/gcs) {
		my $t = $1;
		if ($t =~ /^[(\[{]$/) { $d++ }
		elsif ($t =~ /^[)\]}]$/) { $d-- }
		if ($d == 0 && length($t) == 1 && index($sep, $t) >= 0) {
			push @parts, $cur;
			$cur = '';
			next;
		}
		$cur .= $t;
	}
	push @parts, $cur;
	return @parts;
}

# literals, or cond ? literals : literals (nested)
sub constant_text {
	my ($e) = @_;
	return 1 if literal_only($e);
	my @q = split_top($e, '?');
	return 0 unless @q == 2;
	my @c = split_top($q[1], ':');
	return @c == 2 && constant_text($c[0]) && constant_text($c[1]);
}

# NAME is a static const char array or pointer of literals in this file
sub static_literal {
	my ($f, $name) = @_;
	return $text{$f} =~ /static\s+const\s+char\s+(?:\*\s*const\s+)?\Q$name\E\s*(?:\[\s*\])?\s*=\s*(.*?);/s
		&& literal_only($1);
}

# the function whose body holds offset pos: name and parameter names
sub enclosing {
	my ($f, $pos) = @_;
	my ($name, $params) = ('', '');
	my $t = substr($text{$f}, 0, $pos);
	while ($t =~ /^[A-Za-z_][\w \t\*]*?\b(\w+)\s*\(([^;{}]*?)\)\s*\{/mg) {
		($name, $params) = ($1, $2);
	}
	my @names = map { /(\w+)\s*(?:\[\s*\w*\s*\])?\s*$/ ? $1 : '' } split_top($params, ',');
	return ($name, @names);
}

# the arguments of the call whose '(' is at offset open
sub call_args {
	my ($f, $open) = @_;
	my $t = $text{$f};
	my $d = 0;
	pos($t) = $open;
	my $start = $open + 1;
	while ($t =~ /\G($string|$char|[()]|[^"'()]+)/gcs) {
		$d++ if $1 eq '(';
		$d-- if $1 eq ')';
		return split_top(substr($t, $start, pos($t) - 1 - $start), ',') if $d == 0;
	}
	return ();
}

sub line_of { my ($f, $pos) = @_; return 1 + (substr($text{$f}, 0, $pos) =~ tr/\n//); }
sub flat { (my $s = $_[0]) =~ s/\s+/ /g; $s =~ s/^ | $//g; return $s; }
sub violation { print "VIOLATION $_[0]:$_[1]: $_[2]\n"; $violations++; }

for my $f (sort keys %text) {
	my $t = $text{$f};
	my $local = $local_sql_arg{$f} // {};
	while ($t =~ /(?<![\w.>])(\w+)\s*\(/g) {
		my ($fn, $open, $at) = ($1, $+[0] - 1, $-[0]);
		my $line = line_of($f, $at);
		# a definition or a prototype names the function after its type: not a call
		my $before = substr($t, rindex($t, "\n", $at) + 1, $at - rindex($t, "\n", $at) - 1);
		next if $before =~ /^\s*(?:(?:static|extern|const|struct|enum|unsigned)\s+)*\w+[\s*]+$/
			&& $before !~ /^\s*return\b/;
		if (grep { $_ eq $fn } @forbidden) {
			violation($f, $line, "$fn() runs a program");
			next;
		}
		if (grep { $_ eq $fn } @sql_format) {
			violation($f, $line, "$fn() formats SQL text");
			next;
		}
		my $idx = $sql_arg{$fn} // $local->{$fn};
		if (defined $idx) {
			my @a = call_args($f, $open);
			next if @a <= $idx;    # the declaration's parameter list, or a macro
			my $arg = flat($a[$idx]);
			$checked++;
			my ($in, @params) = enclosing($f, $at);
			my $helper = $sql_arg{$in} // $local->{$in};
			next if constant_text($arg);
			next if $arg =~ /^\w+$/ && static_literal($f, $arg);
			next if defined $helper && $arg eq ($params[$helper] // '');
			my $key = "$f\0$in\0$arg";
			if (exists $allow{$key}) {
				$used{$key} = 1;
				print "ALLOWED $f:$line: $fn($arg) in $in(): $allow{$key}\n";
				next;
			}
			violation($f, $line, "$fn() in $in() is given SQL that is not made of literals: $arg");
			next;
		}
		if (defined $string_build{$fn}) {
			my @a = call_args($f, $open);
			my $from = $string_build{$fn};
			next if @a <= $from;
			my @texts = map { flat($_) } @a[$from .. $#a];
			my $sqlish = $a[0] =~ /\bsql\b/i || grep { /$sql_words/ } @texts;
			next unless $sqlish;
			for my $x (@texts) {
				next if constant_text($x);
				violation($f, $line, "$fn() builds SQL text from something other than literals: $x");
			}
		}
	}
	while ($t =~ m{"/bin/(?:ba)?sh"}g) {
		print "SHELL $f:" . line_of($f, $-[0]) . "\n";
	}
}
# the migrations' allowance holds only while their table is made of literals
if (my $schema = $text{'src/store/store_schema.c'}) {
	my ($table) = $schema =~ /static\s+const\s+struct\s+migration\s+migrations\[\]\s*=\s*\{(.*?)\n\};/s;
	my $steps = 0;
	for my $entry (split_top($table // '', ',')) {
		next if $entry =~ /^\s*$/;
		(my $inner = $entry) =~ s/^\s*\{|\}\s*$//g;
		my @f = split_top($inner, ',');
		$steps++;
		violation('src/store/store_schema.c', 0, "a migration that is not literal SQL: " . flat($inner))
			unless @f == 2 && $f[0] =~ /^\s*\d+\s*$/ && literal_only($f[1]);
	}
	violation('src/store/store_schema.c', 0, 'the migrations table was not found') unless $steps;
	print "MIGRATIONS $steps\n";
}
for my $k (sort keys %allow) {
	next if $used{$k};
	my ($f, $in, $arg) = split /\0/, $k;
	print "UNUSED $f: $in(): $arg (remove it from the allow-list)\n" if exists $text{$f};
}
printf "FILES %d\nCHECKED %d\n", scalar(keys %text), $checked // 0;
PERL

# audit ROOT...: the findings, one per line
audit() { perl -e "$AUDIT" "$@"; }

# ---- the audit can fail: planted violations ----
tmp=$(mktemp -d /tmp/parley-audit-XXXXXX)
trap 'rm -rf "$tmp"' EXIT
mkdir -p "$tmp/src"
cat >"$tmp/src/planted.c" <<'EOF'
#define COLS "id, text"
static const char good_sql[] = "SELECT " COLS " FROM messages WHERE id = ?1";
static void planted(sqlite3 *db, const char *text, const char *table)
{
	char sql[256], cmd[256];
	sqlite3_stmt *s;
	/* system("comments do not count") */
	snprintf(cmd, sizeof(cmd), "echo '%s'", text);
	system(cmd);
	FILE *p = popen(cmd, "r");
	execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
	char *q = sqlite3_mprintf("INSERT INTO messages (text) VALUES ('%q')", text);
	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE id = 1", table);
	sqlite3_prepare_v2(db, sql, -1, &s, NULL);
	sqlite3_exec(db, q, NULL, NULL, NULL);
	sqlite3_prepare_v2(db, good_sql, -1, &s, NULL);
	sqlite3_prepare_v2(db, "SELECT " COLS " FROM messages", -1, &s, NULL);
	sqlite3_exec(db, text ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
	snprintf(sql, sizeof(sql), "SELECT 1 WHERE %s", text ? "a = ?" : "b IS NULL");
}
EOF
out=$(audit "$tmp/src")
count() { grep -c -- "$1" <<<"$out"; }
check "planted: system() is found" test "$(count 'VIOLATION .*planted.c:9: system()')" -eq 1
check "planted: popen() is found" test "$(count 'planted.c:10: popen()')" -eq 1
check "planted: execl() and its /bin/sh are found" \
	test "$(count 'planted.c:11: execl()')" -eq 1 -a "$(count 'SHELL .*planted.c:11')" -eq 1
check "planted: sqlite3_mprintf() is found" test "$(count 'planted.c:12: sqlite3_mprintf()')" -eq 1
check "planted: SQL formatted with %s data is found" test "$(count 'planted.c:13: snprintf() builds SQL text from something other than literals: table')" -eq 1
check "planted: a prepared buffer of SQL is found" test "$(count 'planted.c:14: sqlite3_prepare_v2() in planted() is given SQL that is not made of literals: sql')" -eq 1
check "planted: sqlite3_exec of a variable is found" test "$(count 'planted.c:15: sqlite3_exec()')" -eq 1
check "planted: literals, literal macros, static literal arrays and ternaries pass" \
	test "$(grep -c 'planted.c:1[6-9]' <<<"$out")" -eq 0
check "planted: nothing else, comments included ($(grep -c VIOLATION <<<"$out") findings)" \
	test "$(grep -c VIOLATION <<<"$out")" -eq 7

# ---- the sources ----
out=$(audit src tools)
files=$(sed -n 's/^FILES //p' <<<"$out")
checked=$(sed -n 's/^CHECKED //p' <<<"$out")
steps=$(sed -n 's/^MIGRATIONS //p' <<<"$out")
check "the audit read the sources ($files files, $checked SQL texts, $steps migrations)" \
	test "${files:-0}" -gt 100 -a "${checked:-0}" -gt 80 -a "${steps:-0}" -ge 7
shell=$(grep -E '^VIOLATION .*runs a program|^SHELL ' <<<"$out")
check "no program is run from src/ or tools/" test -z "$shell"
[ -n "$shell" ] && echo "$shell"
sql=$(grep -E '^VIOLATION ' <<<"$out" | grep -v 'runs a program')
check "SQL is literal text, data only in bound parameters" test -z "$sql"
[ -n "$sql" ] && echo "$sql"
allowed=$(grep -c '^ALLOWED ' <<<"$out")
check "the two allowed exceptions are where they were ($allowed)" test "$allowed" -eq 2
grep '^ALLOWED ' <<<"$out" | sed 's/^ALLOWED /# allowed: /'
unused=$(grep '^UNUSED ' <<<"$out")
check "the allow-list has no stale entry" test -z "$unused"
[ -n "$unused" ] && echo "$unused"

exit $((failed > 0))
