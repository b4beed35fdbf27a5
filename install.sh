#!/bin/sh
# Installs connector: downloads the executable for this machine and SHA256SUMS from a release, checks the
# checksum, and puts the executable at PREFIX/bin/connector (default ~/.local/bin/connector).
#
#   sh install.sh [--prefix DIR]
#   curl -fsSL <release>/install.sh | sh -s -- --prefix DIR
#
# CONNECTOR_RELEASE_URL is the base URL of the release files (connector-<os>-<arch>, SHA256SUMS). POSIX sh; needs
# curl or wget, and sha256sum or shasum.
set -eu

# The project's release location (GitHub's "latest release" download URL). A placeholder until the project
# publishes releases there: set CONNECTOR_RELEASE_URL to install from anywhere else.
DEFAULT_RELEASE_URL="https://github.com/connector-dev/connector/releases/latest/download"

say() { printf 'install.sh: %s\n' "$*"; }
fail() {
  code=$1
  shift
  printf 'install.sh: %s\n' "$*" >&2
  exit "$code"
}

usage() {
  cat <<EOF
Usage: install.sh [--prefix DIR]

Installs the connector executable for this machine at DIR/bin/connector, after checking it against the
release's SHA256SUMS. Nothing is installed when a download or the check fails.

Options:
  --prefix DIR   install into DIR/bin (default: \$HOME/.local)
  -h, --help     show this help

Environment:
  CONNECTOR_RELEASE_URL   where the release files are (default: $DEFAULT_RELEASE_URL)
EOF
}

prefix=
while [ $# -gt 0 ]; do
  case $1 in
    --prefix)
      [ $# -ge 2 ] || fail 2 "--prefix needs a directory, e.g. --prefix \"\$HOME/.local\""
      prefix=$2
      shift 2
      ;;
    --prefix=*) prefix=${1#--prefix=}; shift ;;
    -h | --help) usage; exit 0 ;;
    *) fail 2 "unknown argument '$1': run 'sh install.sh --help'" ;;
  esac
done
if [ -z "$prefix" ]; then
  [ -n "${HOME:-}" ] || fail 2 "HOME is not set: give --prefix DIR"
  prefix=$HOME/.local
fi
case $prefix in
  /*) ;;
  *) prefix=$(pwd)/$prefix ;;
esac
bindir=${prefix%/}/bin
base=${CONNECTOR_RELEASE_URL:-$DEFAULT_RELEASE_URL}
base=${base%/}

os=$(uname -s)
arch=$(uname -m)
case $os in
  Linux) os=linux ;;
  Darwin) os=darwin ;;
  MINGW* | MSYS* | CYGWIN* | Windows_NT)
    fail 1 "this script installs on Linux and macOS; on Windows download $base/connector-windows-x64.exe and check it against $base/SHA256SUMS" ;;
  *) fail 1 "unsupported operating system '$os': connector is built for Linux and macOS (x64, arm64) and Windows (x64)" ;;
esac
case $arch in
  x86_64 | amd64) arch=x64 ;;
  aarch64 | arm64) arch=arm64 ;;
  *) fail 1 "unsupported architecture '$arch': connector is built for x64 (x86_64) and arm64 (aarch64)" ;;
esac
# An x64 shell under Rosetta 2 on Apple silicon: install the native build.
if [ "$os" = darwin ] && [ "$arch" = x64 ] && [ "$(sysctl -n sysctl.proc_translated 2>/dev/null || true)" = 1 ]; then
  arch=arm64
fi
asset=connector-$os-$arch

if command -v curl >/dev/null 2>&1; then
  fetcher=curl
elif command -v wget >/dev/null 2>&1; then
  fetcher=wget
else
  fail 1 "neither curl nor wget is installed: install one, or download $base/$asset yourself"
fi
if command -v sha256sum >/dev/null 2>&1; then
  hasher="sha256sum"
elif command -v shasum >/dev/null 2>&1; then
  hasher="shasum -a 256"
else
  fail 1 "neither sha256sum nor shasum is installed: the download cannot be checked, so nothing was installed"
fi
case $base in
  https://* | http://127.0.0.1[:/]* | http://localhost[:/]*) ;;
  *) printf 'install.sh: warning: %s is not https: the checksum only catches a damaged download\n' "$base" >&2 ;;
esac

# Everything is downloaded into a private temporary directory that is removed however the script ends.
tmp=
staged=
cleanup() {
  if [ -n "$staged" ]; then rm -f "$staged"; fi
  if [ -n "$tmp" ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM
tmp=$(mktemp -d "${TMPDIR:-/tmp}/connector-install.XXXXXX")

download() {
  if [ "$fetcher" = curl ]; then
    curl -fsSL -o "$2" "$1" || fail 1 "could not download $1 (curl exit $?)"
  else
    wget -q -O "$2" "$1" || fail 1 "could not download $1 (wget exit $?)"
  fi
}

say "downloading $asset from $base"
download "$base/SHA256SUMS" "$tmp/SHA256SUMS"
expected=$(awk -v f="$asset" '$2 == f || $2 == "*" f { print $1; exit }' "$tmp/SHA256SUMS")
case $expected in
  "" | *[!0-9a-f]*) fail 1 "SHA256SUMS at $base has no checksum for $asset: nothing was installed" ;;
esac
[ ${#expected} -eq 64 ] || fail 1 "SHA256SUMS at $base has a malformed checksum for $asset: nothing was installed"
download "$base/$asset" "$tmp/$asset"
actual=$($hasher "$tmp/$asset" | awk '{ print $1 }')
if [ "$actual" != "$expected" ]; then
  fail 1 "checksum mismatch for $asset: expected $expected, got $actual. The download is damaged or was tampered with; nothing was installed"
fi

mkdir -p "$bindir" || fail 1 "cannot create $bindir: choose another --prefix"
# Staged next to the target, so the final mv is a rename: an existing connector is replaced whole or not at all.
staged=$bindir/.connector.install.$$
cp "$tmp/$asset" "$staged" || fail 1 "cannot write to $bindir: choose another --prefix"
chmod 755 "$staged"
version=$("$staged" --version 2>&1) ||
  fail 1 "the downloaded $asset does not run on this machine (Linux builds need glibc, and on x64 a 2013-or-later CPU): $version"
mv -f "$staged" "$bindir/connector"
staged=

say "installed $version at $bindir/connector"
case ":${PATH:-}:" in
  *":$bindir:"*) say "run: connector --help" ;;
  *)
    case ${SHELL:-} in
      */zsh) rc='~/.zshrc' ;;
      */bash) rc='~/.bashrc' ;;
      *) rc='~/.profile' ;;
    esac
    say "$bindir is not on your PATH; add it with:"
    printf '\n  echo '\''export PATH="%s:$PATH"'\'' >> %s\n\n' "$bindir" "$rc"
    say "then open a new terminal, or run it now: \"$bindir/connector\" --help"
    ;;
esac
