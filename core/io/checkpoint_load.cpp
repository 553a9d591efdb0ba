// Reads and validates an HDF5 checkpoint file (layout: docs/checkpoint-format.md).
#include <sys/stat.h>

#include <cerrno>
#include <limits>
#include <new>
#include <system_error>

#include "common/error.h"
#include "io/checkpoint.h"
#include "io/checkpoint_layout.h"
#include "io/hdf5_handle.h"
#include "io/hdf5_read.h"

namespace tb::io {
namespace {

namespace layout = checkpoint_layout;

Error located(const std::string& message, const std::string& key) {
    return Error(message, SourceLocation{{}, 0, 0, key});
}

// Checked before HDF5 sees the file, so the common mistakes get a plain sentence.
void check_is_hdf5_file(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0)
        throw Error("cannot open checkpoint: " +
                    std::error_code(errno, std::generic_category()).message());
    if (S_ISDIR(st.st_mode))
        throw Error("this is a folder, not a checkpoint file");
    const htri_t is_hdf5 = H5Fis_hdf5(path.c_str());
    if (is_hdf5 < 0)
        throw Error("cannot read checkpoint: " + hdf5_error_reason());
    if (is_hdf5 == 0)
        throw Error("not a tunebench checkpoint: the file is not HDF5 (checkpoints are .h5 files)");
}

void check_format(hid_t root) {
    const auto format = hdf5_read_string_attr(root, layout::kFormatAttr);
    if (!format)
        throw Error(
            "not a tunebench checkpoint: an HDF5 file without the root attribute "
            "format=\"tunebench-checkpoint\"");
    if (*format != layout::kFormat)
        throw Error("not a tunebench checkpoint: its format is '" + *format + "'");
    const auto version = hdf5_read_int_attr(root, layout::kFormatVersionAttr);
    if (!version)
        throw Error("damaged checkpoint: the root has no format_version attribute");
    if (*version > kCheckpointFormatVersion) {
        const auto writer = hdf5_read_string_attr(root, layout::kVersionAttr);
        throw Error("checkpoint was written by a newer tunebench" +
                    (writer ? " (" + *writer + ")" : std::string()) + " in format version " +
                    std::to_string(*version) + "; this tunebench " + TUNEBENCH_VERSION +
                    " reads format versions up to " + std::to_string(kCheckpointFormatVersion) +
                    ": update tunebench to load it");
    }
    if (*version < 1)
        throw Error("damaged checkpoint: invalid format_version " + std::to_string(*version));
}

std::vector<TensorBlob> read_flat_tensors(hid_t group, const std::string& prefix) {
    std::vector<TensorBlob> tensors;
    for (const auto& member : hdf5_list_members(group)) {
        const std::string where = prefix + member.name;
        if (member.kind != Hdf5Kind::Dataset)
            throw located("damaged checkpoint: expected only datasets in /" + prefix, where);
        tensors.push_back(hdf5_read_tensor(group, member.name, member.name));
    }
    return tensors;
}

// Every dataset below /optimizer, named by its path relative to it ("<param>/<slot>").
void read_optimizer(hid_t group, const std::string& prefix, std::vector<TensorBlob>& out) {
    for (const auto& member : hdf5_list_members(group)) {
        const std::string name = prefix + member.name;
        if (member.kind == Hdf5Kind::Dataset) {
            out.push_back(hdf5_read_tensor(group, member.name, name));
        } else if (member.kind == Hdf5Kind::Group) {
            Hdf5Id child = hdf5_open_group(group, member.name);
            read_optimizer(child.get(), name + "/", out);
        } else {
            throw located("damaged checkpoint: unexpected object in /optimizer", name);
        }
    }
}

template <typename T>
T required(const std::optional<T>& value, const char* attr) {
    if (!value)
        throw located(std::string("damaged checkpoint: /trainer has no attribute '") + attr + "'",
                      "trainer");
    return *value;
}

void read_trainer(hid_t root, Checkpoint& out, bool with_tensors) {
    if (!hdf5_has_link(root, layout::kTrainerGroup))
        throw Error("damaged checkpoint: the /trainer group is missing");
    Hdf5Id group = hdf5_open_group(root, layout::kTrainerGroup);
    const hid_t g = group.get();
    TrainerState& t = out.trainer;
    const std::int64_t epoch = required(hdf5_read_int_attr(g, layout::kEpochAttr), "epoch");
    if (epoch < std::numeric_limits<int>::min() || epoch > std::numeric_limits<int>::max())
        throw located("damaged checkpoint: epoch out of range", "trainer");
    t.epoch = static_cast<int>(epoch);
    t.global_step = required(hdf5_read_int_attr(g, layout::kGlobalStepAttr), "global_step");
    t.step_in_epoch = required(hdf5_read_int_attr(g, layout::kStepInEpochAttr), "step_in_epoch");
    t.best_metric = required(hdf5_read_double_attr(g, layout::kBestMetricAttr), "best_metric");
    t.best_metric_name =
        required(hdf5_read_string_attr(g, layout::kBestMetricNameAttr), "best_metric_name");
    t.seed = required(hdf5_read_uint_attr(g, layout::kSeedAttr), "seed");
    t.state = required(hdf5_read_string_attr(g, layout::kStateAttr), "state");
    const TrainerState defaults;
    t.reason = hdf5_read_string_attr(g, layout::kReasonAttr).value_or(defaults.reason);
    t.data_hash = hdf5_read_string_attr(g, layout::kDataHashAttr).value_or(defaults.data_hash);
    t.config_hash =
        hdf5_read_string_attr(g, layout::kConfigHashAttr).value_or(defaults.config_hash);
    t.best_checkpoint =
        hdf5_read_string_attr(g, layout::kBestCheckpointAttr).value_or(defaults.best_checkpoint);
    t.best_step = hdf5_read_int_attr(g, layout::kBestStepAttr).value_or(defaults.best_step);
    t.early_stopping_best = hdf5_read_double_attr(g, layout::kEarlyStoppingBestAttr)
                                .value_or(defaults.early_stopping_best);
    t.early_stopping_bad_evals = hdf5_read_int_attr(g, layout::kEarlyStoppingBadEvalsAttr)
                                     .value_or(defaults.early_stopping_bad_evals);
    t.early_stopping_evals = hdf5_read_int_attr(g, layout::kEarlyStoppingEvalsAttr)
                                 .value_or(defaults.early_stopping_evals);
    t.skipped_steps =
        hdf5_read_int_attr(g, layout::kSkippedStepsAttr).value_or(defaults.skipped_steps);
    t.loss_scale = hdf5_read_double_attr(g, layout::kLossScaleAttr).value_or(defaults.loss_scale);
    t.loss_scale_good_steps = hdf5_read_int_attr(g, layout::kLossScaleGoodStepsAttr)
                                  .value_or(defaults.loss_scale_good_steps);
    if (with_tensors && hdf5_has_link(g, layout::kRngGroup)) {
        Hdf5Id rng = hdf5_open_group(g, layout::kRngGroup);
        out.rng = read_flat_tensors(rng.get(), "trainer/rng/");
    }
}

// `with_tensors` false reads the attributes, config and labels only (cheap for listing).
Checkpoint read_file(const std::string& path, bool with_tensors) {
    check_is_hdf5_file(path);
    Hdf5Id fapl = hdf5_own(H5Pcreate(H5P_FILE_ACCESS), H5Pclose, "cannot create a property list");
#if H5_VERSION_GE(1, 10, 7)
    hdf5_check(H5Pset_file_locking(fapl.get(), /*use_file_locking=*/true,
                                   /*ignore_when_disabled=*/true),
               "cannot set file locking");
#endif
    Hdf5Id file = hdf5_own(H5Fopen(path.c_str(), H5F_ACC_RDONLY, fapl.get()), H5Fclose,
                           "cannot open checkpoint");
    Hdf5Id root = hdf5_open_group(file.get(), "/");
    const hid_t r = root.get();
    check_format(r);

    Checkpoint out;
    out.created = hdf5_read_string_attr(r, layout::kCreatedAttr).value_or("");
    out.tunebench_version = hdf5_read_string_attr(r, layout::kVersionAttr).value_or("");

    if (hdf5_has_link(r, layout::kConfigGroup)) {
        Hdf5Id config = hdf5_open_group(r, layout::kConfigGroup);
        out.config_yaml = hdf5_read_string_attr(config.get(), layout::kConfigYamlAttr).value_or("");
    }
    if (!hdf5_has_link(r, layout::kModelGroup))
        throw Error("damaged checkpoint: the /model group is missing");
    if (!with_tensors) {
        read_trainer(r, out, with_tensors);
        if (hdf5_has_link(r, layout::kLabelsDataset))
            out.labels = hdf5_read_strings(r, layout::kLabelsDataset);
        return out;
    }
    {
        Hdf5Id model = hdf5_open_group(r, layout::kModelGroup);
        out.model = read_flat_tensors(model.get(), "model/");
    }
    if (hdf5_has_link(r, layout::kOptimizerGroup)) {
        Hdf5Id optimizer = hdf5_open_group(r, layout::kOptimizerGroup);
        read_optimizer(optimizer.get(), "", out.optimizer);
    }
    read_trainer(r, out, with_tensors);
    if (hdf5_has_link(r, layout::kLabelsDataset))
        out.labels = hdf5_read_strings(r, layout::kLabelsDataset);
    if (hdf5_has_link(r, layout::kTokenizerGroup)) {
        Hdf5Id tokenizer = hdf5_open_group(r, layout::kTokenizerGroup);
        if (hdf5_has_link(tokenizer.get(), layout::kVocabDataset))
            out.vocab = hdf5_read_strings(tokenizer.get(), layout::kVocabDataset);
    }
    if (hdf5_has_link(r, layout::kMetricsGroup)) {
        Hdf5Id metrics = hdf5_open_group(r, layout::kMetricsGroup);
        for (const auto& member : hdf5_list_members(metrics.get())) {
            if (member.kind != Hdf5Kind::Dataset)
                throw located("damaged checkpoint: expected only datasets in /metrics",
                              "metrics/" + member.name);
            out.metrics[member.name] = hdf5_read_doubles(metrics.get(), member.name);
        }
    }
    return out;
}

}  // namespace

Checkpoint load_checkpoint(const std::string& path) {
    return load_checkpoint(path, /*with_tensors=*/true);
}

Checkpoint load_checkpoint_header(const std::string& path) {
    return load_checkpoint(path, /*with_tensors=*/false);
}

Checkpoint load_checkpoint(const std::string& path, bool with_tensors) {
    Hdf5QuietErrors quiet;
    try {
        return read_file(path, with_tensors);
    } catch (const Error& e) {
        throw Error(e.message(), SourceLocation{path, 0, 0, e.where().key});
    } catch (const std::bad_alloc&) {
        throw Error("not enough memory to load the checkpoint", SourceLocation{path, 0, 0, {}});
    }
}

}  // namespace tb::io
