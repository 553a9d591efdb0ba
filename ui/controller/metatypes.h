// Qt meta-type declarations for the training event value types carried by queued signals.
#pragma once

#include <QMetaType>

#include "io/experiment_config.h"
#include "train/training_events.h"

Q_DECLARE_METATYPE(tb::train::RunInfo)
Q_DECLARE_METATYPE(tb::train::StepMetrics)
Q_DECLARE_METATYPE(tb::train::EvalReport)
Q_DECLARE_METATYPE(tb::train::CheckpointInfo)
Q_DECLARE_METATYPE(tb::train::RunResult)
Q_DECLARE_METATYPE(tb::train::RunState)
Q_DECLARE_METATYPE(tb::io::ExperimentConfig)

namespace tb::ui {

// Registers every type above with qRegisterMetaType. Idempotent; call before the first
// cross-thread connection (TrainingController's constructor does).
void registerMetaTypes();

}  // namespace tb::ui
