# Sourced by the install-*.sh scripts: installs Debian packages a test needs, once. Test projects run
# in parallel and more than one may need the same packages: the install is serialised by a lock per
# purpose, and whoever waited finds them installed. dpkg's own lock is waited for too, in case
# something else is installing packages.
#
# install_debian_packages LOCK_NAME PURPOSE CHECK PACKAGE...
#   CHECK is a shell function that succeeds when everything is installed; it is asked again once
#   the lock is held.
install_debian_packages() {
  local lock_name=$1 purpose=$2 check=$3
  shift 3
  "$check" && return 0
  if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "paystream: $purpose needs Debian's $* (apt-get install $*)" >&2
    return 1
  fi
  local lock_dir
  lock_dir="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/.local"
  mkdir -p "$lock_dir"
  exec 9>"$lock_dir/$lock_name-install.lock"
  flock -w 900 9 || { echo "paystream: waited 15 minutes for another install of $* to finish" >&2; return 1; }
  if ! "$check"; then
    echo "paystream: installing Debian's $* for $purpose" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get -o DPkg::Lock::Timeout=600 update -qq >&2
    apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends "$@" >&2
  fi
  exec 9>&-
}
