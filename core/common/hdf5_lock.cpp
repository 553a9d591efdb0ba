#include "common/hdf5_lock.h"

namespace tb {

std::unique_lock<std::recursive_mutex> lock_hdf5() {
    static std::recursive_mutex mutex;
    return std::unique_lock<std::recursive_mutex>(mutex);
}

}  // namespace tb
