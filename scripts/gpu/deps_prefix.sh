#!/usr/bin/env bash
# Unpacks Debian 12 development packages (.deb files, e.g. fetched elsewhere with
# `apt-get download libhdf5-dev libyaml-cpp-dev ...`) into a private prefix, for machines that
# have a CUDA PyTorch but not tunebench's other dependencies (HDF5, yaml-cpp, nlohmann-json,
# CLI11, utf8proc, stb, zlib). Nothing is written outside PREFIX.
#
#   source scripts/gpu/deps_prefix.sh DEB_DIR PREFIX
#
# Sets TB_DEPS_PREFIX_PATH (for CMAKE_PREFIX_PATH) and the array TB_DEPS_CMAKE_ARGS (other
# cmake flags), and extends PKG_CONFIG_PATH and
# LD_LIBRARY_PATH. Libraries in DEB_DIR/fallback/*.deb are only linked into PREFIX/fallback-lib
# when the system lacks them (HDF5 needs libcurl, which slim images often do not have).
# Sourced: leaves the caller's shell options alone.
deb_dir=$(realpath "$1")
prefix=$(realpath -m "$2")
mkdir -p "$prefix"
for f in "$deb_dir"/core/*.deb; do dpkg -x "$f" "$prefix"; done
arch_lib=$prefix/usr/lib/x86_64-linux-gnu
# Debian's usrmerge-era packages may put libraries in /lib; give them one home.
if [[ -d $prefix/lib/x86_64-linux-gnu ]]; then
    cp -an "$prefix"/lib/x86_64-linux-gnu/. "$arch_lib"/
fi
# Absolute symlinks (libz.so -> /lib/...) would point at the host: repoint them inside PREFIX.
while IFS= read -r link; do
    target=$(readlink "$link")
    [[ $target == /* ]] || continue
    base=$(basename "$target")
    if [[ -e $arch_lib/$base ]]; then ln -sfn "$arch_lib/$base" "$link"; fi
done < <(find "$prefix" -type l)
# yaml-cpp's CMake file names its own absolute install folder; make it relative to PREFIX.
for f in "$arch_lib"/cmake/yaml-cpp/*.cmake; do
    sed -i "s#\"/usr/#\"$prefix/usr/#g" "$f"
done
# pkg-config files say prefix=/usr.
for pc in "$arch_lib"/pkgconfig/*.pc "$prefix"/usr/share/pkgconfig/*.pc; do
    [[ -f $pc ]] && sed -i "s#^prefix=/usr\$#prefix=$prefix/usr#" "$pc"
done
export PKG_CONFIG_PATH=$arch_lib/pkgconfig:$prefix/usr/share/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}
export LD_LIBRARY_PATH=$arch_lib${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}
pkg_config_exe=$(command -v pkg-config || true)
if [[ -z $pkg_config_exe ]]; then
    pkg_config_exe=$prefix/usr/bin/pkgconf
fi
# Runtime libraries the system lacks (ldd says "not found") come from the fallback packages.
if compgen -G "$deb_dir/fallback/*.deb" >/dev/null; then
    mkdir -p "$prefix/fallback" "$prefix/fallback-lib"
    for f in "$deb_dir"/fallback/*.deb; do dpkg -x "$f" "$prefix/fallback"; done
    for round in 1 2 3; do
        missing=$(LD_LIBRARY_PATH=$arch_lib:$prefix/fallback-lib ldd "$arch_lib"/libhdf5_serial.so* \
            "$arch_lib"/libhdf5_serial_cpp.so* "$prefix"/fallback-lib/*.so* 2>/dev/null |
            awk '/not found/ {print $1}' | sort -u)
        [[ -z $missing ]] && break
        for lib in $missing; do
            found=$(find "$prefix/fallback" -name "$lib" | head -1)
            [[ -n $found ]] && ln -sfn "$(realpath "$found")" "$prefix/fallback-lib/$lib"
        done
    done
    export LD_LIBRARY_PATH=$LD_LIBRARY_PATH:$prefix/fallback-lib
fi
# CMAKE_PREFIX_PATH entries (add your own, e.g. LibTorch's, with ';') and the other flags.
TB_DEPS_PREFIX_PATH="$prefix/usr;$arch_lib/cmake;$prefix/usr/share/cmake"
TB_DEPS_CMAKE_ARGS=(
    "-DHDF5_ROOT=$arch_lib/hdf5/serial" -DHDF5_PREFER_PARALLEL=OFF
    "-DPKG_CONFIG_EXECUTABLE=$pkg_config_exe" "-DZLIB_ROOT=$prefix/usr"
    "-DCMAKE_BUILD_RPATH=$arch_lib;$prefix/fallback-lib")

