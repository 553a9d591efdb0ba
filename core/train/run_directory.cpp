// The run folder: unique creation and atomic writes of run.json and the other small files.
#include "train/run_directory.h"

#include <ctime>
#include <filesystem>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/utc_timestamp.h"

namespace fs = std::filesystem;

namespace tb::train {

RunDirectory RunDirectory::create(const std::string& runs_dir, const std::string& name) {
    std::time_t now = std::time(nullptr);
    std::tm tm{};
    localtime_r(&now, &tm);
    char stamp[32];
    std::strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
    std::error_code ec;
    fs::create_directories(runs_dir, ec);
    if (ec)
        throw Error("cannot create the runs folder: " + ec.message(),
                    SourceLocation{runs_dir, 0, 0, {}});
    const std::string base = runs_dir + "/" + (name.empty() ? "run" : name) + "-" + stamp;
    std::string candidate = base;
    // create_directory is atomic: two runs started in the same second get distinct folders.
    for (int n = 2; !fs::create_directory(candidate, ec); ++n) {
        if (ec)
            throw Error("cannot create the run folder: " + ec.message(),
                        SourceLocation{candidate, 0, 0, {}});
        candidate = base + "-" + std::to_string(n);
    }
    fs::create_directories(candidate + "/checkpoints");
    RunDirectory dir;
    dir.path_ = candidate;
    return dir;
}

// Through tb::atomic_write (temp, fsync, rename, folder fsync): a reader polling run.json, or a
// crash mid-write, sees the previous complete file or the new one, never a torn one.
void RunDirectory::write_file(const std::string& relative, const std::string& content) const {
    atomic_write(file(relative), [&](const std::string& tmp_path) {
        write_whole_file(tmp_path, content.data(), content.size());
    });
}

void RunDirectory::update_status(const nlohmann::json& fields) {
    status_.update(fields);
    status_["updated"] = utc_timestamp();
    write_file("run.json", status_.dump(2) + "\n");
}

}  // namespace tb::train
