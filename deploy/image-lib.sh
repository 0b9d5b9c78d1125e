# shellcheck shell=bash
# SPDX-License-Identifier: Apache-2.0
# Sourced by deploy/image-test.sh and bench/image-startup.sh: podman in a store of Servitor's own, a runtime base
# built from Debian's packages (this machine reaches no container registry), and deploy/Containerfile built on it.
#   source deploy/image-lib.sh
#   image_store                  -> pm (podman on that store), ulimits, image_driver
#   image_base                   -> image_base_ref: the base, reused while its package set is the same
#   image_build IMAGE JAR DIR    -> IMAGE built from JAR (the log in DIR/build.log)
# Needs root, podman, runc and mmdebstrap. SERVITOR_IMAGE_STORE moves the store (default below);
# SERVITOR_IMAGE_STORAGE_DRIVER forces a storage driver (default: overlay where the kernel mounts it, else vfs).

image_fail() { echo "image: $*" >&2; return 1; }

# A store of its own, so that the storage driver chosen here never meets a store another driver made and
# nothing of a person's own containers is touched. Overlay where the kernel mounts it (a probe mount, as
# podman's own driver would try); vfs otherwise (a full copy per layer: slower and larger, works anywhere).
image_store() {
  [ "$(id -u)" = 0 ] || image_fail "run as root (podman and mmdebstrap build the image as root here)" || return
  local c
  for c in podman runc mmdebstrap; do
    command -v "$c" >/dev/null || [ -x "/usr/sbin/$c" ] || image_fail "$c is missing (apt-get install podman runc mmdebstrap uidmap)" || return
  done
  image_store_dir="${SERVITOR_IMAGE_STORE:-/var/lib/containers/servitor-image-test}"
  image_driver="${SERVITOR_IMAGE_STORAGE_DRIVER:-}"
  if [ -z "$image_driver" ]; then
    local probe
    mkdir -p "$image_store_dir"; probe="$(mktemp -d -p "$image_store_dir" probe-XXXXXX)"
    mkdir -p "$probe"/{lower,upper,work,merged}
    if mount -t overlay overlay -o "lowerdir=$probe/lower,upperdir=$probe/upper,workdir=$probe/work" "$probe/merged" 2>/dev/null; then
      umount "$probe/merged"; image_driver=overlay
    else
      image_driver=vfs
    fi
    rm -rf "$probe"
  fi
  ulimits=(--ulimit nofile=20000:20000 --ulimit nproc=4096:4096)
}
pm() {
  podman --root "$image_store_dir/$image_driver" --runroot "/run/servitor-image-test/$image_driver" \
    --storage-driver "$image_driver" "$@"
}

# The base: a JRE and what the Containerfile's runtime stage uses (bash for the healthcheck, useradd); no apt,
# no documentation. Its tag names a digest of exactly these arguments, so a changed package set builds anew;
# Debian's later security updates come with a new base: `pm rmi` the old one.
image_base() {
  local suite=bookworm debs=(openjdk-17-jre-headless passwd)
  # shellcheck disable=SC2016 # the setup hook's $1 (the new root) is mmdebstrap's to expand
  local args=(--variant=essential --include="$(IFS=,; echo "${debs[*]}")"
    --hook-dir=/usr/share/mmdebstrap/hooks/merged-usr
    --dpkgopt='path-exclude=/usr/share/doc/*' --dpkgopt='path-exclude=/usr/share/man/*'
    --dpkgopt='path-exclude=/usr/share/locale/*'
    # update-alternatives needs the directory of the java man page, which the exclusion above leaves out.
    --setup-hook='mkdir -p "$1/usr/share/man/man1"'
    "$suite" -
    "deb http://deb.debian.org/debian $suite main"
    "deb http://deb.debian.org/debian $suite-updates main"
    "deb http://deb.debian.org/debian-security $suite-security main")
  image_base_ref="localhost/servitor-base:$suite-jre17-$(printf '%s\n' "${args[@]}" | sha256sum | cut -c1-12)"
  if pm image exists "$image_base_ref"; then
    echo "image: base $image_base_ref reused"; return 0
  fi
  echo "image: base $image_base_ref: mmdebstrap ${debs[*]} ($suite)"
  local tarball; tarball="$(mktemp /var/tmp/servitor-base-XXXXXX.tar)"
  if ! mmdebstrap "${args[@]}" </dev/null >"$tarball" 2>"$tarball.log"; then
    tail -n 30 "$tarball.log" >&2; rm -f "$tarball" "$tarball.log"; image_fail "mmdebstrap failed"; return
  fi
  if ! pm import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
       --change 'CMD ["/bin/bash"]' "$tarball" "$image_base_ref" >"$tarball.log" 2>&1; then
    cat "$tarball.log" >&2; rm -f "$tarball" "$tarball.log"; image_fail "podman import failed"; return
  fi
  rm -f "$tarball" "$tarball.log"
}

# The image, from a context laid out as the repository is (the launcher, server/target/servitor-*.jar and the
# .dockerignore), so the Containerfile's paths are the ones a person's `podman build .` uses. No network: the
# base is local and the training run talks to itself over loopback.
image_build() {
  local image="$1" jar="$2" dir="$3" root jar_name
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
  jar_name="$(basename "$jar")"
  [[ "$jar_name" == servitor-[0-9]*.jar ]] || jar_name=servitor-0-local.jar
  rm -rf "$dir/context"; mkdir -p "$dir/context/server/target"
  cp "$root/servitor" "$root/.dockerignore" "$dir/context/"
  cp "$jar" "$dir/context/server/target/$jar_name"
  if ! pm build --format docker --runtime runc "${ulimits[@]}" --pull=never --network=none \
       --build-arg RUNTIME_IMAGE="$image_base_ref" -f "$root/deploy/Containerfile" -t "$image" "$dir/context" \
       >"$dir/build.log" 2>&1; then
    tail -n 40 "$dir/build.log" >&2; image_fail "podman build failed"; return
  fi
  rm -rf "$dir/context"
}
