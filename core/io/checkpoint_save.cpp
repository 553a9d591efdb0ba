// Writes a Checkpoint as an HDF5 file atomically (layout: docs/checkpoint-format.md).
#include <algorithm>
#include <cstddef>
#include <new>
#include <vector>

#include "common/atomic_file.h"
#include "common/error.h"
#include "common/utc_timestamp.h"
#include "io/checkpoint.h"
#include "io/checkpoint_layout.h"
#include "io/checkpoint_validate.h"
#include "io/hdf5_handle.h"
#include "io/hdf5_memory_file.h"
#include "io/hdf5_write.h"

namespace tb::io {
namespace {

namespace layout = checkpoint_layout;

// Bytes the file will roughly need: tensor payloads, text, and a generous allowance for HDF5
// object headers. Only sizes the in-memory file's growth steps; never a limit.
std::size_t estimated_file_size(const Checkpoint& c) {
    std::size_t bytes = 1 << 20;
    for (const auto* tensors : {&c.model, &c.optimizer, &c.rng})
        for (const auto& t : *tensors)
            bytes += t.bytes.size() + t.name.size() + 1024;
    for (const auto* texts : {&c.labels, &c.vocab})
        for (const auto& text : *texts)
            bytes += text.size() + 32;
    for (const auto& [series, values] : c.metrics)
        bytes += values.size() * 8 + 1024;
    return bytes + c.config_yaml.size();
}

// The file is built in memory (HDF5 "core" driver, no backing store) and written to disk by
// Hdf5MemoryFile::write_image. Reason: with HDF5 1.10, an I/O error (disk full) while HDF5
// itself writes makes H5Fclose fail half-way, leaving a freed file behind a live ID that
// crashes the process at exit (HDFGroup/hdf5#2257, CVE-2020-10812). In memory, HDF5 never
// meets an I/O error; ours are plain errno failures. Tensors are deferred (only their place is
// reserved in memory) and written from the checkpoint itself, so memory stays small.
// Format bounds: superblock version 0, because HDF5 1.10's H5Fget_file_image leaves a stale
// checksum in the version 2 superblock that the 1.8 low bound would select; objects up to the
// 1.8 formats, which link creation order needs. Any HDF5 >= 1.8 reads the file.
Hdf5Id make_file_access(std::size_t estimated_size) {
    constexpr std::size_t kMinStep = std::size_t{1} << 20, kMaxStep = std::size_t{64} << 20;
    const std::size_t step = std::min(kMaxStep, std::max(kMinStep, estimated_size));
    Hdf5Id fapl = hdf5_own(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "cannot create a property list");
    hdf5_check(H5Pset_fapl_core(fapl.get(), step, /*backing_store=*/false),
               "cannot select the in-memory HDF5 driver");
    hdf5_check(H5Pset_fclose_degree(fapl.get(), H5F_CLOSE_STRONG), "cannot set close degree");
    hdf5_check(H5Pset_libver_bounds(fapl.get(), H5F_LIBVER_EARLIEST, H5F_LIBVER_V18),
               "cannot set the HDF5 format version");
    return fapl;
}

void write_tensors(hid_t group, const std::vector<TensorBlob>& tensors) {
    for (const auto& tensor : tensors) {
        try {
            hdf5_write_tensor(group, tensor.name, tensor);
        } catch (const Error& e) {
            throw Error(e.message(), SourceLocation{{}, 0, 0, tensor.name});
        }
    }
}

// "<param>/<slot>" becomes group <param> holding dataset <slot>; groups keep creation order.
void write_optimizer(hid_t root, const std::vector<TensorBlob>& tensors) {
    Hdf5Id optimizer = hdf5_create_group(root, layout::kOptimizerGroup);
    for (const auto& tensor : tensors) {
        try {
            std::vector<Hdf5Id> groups;
            hid_t parent = optimizer.get();
            std::size_t begin = 0;
            for (auto slash = tensor.name.find('/'); slash != std::string::npos;
                 slash = tensor.name.find('/', begin)) {
                groups.push_back(
                    hdf5_require_group(parent, tensor.name.substr(begin, slash - begin)));
                parent = groups.back().get();
                begin = slash + 1;
            }
            hdf5_write_tensor(parent, tensor.name.substr(begin), tensor);
        } catch (const Error& e) {
            throw Error(e.message(), SourceLocation{{}, 0, 0, tensor.name});
        }
    }
}

void write_trainer(hid_t root, const TrainerState& trainer, const std::vector<TensorBlob>& rng) {
    Hdf5Id group = hdf5_create_group(root, layout::kTrainerGroup);
    const hid_t g = group.get();
    hdf5_write_attr(g, layout::kEpochAttr, static_cast<std::int64_t>(trainer.epoch));
    hdf5_write_attr(g, layout::kGlobalStepAttr, static_cast<std::int64_t>(trainer.global_step));
    hdf5_write_attr(g, layout::kStepInEpochAttr, static_cast<std::int64_t>(trainer.step_in_epoch));
    hdf5_write_attr(g, layout::kBestMetricAttr, trainer.best_metric);
    hdf5_write_attr(g, layout::kBestMetricNameAttr, trainer.best_metric_name);
    hdf5_write_attr(g, layout::kSeedAttr, static_cast<std::uint64_t>(trainer.seed));
    hdf5_write_attr(g, layout::kStateAttr, trainer.state);
    hdf5_write_attr(g, layout::kReasonAttr, trainer.reason);
    hdf5_write_attr(g, layout::kDataHashAttr, trainer.data_hash);
    hdf5_write_attr(g, layout::kConfigHashAttr, trainer.config_hash);
    hdf5_write_attr(g, layout::kBestCheckpointAttr, trainer.best_checkpoint);
    hdf5_write_attr(g, layout::kBestStepAttr, trainer.best_step);
    hdf5_write_attr(g, layout::kEarlyStoppingBestAttr, trainer.early_stopping_best);
    hdf5_write_attr(g, layout::kEarlyStoppingBadEvalsAttr, trainer.early_stopping_bad_evals);
    hdf5_write_attr(g, layout::kEarlyStoppingEvalsAttr, trainer.early_stopping_evals);
    hdf5_write_attr(g, layout::kSkippedStepsAttr, trainer.skipped_steps);
    hdf5_write_attr(g, layout::kLossScaleAttr, trainer.loss_scale);
    hdf5_write_attr(g, layout::kLossScaleGoodStepsAttr, trainer.loss_scale_good_steps);
    Hdf5Id rng_group = hdf5_create_group(g, layout::kRngGroup);
    write_tensors(rng_group.get(), rng);
}

void write_contents(hid_t file, const Checkpoint& checkpoint) {
    Hdf5Id root =
        hdf5_own(H5Gopen2(file, "/", H5P_DEFAULT), H5Gclose, "cannot open the root group");
    const hid_t r = root.get();
    hdf5_write_attr(r, layout::kFormatAttr, layout::kFormat);
    hdf5_write_attr(r, layout::kFormatVersionAttr,
                    static_cast<std::int64_t>(kCheckpointFormatVersion));
    hdf5_write_attr(r, layout::kCreatedAttr,
                    checkpoint.created.empty() ? utc_timestamp() : checkpoint.created);
    hdf5_write_attr(r, layout::kVersionAttr, TUNEBENCH_VERSION);

    Hdf5Id config = hdf5_create_group(r, layout::kConfigGroup);
    hdf5_write_attr(config.get(), layout::kConfigYamlAttr, checkpoint.config_yaml);

    Hdf5Id model = hdf5_create_group(r, layout::kModelGroup);
    write_tensors(model.get(), checkpoint.model);
    write_optimizer(r, checkpoint.optimizer);
    write_trainer(r, checkpoint.trainer, checkpoint.rng);

    hdf5_write_strings(r, layout::kLabelsDataset, checkpoint.labels);
    Hdf5Id tokenizer = hdf5_create_group(r, layout::kTokenizerGroup);
    hdf5_write_strings(tokenizer.get(), layout::kVocabDataset, checkpoint.vocab);

    Hdf5Id metrics = hdf5_create_group(r, layout::kMetricsGroup);
    for (const auto& [series, values] : checkpoint.metrics)
        hdf5_write_doubles(metrics.get(), series, values);
}

// Builds the HDF5 file in memory and writes it to `path` (see make_file_access for why). The
// tensors are deferred: HDF5 reserves their place and writes the metadata, and Hdf5MemoryFile
// writes their bytes straight from `checkpoint`, so they are never copied in memory.
void write_file_image(const Checkpoint& checkpoint, const std::string& path) {
    Hdf5QuietErrors quiet;
    const std::size_t estimate = estimated_file_size(checkpoint);
    Hdf5Id fapl = make_file_access(estimate);
    Hdf5MemoryFile file(fapl.get(), estimate);
    Hdf5DeferredData deferred;
    write_contents(file.get(), checkpoint);
    file.write_image(path, deferred.writes());
}

}  // namespace

void save_checkpoint(const Checkpoint& checkpoint, const std::string& path) {
    try {
        validate_checkpoint(checkpoint);
    } catch (const Error& e) {
        throw Error("could not save: " + e.message(), SourceLocation{path, 0, 0, e.where().key});
    }
    atomic_write(path, [&](const std::string& tmp_path) {
        try {
            write_file_image(checkpoint, tmp_path);
        } catch (const std::bad_alloc&) {
            throw Error("not enough memory to build the checkpoint file (about " +
                        std::to_string(estimated_file_size(checkpoint) >> 20) + " MiB)");
        }
    });
}

}  // namespace tb::io
