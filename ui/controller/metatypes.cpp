// Registration of the training event value types with Qt's meta-type system.
#include "controller/metatypes.h"

namespace tb::ui {

void registerMetaTypes() {
    static const bool registered = [] {
        qRegisterMetaType<tb::train::RunInfo>("tb::train::RunInfo");
        qRegisterMetaType<tb::train::StepMetrics>("tb::train::StepMetrics");
        qRegisterMetaType<tb::train::EvalReport>("tb::train::EvalReport");
        qRegisterMetaType<tb::train::CheckpointInfo>("tb::train::CheckpointInfo");
        qRegisterMetaType<tb::train::RunResult>("tb::train::RunResult");
        qRegisterMetaType<tb::train::RunState>("tb::train::RunState");
        qRegisterMetaType<tb::io::ExperimentConfig>("tb::io::ExperimentConfig");
        return true;
    }();
    (void)registered;
}

}  // namespace tb::ui
