#!/usr/bin/env bash
# Installs what ProfileOps needs on a fresh Debian-based machine (run as root): a JDK and Maven to
# build, git, libseccomp for syscall names, runc and a static busybox for the enforcement tests.
set -euo pipefail

packages=(openjdk-17-jdk-headless maven git libseccomp2 runc busybox-static ca-certificates gnupg openssh-client openssh-server)

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

# Maven must build with Java 17 or newer.
java -version 2>&1 | head -1 >&2
