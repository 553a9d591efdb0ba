// One entry point that reads any supported dataset (text, multi-label, token, image) and returns
// the JSON summary `tunebench-cli inspect` prints: task, counts, classes/tags, scheme,
// de-identification counts, and every problem with file:line:column.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

namespace tb::data {

// Mirrors the experiment file's dataset keys (docs/config.md); "" / 0 mean "not given".
struct InspectRequest {
    std::string path;
    std::string format = "auto";
    std::string task = "auto";  // auto: a folder, IDX or HDF5 file => image, .conll/.bio/.iob or
                                // format conll/tagged => token, a label separator or label
                                // columns => multi_label, else text classification
    std::string text_column;    // text tasks; "" = only the table part (text classification)
    std::string label_column;
    std::string text_pair_column;
    std::string label_separator;
    std::vector<std::string> label_columns;
    int token_column = 1;
    int tag_column = 0;
    std::string tag_scheme = "auto";
    bool convert_to_bio = true;
    std::string split_column;
    bool deidentify = false;
    int min_examples_per_label = 5;
    std::string image_column = "path";
    std::string labels_path;      // idx; "" = derived from the images file name (images -> labels)
    std::string x_dataset = "X";  // hdf5 (.h5/.hdf5): feature and label dataset names
    std::string y_dataset = "y";
    // Text and multi-label tables larger than this are read in one streaming pass with bounded
    // memory (dataset_inspect_streaming.h) instead of whole; 0 = always stream.
    std::uint64_t stream_above_bytes = std::uint64_t(256) << 20;
};

// Never throws tb::Error for bad data: a fatal error becomes {"file", "ok": false, "problems":
// [parse_error]}. Problems (rows/sentences/images left out) make "ok" false; "warnings" (rare
// labels, duplicates) do not. Shapes are documented in docs/cli.md.
nlohmann::json inspect_dataset(const InspectRequest& request);

}  // namespace tb::data
