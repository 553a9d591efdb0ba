// The `tunebench-cli pretrain` command line that repeats a pretraining run's options.
#pragma once

#include <QString>
#include <QStringList>

#include "pretrain/pretrainer.h"

namespace tb::ui {

// The CLI arguments after `tunebench-cli` (starting with "pretrain") for `options`: every
// option the run uses is spelled out, so the run repeats even if a default changes later.
// With from_dir the new-model options (vocabulary, sizes, case) are left out: the continued
// model keeps its own. Exactly one of --steps / --epochs.
QStringList pretrainArguments(const tb::pretrain::PretrainOptions& options);

// `program` and the arguments joined for a POSIX shell, each quoted only where needed.
QString shellCommandLine(const QString& program, const QStringList& arguments);

}  // namespace tb::ui
