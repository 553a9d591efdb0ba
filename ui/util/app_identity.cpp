// Application identity and the move of settings from the unnamed organisation of earlier versions.
#include "util/app_identity.h"

#include <QCoreApplication>
#include <QSettings>

namespace tb::ui {

int setApplicationIdentity() {
    QCoreApplication::setApplicationName(QStringLiteral("tunebench"));
    // Qt's name for a missing organisation, where earlier versions kept their settings.
    const QString unnamed = QStringLiteral("Unknown Organization");
    QCoreApplication::setOrganizationName(QStringLiteral("tunebench"));
    QSettings settings;
    if (!settings.allKeys().isEmpty())
        return 0;
    QSettings earlier(unnamed, QCoreApplication::applicationName());
    const QStringList keys = earlier.allKeys();
    for (const QString& key : keys)
        settings.setValue(key, earlier.value(key));
    settings.sync();
    return int(keys.size());
}

}  // namespace tb::ui
