// Data preparation for dataset.task image_classification: folder-per-class trees, path/label
// tables (CSV, TSV, JSONL), IDX (MNIST, Fashion-MNIST) and HDF5 X/y arrays become seeded
// stratified splits of image ids over one ImageSource. Only paths (or the in-memory array)
// are held: pixels are decoded per batch. Torch-free.
#pragma once

#include <string>
#include <vector>

#include "data/label_map.h"
#include "train/prepared_data.h"

namespace tb::train {

// The import format of an image dataset: dataset.format, or for "auto": a folder ->
// image_folder, .csv/.tsv/.jsonl -> that table, .h5/.hdf5 -> hdf5, anything with
// dataset.labels_path or "ubyte" in its name -> idx. tb::Error when nothing fits.
std::string image_format_of(const io::DatasetConfig& dataset, const std::string& path);

// Problems (unreadable, corrupt, empty images; missing files) follow dataset.skip_invalid_rows:
// skipped and logged with their path, or the first stops the run (tb::Error naming it). The
// data hash covers each image's path relative to the dataset, its size in bytes and its label
// (file-backed), or the pixels and labels (arrays). dev_path / test_path replace the fractions:
// the same kind of data (files, or arrays of the training images' size), class names from the
// training data's; an IDX dev/test images file finds its labels file by the MNIST naming
// (t10k-images-idx3-ubyte.gz -> t10k-labels-idx1-ubyte.gz next to it).
PreparedData prepare_image_data(const io::ExperimentConfig& config, const LogFn& log);

// The class name of every example of an image dataset file read as a dev/test file of this
// experiment (the Data page's split counts), with the file's problems. tb::Error as the run's.
struct ImageFileClasses {
    std::vector<std::string> class_names;  // per example, in file order
    std::vector<std::string> sources;      // per example: its image file, or the array file
    std::vector<long> lines;               // per example: table line (0 elsewhere)
    std::vector<data::DataProblem> problems;
};
ImageFileClasses read_image_file_classes(const io::ExperimentConfig& config,
                                         const std::string& path);

// A labelled image dataset (folder, table, idx with the experiment's labels_path, hdf5) read
// with the experiment's dataset settings and `labels` of a trained run, for
// InferenceSession::evaluate_file; unknown classes and bad images are appended to `problems`.
EncodedSplit encode_labelled_images(const io::ExperimentConfig& config, const std::string& path,
                                    const data::LabelMap& labels,
                                    std::vector<data::DataProblem>& problems);

}  // namespace tb::train
