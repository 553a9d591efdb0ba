// Small text formatters shared by pages and views.
#include "util/format.h"

#include <QObject>

#include <cmath>
#include <cstdlib>

namespace tb::ui {

QString formatDuration(double seconds) {
    if (!std::isfinite(seconds) || seconds < 0)
        return QStringLiteral("–");
    const auto total = static_cast<long long>(std::llround(seconds));
    const long long h = total / 3600;
    const long long m = (total / 60) % 60;
    const long long s = total % 60;
    return QStringLiteral("%1:%2:%3")
        .arg(h)
        .arg(m, 2, 10, QLatin1Char('0'))
        .arg(s, 2, 10, QLatin1Char('0'));
}

namespace {

// One decimal below 100 of a unit ("4.4 M"), none above ("110 M").
QString scaled(double value, const char* unit) {
    const int decimals = value < 99.95 ? 1 : 0;
    return QStringLiteral("%1 %2").arg(value, 0, 'f', decimals).arg(QLatin1String(unit));
}

}  // namespace

QString formatCount(std::int64_t count) {
    const double v = static_cast<double>(count);
    if (std::llabs(count) < 1000)
        return QString::number(count);
    if (std::llabs(count) < 1000000)
        return scaled(v / 1e3, "k");
    if (std::llabs(count) < 1000000000)
        return scaled(v / 1e6, "M");
    return scaled(v / 1e9, "B");
}

QString formatBytes(std::int64_t bytes) {
    const double v = static_cast<double>(bytes);
    if (bytes < 1024)
        return QStringLiteral("%1 B").arg(bytes);
    if (bytes < 1024 * 1024)
        return scaled(v / 1024.0, "KB");
    if (bytes < 1024LL * 1024 * 1024)
        return scaled(v / (1024.0 * 1024.0), "MB");
    return scaled(v / (1024.0 * 1024.0 * 1024.0), "GB");
}

QString formatLocation(const std::string& file, long line, long column) {
    QString out = toQt(file);
    if (line > 0) {
        out += QStringLiteral(":%1").arg(line);
        if (column > 0)
            out += QStringLiteral(":%1").arg(column);
    }
    return out;
}

QString formatError(const tb::Error& error) {
    // what() already carries "file:line:column: [key] " before the sentence.
    return QString::fromStdString(error.what());
}

QString runStateText(tb::train::RunState state) {
    using tb::train::RunState;
    switch (state) {
        case RunState::Idle:
            return QObject::tr("Idle");
        case RunState::Running:
            return QObject::tr("Running");
        case RunState::Paused:
            return QObject::tr("Paused");
        case RunState::Cancelling:
            return QObject::tr("Cancelling…");
        case RunState::Finished:
            return QObject::tr("Finished");
        case RunState::Cancelled:
            return QObject::tr("Cancelled");
        case RunState::Failed:
            return QObject::tr("Failed");
    }
    return {};
}

}  // namespace tb::ui
