#!/bin/sh
# Compiles a BPF C source into a relocatable object for libbpf: clang -target bpf -O2 -g.
# -g keeps the BTF that CO-RE relocation and map definitions need; -mcpu=v3 allows BPF atomics.
# Usage: build.sh SOURCE.bpf.c OUTPUT.bpf.o
set -eu
source=$1
output=$2
command -v clang >/dev/null 2>&1 || { echo "clang is not installed (apt-get install clang llvm libbpf-dev)" >&2; exit 1; }
[ -f /usr/include/bpf/bpf_helpers.h ] || { echo "libbpf headers are missing (apt-get install libbpf-dev)" >&2; exit 1; }
# linux/bpf.h needs asm/types.h, which Debian keeps under the multiarch directory.
multiarch=$(clang -print-multiarch 2>/dev/null || gcc -dumpmachine 2>/dev/null || true)
mkdir -p "$(dirname "$output")"
clang -target bpf -O2 -g -mcpu=v3 -Wall -Werror ${multiarch:+-idirafter /usr/include/$multiarch} \
  -c "$source" -o "$output"
