// Folder-per-class scanning with loop-safe symlink following, and path,label tables.
#include "data/image_dataset.h"

#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

#include "common/error.h"
#include "data/image_decode.h"
#include "data/table.h"
#include "data/text_encoding.h"

namespace fs = std::filesystem;

namespace tb::data {
namespace {

// Checks one image file; returns false (and reports) when it cannot be used.
bool check_image(const std::string& path, const ImageScanOptions& options,
                 std::vector<DataProblem>& problems, long line, long column,
                 const std::string& report_file) {
    std::error_code ec;
    const auto size = fs::file_size(path, ec);
    if (ec) {
        problems.push_back(DataProblem{"missing_image", report_file, line, column,
                                       "cannot read '" + path + "': " + ec.message()});
        return false;
    }
    if (size == 0) {
        problems.push_back(DataProblem{"empty_image", report_file, line, column,
                                       "'" + path + "' is empty (0 bytes); it is left out"});
        return false;
    }
    if (options.check_headers) {
        try {
            image_file_info(path);
        } catch (const Error& e) {
            problems.push_back(DataProblem{"corrupt_image", report_file, line, column,
                                           "'" + path + "': " + e.message() + "; it is left out"});
            return false;
        }
    }
    return true;
}

void scan_class(const fs::path& dir, int label, const ImageScanOptions& options,
                std::set<fs::path>& active, ImageDataset& out) {
    std::error_code ec;
    std::vector<fs::path> entries;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
        entries.push_back(it->path());
    if (ec) {
        out.problems.push_back(DataProblem{"unreadable_folder", dir.string(), 0, 0,
                                           "cannot list the folder: " + ec.message()});
        return;
    }
    std::sort(entries.begin(), entries.end());
    for (const fs::path& entry : entries) {
        const std::string name = entry.filename().string();
        if (!name.empty() && name[0] == '.')
            continue;
        const bool link = fs::is_symlink(entry, ec);
        const fs::path target = fs::canonical(entry, ec);
        if (ec) {
            out.problems.push_back(DataProblem{
                link ? "broken_link" : "unreadable_file", entry.string(), 0, 0,
                (link ? "the symbolic link points nowhere: " : "cannot read: ") + ec.message()});
            ec.clear();
            continue;
        }
        if (fs::is_directory(target, ec)) {
            if (active.count(target) > 0) {
                out.problems.push_back(
                    DataProblem{"symlink_loop", entry.string(), 0, 0,
                                "the link leads back to '" + target.string() +
                                    "', a folder already being scanned; it is not followed"});
                continue;
            }
            active.insert(target);
            scan_class(entry, label, options, active, out);
            active.erase(target);
            continue;
        }
        if (!has_image_extension(name)) {
            out.problems.push_back(
                DataProblem{"not_an_image", entry.string(), 0, 0,
                            "not a .png, .jpg, .jpeg or .bmp file; it is left out"});
            continue;
        }
        if (check_image(entry.string(), options, out.problems, 0, 0, entry.string()))
            out.examples.push_back(ImageExample{entry.string(), label, 0});
    }
}

}  // namespace

std::vector<std::size_t> ImageDataset::label_counts() const {
    std::vector<std::size_t> counts(static_cast<std::size_t>(labels.size()), 0);
    for (const ImageExample& e : examples)
        ++counts[static_cast<std::size_t>(e.label)];
    return counts;
}

ImageDataset scan_image_folder(const std::string& root, const ImageScanOptions& options) {
    std::error_code ec;
    if (!fs::is_directory(root, ec)) {
        throw Error("not a folder; an image dataset is a folder with one sub-folder per class",
                    SourceLocation{root, 0, 0, {}});
    }
    ImageDataset out;
    out.source = root;
    std::vector<std::string> classes;
    std::vector<fs::path> loose;
    for (fs::directory_iterator it(root, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.empty() && name[0] == '.')
            continue;
        std::error_code dir_ec;
        if (fs::is_directory(it->path(), dir_ec))
            classes.push_back(name);
        else
            loose.push_back(it->path());
    }
    std::sort(classes.begin(), classes.end());
    std::sort(loose.begin(), loose.end());
    for (const fs::path& p : loose) {
        out.problems.push_back(DataProblem{
            "outside_class_folder", p.string(), 0, 0,
            "files directly in the dataset folder have no class; move it into a class folder"});
    }
    if (classes.empty()) {
        throw Error(
            "the folder has no sub-folders; put the images of each class in a sub-folder "
            "named after the class (e.g. cats/, dogs/)",
            SourceLocation{root, 0, 0, {}});
    }
    ImageDataset scanned;
    std::vector<std::string> kept;
    const fs::path root_canonical = fs::canonical(root, ec);
    for (const std::string& name : classes) {
        const std::size_t before = scanned.examples.size();
        std::set<fs::path> active{root_canonical};
        const fs::path dir = fs::path(root) / name;
        active.insert(fs::canonical(dir, ec));
        scan_class(dir, static_cast<int>(kept.size()), options, active, scanned);
        if (scanned.examples.size() == before) {
            scanned.problems.push_back(
                DataProblem{"empty_class", dir.string(), 0, 0,
                            "the class folder holds no usable image; the class is left out"});
        } else {
            kept.push_back(name);
        }
    }
    out.examples = std::move(scanned.examples);
    out.problems.insert(out.problems.end(), scanned.problems.begin(), scanned.problems.end());
    out.labels = LabelMap(kept);
    return out;
}

ImageDataset read_image_table(const std::string& table_path, const std::string& path_column,
                              const std::string& label_column, const ImageScanOptions& options) {
    const Table table = read_table(table_path);
    const std::size_t path_index = table.column_index(path_column);
    const std::size_t label_index = table.column_index(label_column);
    const fs::path base = fs::path(table_path).parent_path();
    ImageDataset out;
    out.source = table_path;
    std::vector<std::string> names;
    std::vector<std::size_t> rows;
    for (std::size_t r = 0; r < table.rows.size(); ++r) {
        const long line = table.row_lines[r];
        const std::string rel = trim_blank(table.rows[r][path_index]);
        const std::string label = trim_blank(table.rows[r][label_index]);
        const long path_col = static_cast<long>(path_index) + 1;
        if (rel.empty() || label.empty()) {
            out.problems.push_back(DataProblem{
                rel.empty() ? "missing_path" : "missing_label", table_path, line,
                rel.empty() ? path_col : static_cast<long>(label_index) + 1,
                std::string(rel.empty() ? "the path" : "the label") + " is empty; the row is "
                                                                      "skipped"});
            continue;
        }
        const fs::path p = fs::path(rel).is_absolute() ? fs::path(rel) : base / rel;
        std::error_code ec;
        if (!fs::exists(p, ec)) {
            out.problems.push_back(DataProblem{"missing_image", table_path, line, path_col,
                                               "no such file: '" + p.string() + "'"});
            continue;
        }
        if (!check_image(p.string(), options, out.problems, line, path_col, table_path))
            continue;
        out.examples.push_back(ImageExample{p.string(), -1, line});
        names.push_back(label);
    }
    out.labels = LabelMap::from_values(names, LabelOrder::Sorted);
    for (std::size_t i = 0; i < out.examples.size(); ++i)
        out.examples[i].label = out.labels.index_of(names[i]);
    return out;
}

}  // namespace tb::data
