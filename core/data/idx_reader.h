// The IDX format of MNIST / Fashion-MNIST (gzip-compressed or plain): 8-bit image and label
// arrays read into an in-memory image-array dataset.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "data/label_map.h"

namespace tb::data {

// One IDX array of unsigned bytes (type code 0x08, the only type MNIST-style files use).
struct IdxArray {
    std::vector<std::uint32_t> dims;  // e.g. {60000, 28, 28} for images, {60000} for labels
    std::vector<std::uint8_t> data;   // row-major, product(dims) bytes
};

// Reads `path` (.gz through zlib, else plain; detected by the gzip magic). Throws tb::Error
// naming the file for a wrong magic number, a type other than unsigned byte, more than 4
// dimensions, and data shorter or longer than the header says (giving both sizes).
IdxArray read_idx(const std::string& path);

// Greyscale or colour images as one block of 8-bit pixels (N x H x W x C), with class ids.
struct ImageArrayDataset {
    std::string source;
    int count = 0;
    int height = 0;
    int width = 0;
    int channels = 1;
    std::vector<std::uint8_t> pixels;  // count * height * width * channels
    std::vector<int> labels;           // count class ids
    LabelMap classes;
};

// An images file (N x H x W) and a labels file (N) of the same N; labels must be < the number of
// class names. `class_names` empty: "0".."max label". Throws tb::Error for mismatches.
ImageArrayDataset read_idx_dataset(const std::string& images_path, const std::string& labels_path,
                                   const std::vector<std::string>& class_names = {});

// The ten Fashion-MNIST class names in label order (T-shirt/top ... Ankle boot).
const std::vector<std::string>& fashion_mnist_class_names();

}  // namespace tb::data
