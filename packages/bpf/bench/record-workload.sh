#!/bin/sh
# Records which syscalls a small C build makes (strace -c -f over `make`), for the
# benchmark's "20 most frequent syscalls" figure. Writes workload.json next to this script.
# Needs gcc, make, strace, python3. Run: sh bench/record-workload.sh
set -eu
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
for i in 1 2 3 4 5 6; do
  cat > "m$i.c" <<C
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
int f$i(const char *s) { char b[64]; snprintf(b, sizeof b, "%s-%d", s, $i); return (int)strlen(b); }
C
done
cat > main.c <<'C'
#include <stdio.h>
int f1(const char*);int f2(const char*);int f3(const char*);int f4(const char*);int f5(const char*);int f6(const char*);
int main(void) { printf("%d\n", f1("a")+f2("b")+f3("c")+f4("d")+f5("e")+f6("f")); return 0; }
C
cat > Makefile <<'M'
OBJS = main.o m1.o m2.o m3.o m4.o m5.o m6.o
app: $(OBJS)
	$(CC) -o $@ $(OBJS)
%.o: %.c
	$(CC) -O2 -Wall -c $<
M
strace -f -c -U name,calls -o trace.txt make -s >/dev/null 2>&1
./app >/dev/null
python3 - "$here/workload.json" trace.txt <<'PY'
import json, re, sys
out, src = sys.argv[1], sys.argv[2]
counts = {}
for line in open(src):
    m = re.match(r'^\s*([a-z_0-9]+)\s+(\d+)\s*$', line)
    if m and m.group(1) != 'total':
        counts[m.group(1)] = int(m.group(2))
top = sorted(counts.items(), key=lambda kv: -kv[1])
json.dump({"workload": "strace -f -c make (7 C files, gcc -O2) on x86_64",
           "calls": dict(top)}, open(out, "w"), indent=1)
print(f"{len(top)} syscalls, top: {top[:5]}")
PY
