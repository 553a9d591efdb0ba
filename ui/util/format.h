// Small text formatters shared by pages and views: durations, counts, sizes, locations.
#pragma once

#include <QString>

#include <cstdint>
#include <string>

#include "common/error.h"
#include "train/training_events.h"

namespace tb::ui {

inline QString toQt(const std::string& text) {
    return QString::fromStdString(text);
}

// "h:mm:ss"; negative or non-finite values render as "–".
QString formatDuration(double seconds);
// Parameter-style counts: 850, "12.3 k", "4.4 M", "110 M", "1.2 B".
QString formatCount(std::int64_t count);
// "512 B", "17.6 MB", "1.3 GB" (powers of 1024).
QString formatBytes(std::int64_t bytes);
// "file:line:column" with only the known parts ("" when nothing is known).
QString formatLocation(const std::string& file, long line, long column);
// The error's location and plain message, e.g. "data.csv:3:7: unterminated quote".
QString formatError(const tb::Error& error);
// "Idle", "Running", "Paused", "Cancelling…", "Finished", "Cancelled", "Failed".
QString runStateText(tb::train::RunState state);

}  // namespace tb::ui
