#!/usr/bin/env bash
# The test command, on a fresh Debian machine as on CI: installs what the tests need when it is
# missing (Debian packages, with apt-get, as root), then runs the whole suite. Arguments go to Maven:
#
#   ./test.sh                                  # install what is missing, then mvn -B verify
#   ./test.sh -Dfuzz.duration=5s               # the same with Maven options
#   ./test.sh --install-only                   # only install
#
# A test whose peer is still absent fails naming the Debian package (testkit's Binaries).
set -euo pipefail
cd "$(dirname "$0")"

# Debian packages, by what needs them.
packages=(
  # real peers of the interop and integration tests
  ffmpeg rtmpdump nginx libnginx-mod-rtmp
  gstreamer1.0-tools gstreamer1.0-plugins-bad gstreamer1.0-plugins-good
  # promtool (metrics checks), haproxy (the rolling update's load balancer), curl (HTTP-FLV readers)
  prometheus haproxy curl
  # headless Chromium plays the console in ConsoleBrowserTest
  chromium
  # the signal library for x86_64, and for aarch64 with the cross compiler
  gcc libc6-dev gcc-aarch64-linux-gnu libc6-dev-arm64-cross
  # DockerImageProcessIT: dockerd, and debootstrap for the offline base image
  docker.io debootstrap
)
# The build itself, where the machine does not already carry a JDK and Maven of its own.
command -v javac >/dev/null || packages+=(openjdk-17-jdk-headless)
command -v mvn >/dev/null || packages+=(maven)
# The console's front-end libraries come from npm at build time (npm ci). A machine whose Node.js
# is not Debian's (NodeSource's nodejs carries its own npm, and conflicts with Debian's npm
# package) keeps the npm it has.
command -v npm >/dev/null || packages+=(nodejs npm)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q 'install ok installed'; then
    missing+=("$package")
  fi
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "test.sh: missing Debian packages: ${missing[*]}" >&2
    echo "test.sh: run as root, or first: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
    exit 1
  fi
  echo "== installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# kubectl (>= 1.27, for its kustomize v5) renders k8s/ in the k8s-validation tests. Debian has no
# such package: it comes from the Kubernetes project's own apt repository or the machine image.
if ! command -v kubectl >/dev/null && [ -z "${KUBECTL:-}" ]; then
  echo "test.sh: warning: kubectl is not on PATH: the k8s-validation tests will fail (see k8s/README.md)" >&2
fi

if [ "${1:-}" = "--install-only" ]; then
  exit 0
fi
exec mvn -B verify "$@"
