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
// Optional /trainer attributes (added without a format_version change: older readers ignore
// them, and files without them load with defaults).
inline constexpr char kReasonAttr[] = "reason";
inline constexpr char kDataHashAttr[] = "data_hash";
inline constexpr char kConfigHashAttr[] = "config_hash";
inline constexpr char kBestCheckpointAttr[] = "best_checkpoint";
inline constexpr char kBestStepAttr[] = "best_step";
inline constexpr char kEarlyStoppingBestAttr[] = "early_stopping_best";
inline constexpr char kEarlyStoppingBadEvalsAttr[] = "early_stopping_bad_evals";
inline constexpr char kEarlyStoppingEvalsAttr[] = "early_stopping_evals";
inline constexpr char kSkippedStepsAttr[] = "skipped_steps";
inline constexpr char kLossScaleAttr[] = "loss_scale";
inline constexpr char kLossScaleGoodStepsAttr[] = "loss_scale_good_steps";

}  // namespace tb::io::checkpoint_layout
