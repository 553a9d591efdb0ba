// The run folder: a new one per run (never overwritten), with run.json kept current.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace tb::train {

class RunDirectory {
public:
    // Creates <runs_dir>/<name>-YYYYmmdd-HHMMSS (adds -2, -3 ... if it exists) and checkpoints/.
    static RunDirectory create(const std::string& runs_dir, const std::string& name);

    const std::string& path() const { return path_; }
    std::string file(const std::string& relative) const { return path_ + "/" + relative; }

    // Merges `fields` into run.json and rewrites it atomically (temp + rename).
    void update_status(const nlohmann::json& fields);
    // Writes a small text/JSON file atomically.
    void write_file(const std::string& relative, const std::string& content) const;

private:
    std::string path_;
    nlohmann::json status_ = nlohmann::json::object();
};

}  // namespace tb::train
