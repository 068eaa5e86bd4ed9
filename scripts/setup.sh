#!/usr/bin/env bash
# Installs what ProfileOps needs on a fresh Debian-based machine (run as root): a JDK and Maven to
# build, git, libseccomp for syscall names, runc and a static busybox for the enforcement tests,
# clang and libbpf for the eBPF recorder, the SELinux policy tools and a distribution policy store,
# and apparmor_parser. It also mounts the kernel file systems the node daemon reads.
set -euo pipefail

packages=(openjdk-17-jdk-headless maven git libseccomp2 runc busybox-static ca-certificates gnupg openssh-client openssh-server
  clang llvm libbpf1 libbpf-dev bpftool
  policycoreutils semodule-utils selinux-policy-default
  apparmor)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "setup: missing packages: ${missing[*]}; run this script as root (or install them)" >&2
    exit 1
  fi
  echo "setup: installing ${missing[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# tracefs, debugfs and securityfs are not mounted on every fresh machine; the BPF recorder, the log
# enricher and AppArmor read them. Mount each one that is missing (only as root; harmless if present).
if [ "$(id -u)" -eq 0 ]; then
  mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing 2>/dev/null || true
  mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null || true
  mountpoint -q /sys/kernel/security || mount -t securityfs securityfs /sys/kernel/security 2>/dev/null || true
fi

# Maven must build with Java 17 or newer.
java -version 2>&1 | head -1 >&2
