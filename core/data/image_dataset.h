// Image-classification datasets: folder-per-class trees and CSV files of `path,label`, with
// every unusable file (empty, corrupt, not an image, symlink loop) reported by path.
#pragma once

#include <string>
#include <vector>

#include "data/label_map.h"
#include "data/text_dataset.h"

namespace tb::data {

struct ImageExample {
    std::string path;  // absolute or as resolved against the dataset root / CSV folder
    int label = -1;
    long line = 0;  // CSV line; 0 for folder datasets
};

struct ImageDataset {
    std::string source;  // the root folder or the CSV file
    std::vector<ImageExample> examples;
    LabelMap labels;
    std::vector<DataProblem> problems;  // file = the offending image (or CSV) path
    std::vector<std::size_t> label_counts() const;
};

struct ImageScanOptions {
    // Read every image header (size, decodable type) while scanning: finds 0-byte, truncated
    // headers and files that are not images. Off: only extensions and sizes are checked.
    bool check_headers = true;
};

// `root/<class>/.../*.{png,jpg,jpeg,bmp}`: each sub-folder of `root` is a class (names sorted,
// byte order), searched recursively, following symbolic links. Problems: "empty_image" (0
// bytes), "corrupt_image" (header unreadable), "not_an_image" (another extension; hidden files
// such as .DS_Store are skipped without a report), "outside_class_folder" (files directly in
// `root`), "symlink_loop" (a linked folder that leads back to one being scanned),
// "broken_link", "empty_class" (a class folder without images: the class is dropped). Throws
// tb::Error when `root` is not a folder or holds no class folder.
ImageDataset scan_image_folder(const std::string& root, const ImageScanOptions& options = {});

// A CSV/TSV/JSONL table with a path column and a label column; relative paths resolve against
// the table file's folder. Problems as above plus "missing_image" (no such file), each with the
// table's line and column.
ImageDataset read_image_table(const std::string& table_path,
                              const std::string& path_column = "path",
                              const std::string& label_column = "label",
                              const ImageScanOptions& options = {});

}  // namespace tb::data
