// Names of the groups and attributes of a checkpoint file, shared by its writer and reader.
#pragma once

namespace tb::io::checkpoint_layout {

inline constexpr char kFormat[] = "tunebench-checkpoint";  // value of the root "format" attr

// Root attributes.
inline constexpr char kFormatAttr[] = "format";
inline constexpr char kFormatVersionAttr[] = "format_version";
inline constexpr char kCreatedAttr[] = "created";
inline constexpr char kVersionAttr[] = "tunebench_version";

inline constexpr char kConfigGroup[] = "config";
inline constexpr char kConfigYamlAttr[] = "yaml";
inline constexpr char kModelGroup[] = "model";
inline constexpr char kOptimizerGroup[] = "optimizer";
inline constexpr char kTrainerGroup[] = "trainer";
inline constexpr char kRngGroup[] = "rng";  // inside /trainer
inline constexpr char kLabelsDataset[] = "labels";
inline constexpr char kTokenizerGroup[] = "tokenizer";
inline constexpr char kVocabDataset[] = "vocab";  // inside /tokenizer
inline constexpr char kMetricsGroup[] = "metrics";

// /trainer attributes.
inline constexpr char kEpochAttr[] = "epoch";
inline constexpr char kGlobalStepAttr[] = "global_step";
inline constexpr char kStepInEpochAttr[] = "step_in_epoch";
inline constexpr char kBestMetricAttr[] = "best_metric";
inline constexpr char kBestMetricNameAttr[] = "best_metric_name";
inline constexpr char kSeedAttr[] = "seed";
inline constexpr char kStateAttr[] = "state";

}  // namespace tb::io::checkpoint_layout
