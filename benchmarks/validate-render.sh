#!/usr/bin/env bash
# Benchmark (not a test): `validate` and `render` of a generated repository of 5,000 SeccompProfiles
# (10 bases, 4,990 profiles extending them, 40 syscalls each). Prints wall time and profiles/s for
# each command, including JVM start, as a user running ./profileops sees it.
# Usage: benchmarks/validate-render.sh [COUNT] [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
count="${1:-5000}"
runs="${2:-3}"
dir="$(mktemp -d /tmp/profileops-bench-XXXXXX)"
[ -n "${KEEP:-}" ] || trap 'rm -rf "$dir"' EXIT; echo "repository: $dir" >&2

syscalls=(read write openat close fstat lseek mmap mprotect munmap brk rt_sigaction rt_sigprocmask ioctl
  pread64 pwrite64 readv writev access pipe select sched_yield mremap msync mincore madvise dup dup2
  nanosleep getpid sendfile socket connect accept sendto recvfrom bind listen getsockname clone execve)

bases=10
for ((b = 0; b < bases; b++)); do
  {
    printf 'apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\nmetadata:\n  name: base-%d\nspec:\n' "$b"
    printf '  defaultAction: SCMP_ACT_ERRNO\n  architectures: [SCMP_ARCH_X86_64, SCMP_ARCH_AARCH64]\n  syscalls:\n    - action: SCMP_ACT_ALLOW\n      names:\n'
    for s in "${syscalls[@]}"; do printf '        - %s\n' "$s"; done
  } > "$dir/base-$b.yaml"
done
mkdir -p "$dir/teams"
for ((i = bases; i < count; i++)); do
  {
    printf 'apiVersion: security-profiles-operator.x-k8s.io/v1\nkind: SeccompProfile\nmetadata:\n  name: app-%d\n  labels: {team: t%d}\nspec:\n' "$i" $((i % 50))
    printf '  baseProfileName: base-%d\n  defaultAction: SCMP_ACT_ERRNO\n  syscalls:\n    - action: SCMP_ACT_ALLOW\n      names:\n' $((i % bases))
    for s in "${syscalls[@]}"; do printf '        - %s\n' "$s"; done
    printf '    - action: SCMP_ACT_ERRNO\n      errnoRet: 1\n      names: [ptrace]\n'
  } > "$dir/teams/app-$i.yaml"
done

./profileops --version >/dev/null   # build outside the timings

now_ms() { date +%s%3N; }
echo "profiles=$count runs=$runs cores=$(nproc) java=$(java -version 2>&1 | head -1)"
for cmd in validate render; do
  for ((r = 1; r <= runs; r++)); do
    start=$(now_ms)
    ./profileops "$cmd" "$dir" > /dev/null 2>"$dir.err" || { cat "$dir.err"; exit 1; }
    end=$(now_ms)
    ms=$((end - start))
    awk -v c="$cmd" -v r="$r" -v ms="$ms" -v n="$count" \
      'BEGIN { printf "%-8s run %d: wall %6.2f s  %8.0f profiles/s\n", c, r, ms / 1000, n / (ms / 1000) }'
  done
done
rm -f "$dir.err"
