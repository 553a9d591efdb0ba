// Lists a run folder's checkpoints and picks the newest complete one (see checkpoint_scan.h).
#include "io/checkpoint_scan.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <filesystem>
#include <limits>
#include <new>
#include <system_error>

#include "common/error.h"
#include "io/checkpoint.h"
#include "io/checkpoint_layout.h"
#include "io/hdf5_handle.h"
#include "io/hdf5_read.h"

namespace fs = std::filesystem;

namespace tb::io {
namespace {

namespace layout = checkpoint_layout;

bool ends_with(const std::string& text, const std::string& suffix) {
    return text.size() >= suffix.size() &&
           text.compare(text.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Every dataset below `group` (recursively) must keep its stored bytes inside the file. Only
// contiguous data has one address; compact data lives in the object header, chunked data
// (other writers) is checked by HDF5 when read.
void check_extents(hid_t group, const std::string& prefix, std::uintmax_t file_size) {
    for (const auto& member : hdf5_list_members(group)) {
        const std::string name = prefix + member.name;
        if (member.kind == Hdf5Kind::Group) {
            Hdf5Id child = hdf5_open_group(group, member.name);
            check_extents(child.get(), name + "/", file_size);
            continue;
        }
        if (member.kind != Hdf5Kind::Dataset)
            continue;
        Hdf5Id dataset = hdf5_own(H5Dopen2(group, member.name.c_str(), H5P_DEFAULT), H5Dclose,
                                  "damaged checkpoint: cannot open dataset '" + name + "'");
        const haddr_t offset = H5Dget_offset(dataset.get());
        if (offset == HADDR_UNDEF)
            continue;
        const hsize_t stored = H5Dget_storage_size(dataset.get());
        if (offset > file_size || stored > file_size - offset)
            throw Error("damaged checkpoint: the file is truncated (tensor '" + name +
                        "' ends at byte " + std::to_string(offset + stored) + " of " +
                        std::to_string(file_size) + ")");
    }
}

CheckpointInfo inspect_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw Error("cannot open checkpoint: " +
                    std::error_code(errno, std::generic_category()).message());
    if (!S_ISREG(st.st_mode))
        throw Error("not a checkpoint file (a folder or a special file)");
    CheckpointInfo info;
    info.path = path;
    info.size_bytes = static_cast<std::uintmax_t>(st.st_size);
    if (st.st_size == 0)
        throw Error("damaged checkpoint: the file is empty");
    const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
    if (is_hdf5 <= 0)
        throw Error("not a tunebench checkpoint: the file is not HDF5 (or its start is damaged)");

    Hdf5Id fapl = hdf5_own(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "cannot create a property list");
#if H5_VERSION_GE(1, 10, 7)
    hdf5_check(H5Pset_file_locking(fapl.get(), /*use_file_locking=*/true,
                                   /*ignore_when_disabled=*/true),
               "cannot set file locking");
#endif
    // HDF5 refuses a file shorter than the end of file recorded in its superblock
    // ("truncated file"), which catches most interrupted copies here already.
    Hdf5Id file = hdf5_own(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get()), H5Fclose,
                           "damaged checkpoint: HDF5 cannot open it");
    Hdf5Id root = hdf5_open_group(file.get(), "/");
    const hid_t r = root.get();

    const auto format = hdf5_read_string_attr(r, layout::kFormatAttr);
    if (!format || *format != layout::kFormat)
        throw Error("not a tunebench checkpoint: no root attribute format=\"" +
                    std::string(layout::kFormat) + "\"");
    const auto version = hdf5_read_int_attr(r, layout::kFormatVersionAttr);
    if (!version || *version < 1)
        throw Error("damaged checkpoint: no valid format_version");
    if (*version > kCheckpointFormatVersion)
        throw Error("checkpoint was written by a newer tunebench (format version " +
                    std::to_string(*version) + "; this build reads up to " +
                    std::to_string(kCheckpointFormatVersion) + "): update tunebench to load it");
    info.created = hdf5_read_string_attr(r, layout::kCreatedAttr).value_or("");

    if (!hdf5_has_link(r, layout::kModelGroup))
        throw Error("damaged checkpoint: the /model group is missing");
    if (!hdf5_has_link(r, layout::kTrainerGroup))
        throw Error("damaged checkpoint: the /trainer group is missing");
    {
        Hdf5Id trainer = hdf5_open_group(r, layout::kTrainerGroup);
        const hid_t g = trainer.get();
        const auto epoch = hdf5_read_int_attr(g, layout::kEpochAttr);
        const auto step = hdf5_read_int_attr(g, layout::kGlobalStepAttr);
        if (!epoch || !step)
            throw Error("damaged checkpoint: /trainer lacks epoch or global_step");
        if (*epoch < 0 || *epoch > std::numeric_limits<int>::max())
            throw Error("damaged checkpoint: epoch out of range");
        info.epoch = static_cast<int>(*epoch);
        info.global_step = *step;
        info.step_in_epoch = hdf5_read_int_attr(g, layout::kStepInEpochAttr).value_or(0);
        info.state = hdf5_read_string_attr(g, layout::kStateAttr).value_or("");
    }
    check_extents(r, "", info.size_bytes);
    file.close("cannot close checkpoint");
    return info;
}

}  // namespace

CheckpointInfo inspect_checkpoint(const std::string& path) {
    Hdf5QuietErrors quiet;
    try {
        return inspect_file(path);
    } catch (const Error& e) {
        // Our own findings say what they are; anything HDF5 trips over is damage.
        const std::string& m = e.message();
        const bool classified = m.rfind("damaged checkpoint", 0) == 0 || m.rfind("not a", 0) == 0 ||
                                m.rfind("checkpoint was", 0) == 0 ||
                                m.rfind("cannot open checkpoint", 0) == 0;
        throw Error(classified ? m : "damaged checkpoint: " + m,
                    SourceLocation{path, 0, 0, e.where().key});
    } catch (const std::bad_alloc&) {
        throw Error("damaged checkpoint: its metadata claims more memory than is available",
                    SourceLocation{path, 0, 0, {}});
    }
}

CheckpointScan list_checkpoints(const std::string& dir, bool remove_temp_files) {
    std::error_code ec;
    if (!fs::is_directory(dir, ec))
        throw Error("the checkpoint folder does not exist or is not a folder",
                    SourceLocation{dir, 0, 0, {}});
    std::vector<std::string> names;
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec))
        names.push_back(it->path().filename().string());
    if (ec)
        throw Error("cannot list the checkpoint folder: " + ec.message(),
                    SourceLocation{dir, 0, 0, {}});
    std::sort(names.begin(), names.end());

    CheckpointScan scan;
    for (const auto& name : names) {
        const std::string path = (fs::path(dir) / name).string();
        if (ends_with(name, ".tmp")) {
            scan.temp_files.push_back(path);
            if (remove_temp_files && ::unlink(path.c_str()) == 0)
                scan.removed_temp_files.push_back(path);
        } else if (ends_with(name, ".h5")) {
            try {
                scan.complete.push_back(inspect_checkpoint(path));
            } catch (const Error& e) {
                scan.damaged.push_back({path, e.message()});
            }
        }
    }
    // Names are already sorted, and stable_sort keeps that order among equal steps and times.
    std::stable_sort(scan.complete.begin(), scan.complete.end(),
                     [](const CheckpointInfo& a, const CheckpointInfo& b) {
                         if (a.global_step != b.global_step)
                             return a.global_step < b.global_step;
                         return a.created < b.created;  // ISO-8601 UTC sorts as text
                     });
    return scan;
}

std::optional<CheckpointInfo> find_latest_complete_checkpoint(const std::string& dir) {
    CheckpointScan scan = list_checkpoints(dir, /*remove_temp_files=*/false);
    if (scan.complete.empty())
        return std::nullopt;
    return scan.complete.back();
}

}  // namespace tb::io
