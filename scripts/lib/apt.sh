# Sourced by scripts/install-*.sh: install Debian packages with apt-get, as root or through sudo, waiting for a
# dpkg lock another process holds (up to 5 minutes) rather than failing at once.
#   apt_prepare <script name> <what to do without apt-get>   then   apt_install <package>...
# After apt_prepare, "${SUDO[@]}" runs a command as root.

apt_prepare() {
    APT_SCRIPT="$1"
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "$APT_SCRIPT: apt-get not found. $2" >&2
        exit 1
    fi
    SUDO=()
    if [[ "$(id -u)" -ne 0 ]]; then
        SUDO=(sudo)
    fi
    export DEBIAN_FRONTEND=noninteractive
    APT=(apt-get -o DPkg::Lock::Timeout=300)
    APT_UPDATED=""
}

apt_install() {
    echo "$APT_SCRIPT: apt-get install $*"
    if [[ -z "$APT_UPDATED" ]]; then
        "${SUDO[@]}" "${APT[@]}" update -qq
        APT_UPDATED=1
    fi
    "${SUDO[@]}" "${APT[@]}" install -y -qq --no-install-recommends "$@" >/dev/null
}
