// Settings of earlier versions (no organisation named) are adopted once by the named
// organisation, and never overwrite settings the new location already has.
#include <QtTest>

#include "util/app_identity.h"

class TstAppIdentity : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void adopts_earlier_settings_once();

private:
    QTemporaryDir m_config;
};

void TstAppIdentity::initTestCase() {
    QVERIFY(m_config.isValid());
    // QSettings reads XDG_CONFIG_HOME on Linux: keep the user's real settings out of the test.
    QStandardPaths::setTestModeEnabled(true);
    QSettings::setPath(QSettings::NativeFormat, QSettings::UserScope, m_config.path());
}

void TstAppIdentity::adopts_earlier_settings_once() {
    {
        QSettings earlier(QStringLiteral("Unknown Organization"), QStringLiteral("tunebench"));
        earlier.setValue(QStringLiteral("modelLibrary/folders"),
                         QStringList{QStringLiteral("/models/a"), QStringLiteral("/models/b")});
        earlier.sync();
    }
    QCOMPARE(tb::ui::setApplicationIdentity(), 1);
    QCOMPARE(QCoreApplication::organizationName(), QStringLiteral("tunebench"));
    QCOMPARE(QSettings().value(QStringLiteral("modelLibrary/folders")).toStringList(),
             (QStringList{QStringLiteral("/models/a"), QStringLiteral("/models/b")}));
    QVERIFY(QFile::exists(m_config.path() + QStringLiteral("/tunebench/tunebench.conf")));

    // Later changes stay: the earlier file is not copied again.
    QSettings().setValue(QStringLiteral("modelLibrary/folders"),
                         QStringList{QStringLiteral("/models/c")});
    QSettings().sync();
    QCOMPARE(tb::ui::setApplicationIdentity(), 0);
    QCOMPARE(QSettings().value(QStringLiteral("modelLibrary/folders")).toStringList(),
             QStringList{QStringLiteral("/models/c")});
    // The earlier file is left as it was.
    QSettings earlier(QStringLiteral("Unknown Organization"), QStringLiteral("tunebench"));
    QCOMPARE(earlier.value(QStringLiteral("modelLibrary/folders")).toStringList().size(), 2);
}

QTEST_GUILESS_MAIN(TstAppIdentity)
#include "tst_app_identity.moc"
