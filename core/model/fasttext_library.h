// The model library's view of fastText models: a .ftz/.bin file (or a folder holding one) is
// listed with its dim, labels, words, parameter count and licence note, read from its header
// and matrix shapes (no weights are loaded).
#pragma once

#include <string>

#include "model/model_library.h"

namespace tb::model {

// The fastText model file in `dir` (first .ftz, else first .bin, by name, whose first bytes
// carry fastText's magic number), or empty. Folders with config.json are never fastText folders.
std::string find_fasttext_model_file(const std::string& dir);

// Whether the file's first bytes carry fastText's magic number.
bool has_fasttext_magic(const std::string& file);

// Fills a library entry (kind "text", source_format "fasttext") from the file's header; never
// throws (a corrupt header gives supported = false with the reader's message).
void describe_fasttext_model(const std::string& file, ModelLibraryEntry& e);

}  // namespace tb::model
