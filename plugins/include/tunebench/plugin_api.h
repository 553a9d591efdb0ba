// The C entry point every tunebench plugin exports. Bumped on every ABI break; the loader
// skips (and lists as broken) a plugin whose version differs.
#pragma once

#define TUNEBENCH_PLUGIN_API_VERSION 1

extern "C" {
// Returns TUNEBENCH_PLUGIN_API_VERSION as compiled into the plugin.
typedef int (*tunebench_plugin_api_version_fn)();
}
