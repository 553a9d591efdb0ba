// One process-wide lock around every use of the HDF5 library.
#pragma once

#include <mutex>

namespace tb {

// Debian's HDF5 is the serial build, which is not thread-safe: its free lists, identifier
// tables and error stacks are global. Two threads inside the library at once (the training
// thread saving a checkpoint while the GUI thread reads another one's header) corrupt its heap.
// Every entry point that calls HDF5 holds this lock for as long as any of its handles is open.
// Recursive, so an entry point may call another.
std::unique_lock<std::recursive_mutex> lock_hdf5();

}  // namespace tb
